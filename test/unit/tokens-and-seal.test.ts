import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { MailMessage } from "../../src/core/domain/mail.js";
import { MailSeal, UnreadableMailError } from "../../src/core/domain/mail-seal.js";
import { deriveSecretKeys } from "../../src/core/domain/secret-keys.js";
import { isTokenOf, newToken, TokenHasher } from "../../src/core/domain/tokens.js";

describe("tokens", () => {
  it("carry a type prefix and 256 random bits, and are only accepted as their own kind", () => {
    const session = newToken("session");
    expect(session).toMatch(/^uhs_[A-Za-z0-9_-]{43}$/);
    expect(isTokenOf("session", session)).toBe(true);
    expect(isTokenOf("reset", session)).toBe(false);
    expect(isTokenOf("verification", `uhv_${session.slice(4)}`)).toBe(true);
    expect(isTokenOf("session", `${session}x`)).toBe(false);
    expect(new Set(Array.from({ length: 1000 }, () => newToken("reset"))).size).toBe(1000);
  });

  it("hash with a keyed HMAC: stable per key, different across keys, never the token", () => {
    const token = newToken("session");
    const a = new TokenHasher(randomBytes(32));
    const b = new TokenHasher(randomBytes(32));
    expect(a.hash(token)).toBe(a.hash(token));
    expect(a.hash(token)).not.toBe(b.hash(token));
    expect(a.hash(token)).not.toContain(token.slice(4));
    expect(() => new TokenHasher(randomBytes(16))).toThrow();
  });

  it("hash exactly as createHmac(sha256) does, so hashes stored before still match", () => {
    // Key lengths around the 64-byte block (longer keys are hashed first), every token kind,
    // and tokens outside the shape: non-ASCII, empty, and longer than the inline buffer.
    const tokens = [
      ...(["session", "verification", "reset", "device"] as const).map((kind) => newToken(kind)),
      "",
      "uhs_ünïcødé-🙂",
      "x".repeat(129),
      "é".repeat(100),
    ];
    for (const keyLength of [32, 63, 64, 65, 100]) {
      const key = randomBytes(keyLength);
      const hasher = new TokenHasher(key);
      for (const token of tokens) {
        expect(hasher.hash(token)).toBe(
          createHmac("sha256", key).update(token).digest("base64url"),
        );
      }
    }
  });

  it("derive independent subkeys from one secret", () => {
    const keys = deriveSecretKeys("a secret of at least thirty-two characters");
    expect(keys.tokenHashing.equals(keys.mailSealing)).toBe(false);
    expect(
      deriveSecretKeys("a secret of at least thirty-two characters").tokenHashing.equals(
        keys.tokenHashing,
      ),
    ).toBe(true);
  });
});

describe("mail seal", () => {
  const message: MailMessage = {
    kind: "password_reset",
    to: "jane@example.com",
    username: "jane",
    token: newToken("reset"),
  };

  it("round-trips, and the sealed bytes contain neither token nor address", () => {
    const seal = new MailSeal(randomBytes(32));
    const sealed = seal.seal(message, "row-1");
    const text = Buffer.from(sealed).toString("latin1");
    expect(text).not.toContain(message.token);
    expect(text).not.toContain("jane@example.com");
    expect(seal.open(sealed, "row-1")).toEqual(message);
  });

  it("refuses a payload moved to another row, tampered with, or sealed under another key", () => {
    const seal = new MailSeal(randomBytes(32));
    const sealed = seal.seal(message, "row-1");
    expect(() => seal.open(sealed, "row-2")).toThrow(UnreadableMailError);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
    expect(() => seal.open(tampered, "row-1")).toThrow(UnreadableMailError);
    expect(() => new MailSeal(randomBytes(32)).open(sealed, "row-1")).toThrow(UnreadableMailError);
  });
});
