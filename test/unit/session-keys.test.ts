import { randomBytes } from "node:crypto";
import { calculateJwkThumbprint, createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { deriveSecretKeys } from "../../src/core/domain/secret-keys.js";
import { SessionAssertions } from "../../src/core/domain/session-assertions.js";
import { SessionKeyRing } from "../../src/core/domain/session-keys.js";

const HOUR = 3_600_000;
const ring = (secret: string, rotationMs = HOUR) =>
  new SessionKeyRing(deriveSecretKeys(secret).sessionKeys, rotationMs);
const kids = async (r: SessionKeyRing, at: Date) =>
  (JSON.parse(await r.keySet(at)) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
const subject = {
  accountId: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
  sessionId: "sid-1",
  username: "ada",
  emailVerified: true,
  sessionExpiresAt: new Date(Date.UTC(2030, 0, 1)),
};

/** The key scheme in isolation; the served set and assertions are tested end to end in test/rpc/session-assertions.test.ts. */
describe("session keys derived per rotation period", () => {
  const secret = randomBytes(32).toString("hex");
  const start = new Date(Date.UTC(2030, 0, 1, 10, 30));

  it("two rings from one secret publish the same set and sign with the same key; another secret shares nothing", async () => {
    const [a, b, other] = [ring(secret), ring(secret), ring(randomBytes(32).toString("hex"))];
    expect(await a.keySet(start)).toBe(await b.keySet(start));
    expect((await a.signingKey(start)).kid).toBe((await b.signingKey(start)).kid);
    const mine = new Set(await kids(a, start));
    expect((await kids(other, start)).filter((k) => mine.has(k))).toEqual([]);
  });

  it("publish the previous, current and next period's public keys, kid = RFC 7638 thumbprint, no private member", async () => {
    const r = ring(secret);
    const set = JSON.parse(await r.keySet(start)) as {
      keys: (Record<string, string> & { x: string })[];
    };
    expect(set.keys).toHaveLength(3);
    for (const key of set.keys) {
      expect(Object.keys(key).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x"]);
      expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
      expect(key.kid).toBe(await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: key.x }));
    }
    const [previous, current, next] = set.keys.map((k) => k.kid);
    expect(new Set([previous, current, next]).size).toBe(3);
    expect((await r.signingKey(start)).kid).toBe(current);
    expect((await r.signingKey(new Date(start.getTime() - HOUR))).kid).toBe(previous);
    expect((await r.signingKey(new Date(start.getTime() + HOUR))).kid).toBe(next);
    // One period later the window moves by one: the old current key is now the previous one.
    expect(await kids(r, new Date(start.getTime() + HOUR))).toEqual([
      current,
      next,
      expect.any(String),
    ]);
  });

  it("a different rotation gives different keys for the same instant", async () => {
    const mine = new Set(await kids(ring(secret), start));
    const others = await kids(ring(secret, 2 * HOUR), start);
    expect(others.filter((k) => mine.has(k))).toEqual([]);
  });
});

describe("session assertions", () => {
  const keys = ring(randomBytes(32).toString("hex"));
  const now = new Date(Date.UTC(2029, 11, 31, 12));
  const verify = async (jws: string, audience?: string) =>
    jwtVerify(jws, createLocalJWKSet(JSON.parse(await keys.keySet(now))), {
      currentDate: now,
      issuer: "userharbor",
      ...(audience && { audience }),
    });

  it("carry exactly the listed claims, signed EdDSA with the current kid, and count each signature", async () => {
    let signed = 0;
    const assertions = new SessionAssertions(
      keys,
      { issuer: "userharbor", audience: undefined, ttlMs: 300_000 },
      () => signed++,
    );
    const jws = await assertions.issue(subject, now);
    expect(signed).toBe(1);
    const { payload, protectedHeader } = await verify(jws);
    expect(protectedHeader).toEqual({
      alg: "EdDSA",
      typ: "JWT",
      kid: (await keys.signingKey(now)).kid,
    });
    const iat = now.getTime() / 1000;
    expect(payload).toEqual({
      iss: "userharbor",
      sub: subject.accountId,
      sid: "sid-1",
      username: "ada",
      email_verified: true,
      iat,
      exp: iat + 300,
    });
  });

  it("name the audience when one is configured, and never outlive the session", async () => {
    const assertions = new SessionAssertions(keys, {
      issuer: "userharbor",
      audience: "shop-backend",
      ttlMs: 300_000,
    });
    const ending = new Date(now.getTime() + 42_000);
    const jws = await assertions.issue({ ...subject, sessionExpiresAt: ending }, now);
    const { payload } = await verify(jws, "shop-backend");
    expect(payload.aud).toBe("shop-backend");
    expect(payload.exp).toBe(ending.getTime() / 1000);
    expect(decodeProtectedHeader(jws).kid).toBe((await keys.signingKey(now)).kid);
  });
});
