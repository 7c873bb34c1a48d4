import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/rpc-errors.js";
import { NO_ISOLATION_NOTE, storeHarnesses } from "../support/stores.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const client = { ip: "192.0.2.1", userAgent: "race-test" };
const PASSWORD = "racer's correct horse battery";

describe.each(storeHarnesses)("single-use tokens under concurrency, $name store", (harness) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ store: harness });
  });
  afterAll(() => t?.close());

  it("50 concurrent ResetPassword calls with one token: exactly one succeeds", async (ctx) => {
    if (!t.store.isolatesConcurrentTransactions) ctx.skip(NO_ISOLATION_NOTE);
    const api = t.client("grpc");
    const email = "racer@example.com";
    const verify = await t.mailbox.tokenFrom(email, "verification", () =>
      api.register({ username: "racer", email, password: PASSWORD, client }),
    );
    await api.verifyEmail({ token: verify, client });
    const reset = await t.mailbox.tokenFrom(email, "password_reset", () =>
      api.sendPasswordReset({ email, client }),
    );

    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        api.resetPassword({ token: reset, newPassword: `racer new password ${i}`, client }),
      ),
    );
    const winners = outcomes.flatMap((o, i) => (o.status === "fulfilled" ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === "rejected") {
        const failure = await failureOf(Promise.reject(o.reason));
        expect({ code: failure.code, reason: failure.reason }).toEqual({
          code: Code.InvalidArgument,
          reason: "INVALID_TOKEN",
        });
      }
    }
    // The winner's password is the one that holds.
    const login = await api.login({
      username: "racer",
      password: `racer new password ${winners[0]}`,
      client,
    });
    expect(login.sessionToken).toMatch(/^uhs_/);
  });

  it("20 concurrent VerifyEmail calls with one token: exactly one succeeds", async (ctx) => {
    if (!t.store.isolatesConcurrentTransactions) ctx.skip(NO_ISOLATION_NOTE);
    const api = t.client("connect");
    const email = "verifier@example.com";
    const token = await t.mailbox.tokenFrom(email, "verification", () =>
      api.register({ username: "verifier", email, password: PASSWORD, client }),
    );
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => api.verifyEmail({ token, client })),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
  });
});
