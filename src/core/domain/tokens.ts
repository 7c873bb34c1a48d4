import { hash as digest, randomBytes } from "node:crypto";

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

/** SHA-256's block size: HMAC pads its key to this. */
const BLOCK = 64;
/** Tokens up to this many UTF-8 bytes are hashed in a preallocated buffer (ours are 47). */
const INLINE_BYTES = 128;

/**
 * Stores see only HMAC-SHA256(key, token): a leaked database yields no usable
 * token, and without the key none can be forged or brute-forced offline.
 *
 * HMAC is computed as RFC 2104 defines it, SHA-256(key ^ opad || SHA-256(key ^ ipad || token)),
 * with node's one-shot `crypto.hash` over pads made once. Every session check hashes a token,
 * and `createHmac` builds an OpenSSL MAC context per call: about 8 µs of a VerifySession's
 * ~100 µs in the server's profile, against ~2 µs for this. tokens-and-seal.test.ts checks it
 * against `createHmac` for random keys and tokens. The throttle keys its counters with it too.
 */
export class TokenHasher {
  /** key ^ ipad, then room for the token. */
  readonly #inner = Buffer.alloc(BLOCK + INLINE_BYTES);
  /** key ^ opad, then room for the inner digest. */
  readonly #outer = Buffer.alloc(BLOCK + 32);

  constructor(key: Buffer) {
    if (key.length < 32) throw new Error("token hashing key must be at least 32 bytes");
    const block = key.length > BLOCK ? digest("sha256", key, "buffer") : key;
    for (let i = 0; i < BLOCK; i++) {
      const byte = block[i] ?? 0;
      this.#inner[i] = byte ^ 0x36;
      this.#outer[i] = byte ^ 0x5c;
    }
  }

  hash(token: string): string {
    const length = Buffer.byteLength(token, "utf8");
    let message: Buffer;
    if (length <= INLINE_BYTES) {
      this.#inner.write(token, BLOCK, "utf8");
      message = this.#inner.subarray(0, BLOCK + length);
    } else {
      message = Buffer.concat([this.#inner.subarray(0, BLOCK), Buffer.from(token, "utf8")]);
    }
    // As a "binary" (latin1) string, one char per byte: node's "buffer" output allocates an
    // ArrayBuffer per call, which cost twice the hash itself.
    this.#outer.write(digest("sha256", message, "binary"), BLOCK, "binary");
    return digest("sha256", this.#outer, "base64url");
  }
}

/** Random, opaque, non-secret id (session ids shown to callers). */
export function newId(): string {
  return randomBytes(16).toString("base64url");
}
