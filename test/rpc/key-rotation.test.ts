import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kidsOf, servedKeys, verifyWith } from "../support/assertions.js";
import { signUp } from "../support/sign-up.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Key rotation on the server's manual clock, with the shortest rotation config
 * allows (1 h) and the default 300 s lifetime: the key set always holds the
 * previous, current and next period's keys, so a key is published a whole
 * period before it signs and stays published a whole period after.
 */

const HOUR = 3_600_000;
const kidOf = (assertion: string) => decodeProtectedHeader(assertion).kid;

describe("key rotation", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      env: { SESSION_KEY_ROTATION: "1h", REQUIRE_VERIFIED_EMAIL: "false" },
    });
  });
  afterAll(() => t?.close());

  /** Moves the clock to `ms` after the next period boundary (negative: before it). */
  const toBoundary = (ms: number) => {
    const now = t.clock.now().getTime();
    t.clock.advance(HOUR - (now % HOUR) + ms);
  };

  it("signs with the published next key after a boundary, keeps each key until what it signed expired, then retires it", async () => {
    const api = t.client("grpc");
    toBoundary(-10_000); // 10 s before a rotation
    const sessionToken = await signUp(api, {
      username: `rotation${Date.now().toString(36)}`,
      password: "rotation correct horse battery",
    });
    const before = await servedKeys(t);
    const [, current, next] = kidsOf(before);
    const old = (await api.verifySession({ sessionToken, issueAssertion: true })).sessionAssertion;
    expect(kidOf(old)).toBe(current);

    toBoundary(10_000); // 10 s into the next period
    const fresh = (await api.verifySession({ sessionToken, issueAssertion: true }))
      .sessionAssertion;
    // The key that signs now was already in the set a whole period ago: a verifier holding the
    // old set (cached before the rotation) accepts the new assertion without refetching.
    expect(kidOf(fresh)).toBe(next);
    expect(await verifyWith(before, fresh, t.clock.now())).toMatchObject({
      sub: expect.any(String),
    });
    const after = await servedKeys(t);
    expect(kidsOf(after).slice(0, 2)).toEqual([current, next]);

    // Signed before the rotation, it still verifies against the new set until its exp...
    const { exp } = (await verifyWith(after, old, t.clock.now())) as { exp: number };
    t.clock.advance(exp * 1000 - t.clock.now().getTime() - 1_000);
    expect(await verifyWith(await servedKeys(t), old, t.clock.now())).toMatchObject({ exp });
    // ...and after it, it is refused while its key is still published (the key outlives it).
    t.clock.advance(1_000);
    const atExpiry = await servedKeys(t);
    expect(kidsOf(atExpiry)).toContain(current);
    expect(await verifyWith(atExpiry, old, t.clock.now())).toBe("ERR_JWT_EXPIRED");

    // Anything the old key signed expired at most 300 s after it stopped signing; a whole
    // period after that, the key leaves the set and its assertions match no key at all.
    toBoundary(-1_000);
    expect(kidsOf(await servedKeys(t))).toContain(current);
    toBoundary(1_000);
    const retired = await servedKeys(t);
    expect(kidsOf(retired)).not.toContain(current);
    expect(kidsOf(retired)[0]).toBe(next);
    expect(await verifyWith(retired, old, t.clock.now())).toBe("ERR_JWKS_NO_MATCHING_KEY");
  });

  it("the same instant always gives the same set (cached per period, derived, not random)", async () => {
    const first = await t.client("connect").getSessionKeys({});
    const again = await t.client("grpc-web").getSessionKeys({});
    expect(again.jwksJson).toBe(first.jwksJson);
  });
});
