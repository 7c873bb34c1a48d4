import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Argon2Hasher } from "../../src/adapters/crypto/argon2-hasher.js";
import { retryAfterMs } from "../support/retry-info.js";
import { failureOf } from "../support/rpc-errors.js";
import { signUp } from "../support/sign-up.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const PASSWORD = "overload correct horse";
const client = { ip: "192.0.2.5", userAgent: "overload-test" };

/** One hash at a time, two waiting: the 4th concurrent login is refused at once. */
describe("overload control for password hashing", () => {
  let t: TestServer;
  let session: string;
  beforeAll(async () => {
    t = await startTestServer({
      // A deliberately slow hash (~100+ ms) so the flood overlaps.
      hasher: new Argon2Hasher({ memoryKiB: 65_536, timeCost: 3, parallelism: 1 }),
      env: { HASH_CONCURRENCY: "1", HASH_QUEUE: "2", REQUIRE_VERIFIED_EMAIL: "false" },
    });
    const api = t.client("grpc");
    session = await signUp(api, { username: "flooded", password: PASSWORD, client });
  });
  afterAll(() => t?.close());

  it("refuses the excess immediately with OVERLOADED and RetryInfo; cheap RPCs keep answering meanwhile", async () => {
    const api = t.client("grpc");
    const settled: Array<{ at: number; ok: boolean; reason?: string; retry?: number }> = [];
    const start = performance.now();
    const flood = Array.from({ length: 12 }, (_, i) =>
      failureOf(api.login({ username: "flooded", password: `wrong ${i}`, client })).then((f) => {
        settled.push({
          at: performance.now() - start,
          ok: false,
          reason: f.reason ?? "",
          retry: retryAfterMs(f) ?? 0,
        });
      }),
    );
    // While hashes are queued, VerifySession (no hashing) still answers.
    const verified = await api.verifySession({ sessionToken: session });
    const verifiedAt = performance.now() - start;
    await Promise.all(flood);

    const overloaded = settled.filter((s) => s.reason === "OVERLOADED");
    const admitted = settled.filter((s) => s.reason === "INVALID_CREDENTIALS");
    expect(overloaded.length + admitted.length).toBe(12);
    expect(admitted.length).toBeGreaterThanOrEqual(3);
    expect(overloaded.length).toBeGreaterThanOrEqual(6);
    for (const o of overloaded) expect(o.retry).toBeGreaterThan(0);
    // Refusals come back before the admitted work is done: nobody waits to be told "busy".
    const lastAdmitted = Math.max(...admitted.map((a) => a.at));
    expect(Math.max(...overloaded.map((o) => o.at))).toBeLessThan(lastAdmitted);
    expect(verified.valid).toBe(true);
    expect(verifiedAt).toBeLessThan(lastAdmitted);
  });

  it("serves logins normally once the flood is over", async () => {
    const login = await t
      .client("connect")
      .login({ username: "flooded", password: PASSWORD, client });
    expect(login.sessionToken).toMatch(/^uhs_/);
    const failure = await failureOf(
      t.client("connect").login({ username: "flooded", password: "wrong", client }),
    );
    expect(failure.code).toBe(Code.Unauthenticated);
  });
});
