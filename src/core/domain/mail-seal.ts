import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { MailMessage } from "./mail.js";

/**
 * AES-256-GCM over the JSON message. The outbox row id is bound as associated
 * data, so a sealed payload copied onto another row fails to open.
 */
export class MailSeal {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error("mail sealing key must be 32 bytes");
    this.#key = key;
  }

  seal(message: MailMessage, rowId: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv).setAAD(Buffer.from(rowId));
    const body = Buffer.concat([cipher.update(JSON.stringify(message), "utf8"), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** Throws UnreadableMailError if the payload was tampered with, moved, or sealed under another key. */
  open(sealed: Uint8Array, rowId: string): MailMessage {
    try {
      const data = Buffer.from(sealed);
      const decipher = createDecipheriv("aes-256-gcm", this.#key, data.subarray(0, 12))
        .setAAD(Buffer.from(rowId))
        .setAuthTag(data.subarray(12, 28));
      const json = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
      return JSON.parse(json.toString("utf8")) as MailMessage;
    } catch (cause) {
      throw new UnreadableMailError(cause);
    }
  }
}

/** Retrying cannot open a payload sealed under another key: the worker dead-letters it. */
export class UnreadableMailError extends Error {
  constructor(cause: unknown) {
    super("sealed mail cannot be opened", { cause });
    this.name = "UnreadableMailError";
  }
}
