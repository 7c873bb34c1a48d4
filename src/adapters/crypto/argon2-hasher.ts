import argon2 from "argon2";
import type { PasswordHasher } from "../../core/ports/password-hasher.js";

/** argon2id cost parameters; OWASP's minimum (19 MiB, t=2, p=1) is the default. */
export interface Argon2Params {
  memoryKiB: number;
  timeCost: number;
  parallelism: number;
}

export const owaspArgon2Params: Argon2Params = { memoryKiB: 19_456, timeCost: 2, parallelism: 1 };

/** argon2id via the `argon2` binding, which hashes on libuv's thread pool, off the event loop. */
export class Argon2Hasher implements PasswordHasher {
  readonly #options: {
    type: typeof argon2.argon2id;
    memoryCost: number;
    timeCost: number;
    parallelism: number;
  };

  constructor(params: Argon2Params = owaspArgon2Params) {
    this.#options = {
      type: argon2.argon2id,
      memoryCost: params.memoryKiB,
      timeCost: params.timeCost,
      parallelism: params.parallelism,
    };
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.#options);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(passwordHash, password);
    } catch {
      return false; // a malformed stored hash matches nothing
    }
  }

  needsRehash(passwordHash: string): boolean {
    try {
      return argon2.needsRehash(passwordHash, this.#options);
    } catch {
      return true;
    }
  }
}
