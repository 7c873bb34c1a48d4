import { Argon2Hasher } from "../../src/adapters/crypto/argon2-hasher.js";
import type { PasswordHasher } from "../../src/core/ports/password-hasher.js";

/** The real argon2id hasher (cheap test parameters), counting the work it is asked to do. */
export class CountingHasher implements PasswordHasher {
  hashes = 0;
  verifies = 0;
  readonly #inner: PasswordHasher;

  constructor(params = { memoryKiB: 1024, timeCost: 1, parallelism: 1 }) {
    this.#inner = new Argon2Hasher(params);
  }

  hash(password: string): Promise<string> {
    this.hashes++;
    return this.#inner.hash(password);
  }

  verify(passwordHash: string, password: string): Promise<boolean> {
    this.verifies++;
    return this.#inner.verify(passwordHash, password);
  }

  needsRehash(passwordHash: string): boolean {
    return this.#inner.needsRehash(passwordHash);
  }
}
