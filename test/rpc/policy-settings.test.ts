import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectFailure } from "../support/rpc-errors.js";
import { signUp } from "../support/sign-up.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const client = { ip: "192.0.2.61", userAgent: "policy-settings-test" };

describe.each([
  { env: {}, min: 12 }, // the default: ASVS V2.1.1
  { env: { PASSWORD_MIN_LENGTH: "16" }, min: 16 },
])("PASSWORD_MIN_LENGTH $env", ({ env, min }) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { ...env, REQUIRE_VERIFIED_EMAIL: "false" } });
  });
  afterAll(() => t?.close());

  it(`refuses ${min - 1} characters and accepts ${min}`, async () => {
    const api = t.client("connect");
    // Counted after NFKC: full-width digits are one character each.
    const password = (length: number) => `ｑ${"v9-xk2".repeat(11)}`.slice(0, length);
    const failure = await expectFailure(
      api.register({
        username: `short-${min}`,
        email: `short-${min}@example.com`,
        password: password(min - 1),
        client,
      }),
      Code.InvalidArgument,
      "WEAK_PASSWORD",
    );
    expect(failure.message).toBe(`password must be at least ${min} characters`);
    await signUp(api, { username: `long-${min}`, password: password(min), client });
  });
});

describe("the session touch interval follows SESSION_IDLE_TTL", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      env: { SESSION_IDLE_TTL: "30s", REQUIRE_VERIFIED_EMAIL: "false" },
    });
  });
  afterAll(() => t?.close());

  it("a session used every 20 s outlives a 30 s idle TTL, and dies 30 s after its last use", async () => {
    const api = t.client("grpc");
    const sessionToken = await signUp(api, {
      username: "busy-user",
      password: "busy user correct horse",
      client,
    });
    // Two minutes of use, every 20 s: past four idle TTLs and two fixed 60 s intervals.
    for (let step = 1; step <= 6; step++) {
      t.clock.advance(20_000);
      expect((await api.verifySession({ sessionToken })).valid, `after ${step * 20} s`).toBe(true);
    }
    t.clock.advance(31_000);
    expect((await api.verifySession({ sessionToken })).valid).toBe(false);
  });
});
