import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CountingHasher } from "../support/counting-hasher.js";
import { retryAfterMs } from "../support/retry-info.js";
import { expectFailure, failureOf } from "../support/rpc-errors.js";
import { type AccountClient, startTestServer, type TestServer } from "../support/test-server.js";

const PASSWORD = "lockout correct horse battery";
const WRONG = "not the password";
const NEW_PASSWORD = "a brand new password here";
const from = (ip: string) => ({ ip, userAgent: "lockout-test" });
const HOUR = 3_600_000;

/**
 * Locks run on the server's clock (the test server's manual clock), so these
 * tests move time instead of sleeping; the locks are minutes long, so however
 * slow a loaded machine is, one is still on when a test looks. Policy under
 * test (small thresholds, the defaults' rules): every 3 failures for an
 * account from one IP lock it for that IP, 1 min, then 2, then 4 (the cap);
 * every 6 failures from anywhere lock it everywhere, at most 2 min. Wrong
 * passwords inside a session lock that session's checks (3) and the
 * account's sessions together (6).
 */
describe("login lockout: a full budget per lock, doubling, on the server's clock", () => {
  let t: TestServer;
  let api: AccountClient;
  const hasher = new CountingHasher();
  beforeAll(async () => {
    t = await startTestServer({
      hasher,
      env: {
        LOCKOUT_FAILURES: "3",
        LOCKOUT_ACCOUNT_FAILURES: "6",
        LOCKOUT_BASE: "60s",
        LOCKOUT_MAX: "240s",
        LOCKOUT_ACCOUNT_MAX: "120s",
        LOCKOUT_WINDOW: "1h",
        REQUIRE_VERIFIED_EMAIL: "false",
      },
    });
    api = t.client("connect");
  });
  afterAll(() => t?.close());

  const register = (username: string) =>
    api.register({
      username,
      email: `${username}@example.com`,
      password: PASSWORD,
      client: from("192.0.2.1"),
    });
  const fail = (username: string, ip: string) =>
    expectFailure(
      api.login({ username, password: WRONG, client: from(ip) }),
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
  const signIn = (username: string, ip = "192.0.2.3") =>
    api.login({ username, password: PASSWORD, client: from(ip) });

  it("locks after the threshold, refuses the right password while locked without hashing, and each further lock needs a full budget and doubles", async () => {
    await register("victim");
    const attacker = "198.51.100.66";
    for (let i = 0; i < 3; i++) await fail("victim", attacker);
    const verifiesBefore = hasher.verifies;
    const first = await locked("victim", attacker);
    expect(first).toBeGreaterThan(30_000);
    expect(first).toBeLessThanOrEqual(60_000);
    expect(hasher.verifies).toBe(verifiesBefore); // no hashing while locked

    for (const cap of [120_000, 240_000, 240_000]) {
      t.clock.advance(240_001);
      // One failure after a lock ends does not re-arm it: the next lock costs a whole budget.
      await fail("victim", attacker);
      await fail("victim", attacker);
      await signIn("victim", "192.0.2.200"); // the owner elsewhere is unaffected throughout
      await fail("victim", attacker);
      const wait = await locked("victim", attacker);
      expect(wait).toBeGreaterThan(cap / 2);
      expect(wait).toBeLessThanOrEqual(cap);
    }
  });

  it("an outsider cannot keep the account-wide lock on with one request per lock period", async () => {
    await register("roamer");
    for (let i = 0; i < 6; i++) await fail("roamer", `203.0.113.${10 + i}`);
    const wait = await locked("roamer", "192.0.2.99");
    expect(wait).toBeGreaterThan(30_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    t.clock.advance(wait + 1);
    // Before: this one failure re-locked the account everywhere.
    await fail("roamer", "203.0.113.40");
    expect((await signIn("roamer", "192.0.2.99")).user?.username).toBe("roamer");
  });

  it("the owner's own session confirms the password while the account-wide login lock is on", async () => {
    for (const name of ["ownerpw", "owneremail", "ownerdelete"]) await register(name);
    const [pw, em, del] = await Promise.all(
      ["ownerpw", "owneremail", "ownerdelete"].map((n) => signIn(n)),
    );
    for (const name of ["ownerpw", "owneremail", "ownerdelete"]) {
      for (let i = 0; i < 6; i++) await fail(name, `203.0.113.${50 + i}`);
      await locked(name, "192.0.2.3"); // Login is locked for everyone without a device token...
    }
    // ...but not the owner's own sensitive actions in a live session.
    await api.changePassword({
      sessionToken: pw?.sessionToken ?? "",
      oldPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    await api.changeEmail({
      sessionToken: em?.sessionToken ?? "",
      password: PASSWORD,
      newEmail: "owneremail-moved@example.com",
      client: from("192.0.2.3"),
    });
    await api.deleteAccount({ sessionToken: del?.sessionToken ?? "", password: PASSWORD });
  });

  it("the username and the email of one account share one lock", async () => {
    await register("twonames");
    const ip = "198.51.100.68";
    for (const username of ["twonames", "TwoNames@Example.com", "twonames"])
      await fail(username, ip);
    expect(await locked("twonames@example.com", ip)).toBeGreaterThan(30_000);
    expect(await locked("twonames", ip)).toBeLessThanOrEqual(60_000);
  });

  it("locks unknown names exactly like known ones", async () => {
    const ip = "198.51.100.67";
    for (let i = 0; i < 3; i++) await fail("no-such-user", ip);
    const wait = await locked("no-such-user", ip);
    expect(wait).toBeGreaterThan(30_000);
    expect(wait).toBeLessThanOrEqual(60_000);
  });

  it("a success clears this client's failures for the account", async () => {
    await register("target");
    const ip = "198.51.100.70";
    await fail("target", ip);
    await fail("target", ip);
    await signIn("target", ip);
    await fail("target", ip);
    await fail("target", ip);
    // Two failures since the success: still below the threshold of three.
    expect((await signIn("target", ip)).sessionToken).toMatch(/^uhs_/);
  });

  const PASSWORD_CHECKS = {
    ChangePassword: (sessionToken: string, oldPassword: string) =>
      api.changePassword({ sessionToken, oldPassword, newPassword: NEW_PASSWORD }),
    ChangeEmail: (sessionToken: string, password: string) =>
      api.changeEmail({ sessionToken, password, newEmail: "moved@example.com", client: from("") }),
    DeleteAccount: (sessionToken: string, password: string) =>
      api.deleteAccount({ sessionToken, password }),
  };

  it.each(
    Object.entries(PASSWORD_CHECKS),
  )("%s: wrong guesses lock that session's checks (no password oracle), not another session's, nor Login", async (name, check) => {
    const username = `checks-${name.toLowerCase()}`;
    await register(username);
    const stolen = (await signIn(username)).sessionToken;
    const owners = (await signIn(username, "192.0.2.4")).sessionToken;
    for (let i = 0; i < 3; i++) {
      await expectFailure(check(stolen, `guess ${i}`), Code.Unauthenticated, "INVALID_CREDENTIALS");
    }
    const refused = await expectFailure(
      check(stolen, PASSWORD),
      Code.ResourceExhausted,
      "RATE_LIMITED",
    );
    expect(retryAfterMs(refused)).toBeGreaterThan(0);
    expect((await signIn(username, "192.0.2.5")).user?.username).toBe(username);
    await check(owners, PASSWORD);
  });

  it("the account's sessions together: 6 wrong guesses over several sessions lock every session's checks", async () => {
    await register("manysessions");
    const sessions = await Promise.all(
      [1, 2, 3].map(async (n) => (await signIn("manysessions", `192.0.2.${20 + n}`)).sessionToken),
    );
    for (const sessionToken of sessions) {
      for (const guess of ["one", "two"]) {
        await expectFailure(
          PASSWORD_CHECKS.ChangePassword(sessionToken, `guess ${guess}`),
          Code.Unauthenticated,
          "INVALID_CREDENTIALS",
        );
      }
    }
    const fresh = (await signIn("manysessions", "192.0.2.30")).sessionToken;
    await expectFailure(
      PASSWORD_CHECKS.ChangePassword(fresh, PASSWORD),
      Code.ResourceExhausted,
      "RATE_LIMITED",
    );
  });
});

/**
 * What keeping an account locked costs an outsider, with the default lock
 * settings (20 failures per lock, 30 s doubling to 5 min, a 1 h window) and
 * the account's request budget opened wide, so the lock alone is measured. A
 * greedy attacker sends a wrong password from a fresh address whenever the
 * account is open, and waits out each lock (its RetryInfo says how long).
 * SECURITY.md states the figure this measures.
 */
describe("the cost of keeping an account locked (defaults, one simulated hour)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      env: {
        LIMIT_LOGIN_ACCOUNT: "1000000/1m",
        LOCKOUT_FAILURES: "5",
        LOCKOUT_ACCOUNT_FAILURES: "20",
        LOCKOUT_BASE: "30s",
        LOCKOUT_ACCOUNT_MAX: "5m",
        LOCKOUT_WINDOW: "1h",
        REQUIRE_VERIFIED_EMAIL: "false",
      },
    });
  });
  afterAll(() => t?.close());

  it("each lock of at most 5 minutes costs a full 20 wrong passwords: at least 240 an hour", async () => {
    const api = t.client("grpc");
    await api.register({
      username: "besieged",
      email: "besieged@example.com",
      password: PASSWORD,
      client: from("192.0.2.1"),
    });
    const start = t.clock.now().getTime();
    let requests = 0;
    let lockedMs = 0;
    let locks = 0;
    while (t.clock.now().getTime() - start < HOUR) {
      const ip = `10.${(requests >> 16) & 255}.${(requests >> 8) & 255}.${requests & 255}`;
      requests++;
      const failure = await failureOf(
        api.login({ username: "besieged", password: WRONG, client: from(ip) }),
      );
      if (failure.reason !== "RATE_LIMITED") continue;
      requests--; // a refused attempt is an attacker's mistake: the greedy one waits instead
      const wait = retryAfterMs(failure) ?? 0;
      expect(wait).toBeLessThanOrEqual(5 * 60_000);
      lockedMs += wait;
      locks++;
      t.clock.advance(wait + 1);
    }
    const perLockedHour = requests / (lockedMs / HOUR);
    console.log(
      `keeping the account locked: ${requests} wrong passwords for ${locks} locks, ` +
        `${(lockedMs / 60_000).toFixed(1)} min locked in 60 min: ${Math.round(perLockedHour)} per hour of lock`,
    );
    expect(locks).toBeGreaterThan(0);
    expect(requests).toBeGreaterThanOrEqual(20 * locks);
    expect(perLockedHour).toBeGreaterThanOrEqual(240);
  });
});
