import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from "node:crypto";

/**
 * ListAccounts page tokens: the last id of a page plus an HMAC over that id and
 * the query's filters. Opaque to callers, and tamper-evident: an altered token,
 * a forged one, or one replayed with other filters fails to verify.
 */
export class PageTokens {
  readonly #key: KeyObject;

  constructor(key: Buffer) {
    if (key.length < 32) throw new Error("page token key must be at least 32 bytes");
    this.#key = createSecretKey(key);
  }

  issue(lastId: string, query: string): string {
    return `${Buffer.from(lastId).toString("base64url")}.${this.#mac(lastId, query)}`;
  }

  /** The id the token resumes after, or null if this service did not issue it for `query`. */
  read(token: string, query: string): string | null {
    const [encoded, mac, extra] = token.split(".");
    if (!encoded || !mac || extra !== undefined) return null;
    const lastId = Buffer.from(encoded, "base64url").toString();
    const expected = Buffer.from(this.#mac(lastId, query));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    // base64url decoding is lenient: only the canonical spelling of the id is accepted.
    return Buffer.from(lastId).toString("base64url") === encoded ? lastId : null;
  }

  #mac(lastId: string, query: string): string {
    return createHmac("sha256", this.#key).update(`${lastId}\n${query}`).digest("base64url");
  }
}
