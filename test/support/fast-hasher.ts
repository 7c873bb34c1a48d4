import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { PasswordHasher } from "../../src/core/ports/password-hasher.js";

/**
 * A salted SHA-256 PasswordHasher for core tests where argon2's cost is not the
 * point, counting the work it is asked to do. `version` stands for argon2's
 * parameters: raising it makes every older hash "need a rehash".
 */
export class FastHasher implements PasswordHasher {
  hashes = 0;
  verifies = 0;
  version = 1;

  async hash(password: string): Promise<string> {
    this.hashes++;
    const salt = randomBytes(8).toString("base64url");
    return `fast$v${this.version}$${salt}$${digest(salt, password)}`;
  }

  /** Like argon2, a malformed hash matches nothing at no cost: only real checks count as work. */
  async verify(passwordHash: string, password: string): Promise<boolean> {
    const [tag, , salt = "", stored = ""] = passwordHash.split("$");
    if (tag !== "fast" || !stored) return false;
    this.verifies++;
    const given = Buffer.from(digest(salt, password));
    return given.length === stored.length && timingSafeEqual(given, Buffer.from(stored));
  }

  needsRehash(passwordHash: string): boolean {
    return !passwordHash.startsWith(`fast$v${this.version}$`);
  }

  /** Hashing work done so far (hash + verify), for "same work" and "no hashing" checks. */
  get work(): number {
    return this.hashes + this.verifies;
  }
}

function digest(salt: string, password: string): string {
  return createHash("sha256").update(salt).update("\0").update(password).digest("base64url");
}
