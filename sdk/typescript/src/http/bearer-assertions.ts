import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";

/**
 * API clients send only `Authorization: Bearer <session token>`: no cookie keeps
 * their assertion. This map does, keyed by the token's SHA-256 (no raw token in
 * memory), bounded, least recently used first out; so bearer requests are
 * checked locally too. An assertion is found only by the token it was issued for.
 */
export class BearerAssertions {
  readonly #byTokenHash: LRUCache<string, string>;

  constructor(maxEntries: number) {
    if (!(Number.isInteger(maxEntries) && maxEntries >= 1)) {
      throw new RangeError("bearerAssertionsMax must be a whole number >= 1");
    }
    this.#byTokenHash = new LRUCache({ max: maxEntries });
  }

  get(sessionToken: string): string | undefined {
    return this.#byTokenHash.get(hash(sessionToken));
  }

  set(sessionToken: string, assertion: string): void {
    this.#byTokenHash.set(hash(sessionToken), assertion);
  }

  delete(sessionToken: string): void {
    this.#byTokenHash.delete(hash(sessionToken));
  }

  get size(): number {
    return this.#byTokenHash.size;
  }
}

function hash(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
