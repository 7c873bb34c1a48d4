import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CountingHasher } from "../support/counting-hasher.js";
import { retryAfterMs } from "../support/retry-info.js";
import { expectFailure } from "../support/rpc-errors.js";
import { type AccountClient, startTestServer, type TestServer } from "../support/test-server.js";

const PASSWORD = "lockout correct horse battery";
const from = (ip: string) => ({ ip, userAgent: "lockout-test" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Policy under test (small numbers, same rules as the defaults): 3 failures for
 * an account from one IP lock it for that IP for 1 s, doubling per further
 * failure up to 4 s; 6 failures from anywhere lock the account everywhere, at
 * most 2 s. The caps and the per-IP scope are what stop an attacker from
 * locking a user out for good.
 */
/** The RPCs that re-check the password of a signed-in user, each with an account of its own. */
const PASSWORD_CHECKS = {
  ChangePassword: (api: AccountClient, sessionToken: string, oldPassword: string) =>
    api.changePassword({ sessionToken, oldPassword, newPassword: "a brand new password" }),
  ChangeEmail: (api: AccountClient, sessionToken: string, password: string) =>
    api.changeEmail({ sessionToken, password, newEmail: "moved@example.com", client: from("") }),
};

describe("login lockout with growing backoff", () => {
  let t: TestServer;
  let api: AccountClient;
  const hasher = new CountingHasher();
  beforeAll(async () => {
    t = await startTestServer({
      hasher,
      env: {
        LOCKOUT_FAILURES: "3",
        LOCKOUT_ACCOUNT_FAILURES: "6",
        LOCKOUT_BASE: "1s",
        LOCKOUT_MAX: "4s",
        LOCKOUT_ACCOUNT_MAX: "2s",
        LOCKOUT_WINDOW: "1h",
        REQUIRE_VERIFIED_EMAIL: "false",
      },
    });
    api = t.client("connect");
    for (const username of [
      "victim",
      "roamer",
      "target",
      "twonames",
      ...Object.keys(PASSWORD_CHECKS),
    ]) {
      await api.register({
        username,
        email: `${username}@example.com`,
        password: PASSWORD,
        client: from("192.0.2.1"),
      });
    }
  });
  afterAll(() => t?.close());

  const fail = (username: string, ip: string) =>
    expectFailure(
      api.login({ username, password: "not the password", client: from(ip) }),
      Code.Unauthenticated,
      "INVALID_CREDENTIALS",
    );
  const locked = async (username: string, ip: string, password = PASSWORD) => {
    const failure = await expectFailure(
      api.login({ username, password, client: from(ip) }),
      Code.ResourceExhausted,
      "RATE_LIMITED",
    );
    return retryAfterMs(failure) ?? 0;
  };

  it("locks after the threshold, refuses the right password while locked without hashing, and backs off growing", async () => {
    const attacker = "198.51.100.66";
    for (let i = 0; i < 3; i++) await fail("victim", attacker);
    const verifiesBefore = hasher.verifies;
    const first = await locked("victim", attacker);
    expect(first).toBeGreaterThan(500);
    expect(first).toBeLessThanOrEqual(1_000);
    expect(hasher.verifies).toBe(verifiesBefore); // no hashing while locked

    await sleep(first + 50);
    await fail("victim", attacker); // 4th failure: 2 s
    const second = await locked("victim", attacker);
    expect(second).toBeGreaterThan(1_000);
    expect(second).toBeLessThanOrEqual(2_000);

    await sleep(second + 50);
    await fail("victim", attacker); // 5th failure: 4 s (the cap)
    const third = await locked("victim", attacker);
    expect(third).toBeGreaterThan(2_000);
    expect(third).toBeLessThanOrEqual(4_000);
  });

  it("does not lock the user out from their own IP below the account-wide threshold", async () => {
    const login = await api.login({
      username: "victim",
      password: PASSWORD,
      client: from("192.0.2.55"),
    });
    expect(login.sessionToken).toMatch(/^uhs_/);
  });

  it("the username and the email of one account share one lock", async () => {
    const ip = "198.51.100.68";
    for (const username of ["twonames", "TwoNames@Example.com", "twonames"])
      await fail(username, ip);
    expect(await locked("twonames@example.com", ip)).toBeGreaterThan(500);
    expect(await locked("twonames", ip)).toBeLessThanOrEqual(1_000);
  });

  it("locks unknown names exactly like known ones", async () => {
    const ip = "198.51.100.67";
    for (let i = 0; i < 3; i++) await fail("no-such-user", ip);
    const wait = await locked("no-such-user", ip);
    expect(wait).toBeGreaterThan(500);
    expect(wait).toBeLessThanOrEqual(1_000);
  });

  it("a distributed attack locks the account everywhere, but only up to its short cap", async () => {
    for (let i = 0; i < 6; i++) await fail("roamer", `203.0.113.${10 + i}`);
    const wait = await locked("roamer", "192.0.2.99");
    expect(wait).toBeGreaterThan(500);
    expect(wait).toBeLessThanOrEqual(2_000);
    await sleep(wait + 50);
    const login = await api.login({
      username: "roamer",
      password: PASSWORD,
      client: from("192.0.2.99"),
    });
    expect(login.user?.username).toBe("roamer");
  });

  it("a success clears this client's failures for the account", async () => {
    const ip = "198.51.100.70";
    await fail("target", ip);
    await fail("target", ip);
    await api.login({ username: "target", password: PASSWORD, client: from(ip) });
    await fail("target", ip);
    await fail("target", ip);
    // Two failures since the success: still below the threshold of three.
    const login = await api.login({ username: "target", password: PASSWORD, client: from(ip) });
    expect(login.sessionToken).toMatch(/^uhs_/);
  });

  it.each(
    Object.entries(PASSWORD_CHECKS),
  )("%s shares the lockout, so a stolen session is no password oracle", async (username, check) => {
    const { sessionToken } = await api.login({
      username,
      password: PASSWORD,
      client: from("192.0.2.3"),
    });
    for (let i = 0; i < 3; i++) {
      await expectFailure(
        check(api, sessionToken, `guess ${i}`),
        Code.Unauthenticated,
        "INVALID_CREDENTIALS",
      );
    }
    await expectFailure(check(api, sessionToken, PASSWORD), Code.ResourceExhausted, "RATE_LIMITED");
  });
});
