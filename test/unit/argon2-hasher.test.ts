import { describe, expect, it } from "vitest";
import { Argon2Hasher, owaspArgon2Params } from "../../src/adapters/crypto/argon2-hasher.js";

describe("argon2id hasher", () => {
  it("hashes with argon2id at the OWASP defaults, salted, and verifies", async () => {
    const hasher = new Argon2Hasher();
    const a = await hasher.hash("correct horse battery");
    const b = await hasher.hash("correct horse battery");
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(await hasher.verify(a, "correct horse battery")).toBe(true);
    expect(await hasher.verify(a, "correct horse batterY")).toBe(false);
    expect(owaspArgon2Params).toEqual({ memoryKiB: 19_456, timeCost: 2, parallelism: 1 });
  });

  it("asks for a rehash when the parameters change, not otherwise", async () => {
    const old = new Argon2Hasher({ memoryKiB: 1024, timeCost: 1, parallelism: 1 });
    const current = new Argon2Hasher({ memoryKiB: 2048, timeCost: 1, parallelism: 1 });
    const hash = await old.hash("pw");
    expect(old.needsRehash(hash)).toBe(false);
    expect(current.needsRehash(hash)).toBe(true);
    expect(await current.verify(hash, "pw")).toBe(true); // old hashes still verify
  });

  it("treats a malformed stored hash as no match", async () => {
    const hasher = new Argon2Hasher();
    expect(await hasher.verify("not a hash", "pw")).toBe(false);
    expect(hasher.needsRehash("not a hash")).toBe(true);
  });
});
