import { createHmac, createSecretKey, type KeyObject, randomBytes } from "node:crypto";

/**
 * Tokens are 256 random bits, base64url, behind a type prefix: a token of one
 * kind is never accepted as another, and secret scanners can spot leaked ones.
 */
export const TOKEN_PREFIX = {
  session: "uhs_",
  verification: "uhv_",
  reset: "uhr_",
  device: "uhd_",
} as const;

export type TokenKind = keyof typeof TOKEN_PREFIX;

const BODY = /^[A-Za-z0-9_-]{43}$/;

export function newToken(kind: TokenKind): string {
  return TOKEN_PREFIX[kind] + randomBytes(32).toString("base64url");
}

/** Shape check only: true if `raw` could be a token of `kind`. Cheap, so junk never reaches the store. */
export function isTokenOf(kind: TokenKind, raw: string): boolean {
  return raw.length === 47 && raw.startsWith(TOKEN_PREFIX[kind]) && BODY.test(raw.slice(4));
}

/**
 * Stores see only HMAC-SHA256(key, token): a leaked database yields no usable
 * token, and without the key none can be forged or brute-forced offline.
 */
export class TokenHasher {
  /**
   * A KeyObject, imported once: every session check hashes a token, and on Node 22+
   * `createHmac` with a raw Buffer key re-imports it each call (about 11 µs on Node 24,
   * against 1.6 µs with a KeyObject).
   */
  readonly #key: KeyObject;

  constructor(key: Buffer) {
    if (key.length < 32) throw new Error("token hashing key must be at least 32 bytes");
    this.#key = createSecretKey(key);
  }

  hash(token: string): string {
    return createHmac("sha256", this.#key).update(token).digest("base64url");
  }
}

/** Random, opaque, non-secret id (session ids shown to callers). */
export function newId(): string {
  return randomBytes(16).toString("base64url");
}
