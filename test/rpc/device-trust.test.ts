import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retryAfterMs } from "../support/retry-info.js";
import { expectFailure } from "../support/rpc-errors.js";
import type { MemoryTables } from "../support/store-invariants.js";
import { type AccountClient, startTestServer, type TestServer } from "../support/test-server.js";

/** The edge forwards its end users' addresses (client-ip scope), as the flood needs. */
const EDGE_KEY = "edge-key-with-client-ip-scope-0001";
const auth = { headers: { authorization: `Bearer ${EDGE_KEY}` } };
const PASSWORD = "device trust correct horse";
const OWNER_IP = "192.0.2.10";
const from = (ip: string, deviceToken = "") => ({ ip, userAgent: "device-test", deviceToken });

/**
 * Device trust (OWASP "device cookies") under a short lock policy: 10 failures
 * from anywhere lock an account, 30 s for the first lock (at most 60 s): longer
 * than any flood here takes on a loaded machine, so the lock is still on when a
 * test looks (locks run on the server's clock, which the tests move on by hand
 * to end them); a device token is trusted
 * until 3 failures are made with it.
 */
describe("device tokens: the owner's trusted device gets in while the account is flooded", () => {
  let t: TestServer;
  let api: AccountClient;
  beforeAll(async () => {
    t = await startTestServer({
      env: {
        API_KEYS: `edge=${EDGE_KEY}:accounts,client-ip`,
        REQUIRE_VERIFIED_EMAIL: "false",
        LOCKOUT_FAILURES: "3",
        LOCKOUT_ACCOUNT_FAILURES: "10",
        LOCKOUT_BASE: "30s",
        LOCKOUT_MAX: "60s",
        LOCKOUT_ACCOUNT_MAX: "60s",
        LOCKOUT_WINDOW: "1h",
        DEVICE_TOKEN_FAILURES: "3",
        DEVICE_TOKEN_TTL: "30d",
        DEVICE_TOKENS_PER_ACCOUNT: "3",
      },
    });
    api = t.client("grpc");
  });
  afterAll(() => t?.close());

  const register = (username: string) =>
    api.register(
      { username, email: `${username}@example.com`, password: PASSWORD, client: from(OWNER_IP) },
      auth,
    );
  const login = (username: string, password: string, ip: string, deviceToken = "") =>
    api.login({ username, password, client: from(ip, deviceToken) }, auth);
  const rateLimited = async (username: string, deviceToken = "", password = PASSWORD) =>
    expectFailure(
      login(username, password, OWNER_IP, deviceToken),
      Code.ResourceExhausted,
      "RATE_LIMITED",
    );
  /** Wrong passwords from many addresses until the account is locked everywhere. */
  const flood = async (username: string, attempts: number, ips: number) => {
    const answers: string[] = [];
    const attacker = async (worker: number) => {
      for (let i = worker; i < attempts; i += 10) {
        try {
          await login(username, "not the password at all", `198.51.100.${1 + (i % ips)}`);
          answers.push("OK");
        } catch (error) {
          answers.push(
            (error as { code: Code }).code === Code.ResourceExhausted ? "LIMITED" : "DENIED",
          );
        }
      }
    };
    await Promise.all(Array.from({ length: 10 }, (_, worker) => attacker(worker)));
    return answers;
  };
  const devicesOf = async (accountId: string) => {
    const tables = (await t.store.snapshot()) as unknown as MemoryTables & {
      devices: [string, { accountId: string }][];
    };
    return tables.devices.filter(([, device]) => device.accountId === accountId);
  };

  it("lockout flood: 200 wrong passwords from 50 IPs; the owner's device gets in at once, others wait out a bounded lock", async () => {
    await register("flooded");
    const first = await login("flooded", PASSWORD, OWNER_IP);
    expect(first.deviceToken).toMatch(/^uhd_[A-Za-z0-9_-]{43}$/);

    const answers = await flood("flooded", 200, 50);
    expect(answers).toHaveLength(200);
    expect(answers).not.toContain("OK");
    expect(answers.filter((a) => a === "LIMITED").length).toBeGreaterThan(150);

    // Without a device token: locked, right password or not, with RetryInfo.
    const refused = await rateLimited("flooded");
    expect(retryAfterMs(refused)).toBeGreaterThan(0);
    expect(retryAfterMs(refused)).toBeLessThanOrEqual(60_000);

    // With it: in at once, and handed a fresh device token (the old one retired).
    const trusted = await login("flooded", PASSWORD, OWNER_IP, first.deviceToken);
    expect(trusted.user?.username).toBe("flooded");
    expect(trusted.deviceToken).toMatch(/^uhd_/);
    expect(trusted.deviceToken).not.toBe(first.deviceToken);
    await rateLimited("flooded", first.deviceToken); // retired: untrusted, and the account is locked

    // The lock ends (the server's clock moves on): the right password gets in without a device token.
    const wait = retryAfterMs(await rateLimited("flooded")) ?? 0;
    expect(wait).toBeLessThanOrEqual(60_000);
    t.clock.advance(wait + 1);
    expect((await login("flooded", PASSWORD, OWNER_IP)).user?.username).toBe("flooded");
  });

  it("a device token of another account grants no exemption", async () => {
    await register("victim2");
    await register("mallory");
    const mallorys = (await login("mallory", PASSWORD, "203.0.113.9")).deviceToken;
    await flood("victim2", 20, 20);
    await rateLimited("victim2", mallorys);
    await rateLimited("victim2", mallorys, "not the password at all");
    // Mallory's token still works for mallory.
    expect((await login("mallory", PASSWORD, "203.0.113.9", mallorys)).user?.username).toBe(
      "mallory",
    );
  });

  it("junk in device_token is an untrusted login, never an error", async () => {
    await register("junky");
    for (const junk of ["uhd_", "uhs_short", `uhd_${"A".repeat(43)}`, "x".repeat(5_000)]) {
      const ok = await login("junky", PASSWORD, OWNER_IP, junk);
      expect(ok.deviceToken).toMatch(/^uhd_/);
    }
    await flood("junky", 20, 20);
    await rateLimited("junky", `uhd_${"A".repeat(43)}`);
  });

  it("a device token that collects 3 failures is trusted no more; its failures do not lock the account", async () => {
    await register("clumsy");
    const first = await login("clumsy", PASSWORD, OWNER_IP);
    const typo = (deviceToken: string) =>
      expectFailure(
        login("clumsy", "typo in the password", OWNER_IP, deviceToken),
        Code.Unauthenticated,
        "INVALID_CREDENTIALS",
      );
    await typo(first.deviceToken);
    await typo(first.deviceToken);
    // Three failures from this IP would lock the account for it: device failures count on the device only.
    await login("clumsy", PASSWORD, OWNER_IP);

    await flood("clumsy", 20, 20);
    await rateLimited("clumsy");
    // Two failures: still trusted, so exempt from the lock; the success issues a fresh token.
    const second = await login("clumsy", PASSWORD, OWNER_IP, first.deviceToken);
    // Exempt: each typo is a real password check, not RATE_LIMITED; the third ends the trust.
    for (let i = 0; i < 3; i++) await typo(second.deviceToken);
    await rateLimited("clumsy", second.deviceToken);
    const distrusted = t.logs
      .map((line) => JSON.parse(line) as { event?: string; login?: string })
      .filter((e) => e.event === "device.distrusted");
    expect(distrusted).toEqual([expect.objectContaining({ login: "clumsy", ip: OWNER_IP })]);
  });

  it("parallel wrong passwords with one device token: no more are checked as trusted than its failure limit", async () => {
    await register("racer");
    const { deviceToken } = await login("racer", PASSWORD, OWNER_IP);
    await flood("racer", 20, 20);
    await rateLimited("racer"); // locked for logins without a trusted device
    const answers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        try {
          await login("racer", "parallel wrong guess", OWNER_IP, deviceToken);
          return "OK";
        } catch (error) {
          return Code[(error as { code: Code }).code];
        }
      }),
    );
    // A trusted attempt gets its password checked (INVALID_CREDENTIALS); the rest
    // are untrusted and meet the account's lock. Before: all 8 were checked.
    const checked = answers.filter((a) => a === "Unauthenticated").length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(3);
    expect(answers.filter((a) => a !== "Unauthenticated")).toEqual(
      Array(8 - checked).fill("ResourceExhausted"),
    );
    await rateLimited("racer", deviceToken); // and the device is trusted no more
  });

  it("keeps at most DEVICE_TOKENS_PER_ACCOUNT device tokens, dropping the oldest", async () => {
    await register("forgetful");
    const tokens: string[] = [];
    // A backend that never sends the device token back: one more per login.
    for (let i = 0; i < 5; i++)
      tokens.push((await login("forgetful", PASSWORD, OWNER_IP)).deviceToken);
    const accountId = (await login("forgetful", PASSWORD, OWNER_IP, tokens[4])).user?.id ?? "";
    expect(await devicesOf(accountId)).toHaveLength(3);
    await flood("forgetful", 20, 20);
    await rateLimited("forgetful", tokens[0]); // the oldest was dropped: untrusted
  });

  it("an expired device token is untrusted", async () => {
    await register("sleeper");
    const { deviceToken } = await login("sleeper", PASSWORD, OWNER_IP);
    t.clock.advance(31 * 24 * 3_600_000); // past DEVICE_TOKEN_TTL (30d)
    await flood("sleeper", 20, 20);
    await rateLimited("sleeper", deviceToken);
  });

  it("ResetPassword revokes the account's device tokens; ChangePassword keeps them", async () => {
    await register("resetter");
    const session = await login("resetter", PASSWORD, OWNER_IP);
    const accountId = session.user?.id ?? "";
    const changed = "changed correct horse battery";
    await api.changePassword(
      { sessionToken: session.sessionToken, oldPassword: PASSWORD, newPassword: changed },
      auth,
    );
    expect(await devicesOf(accountId)).toHaveLength(1);
    await flood("resetter", 20, 20);
    const trusted = await login("resetter", changed, OWNER_IP, session.deviceToken);

    const email = "resetter@example.com";
    const token = await t.mailbox.tokenFrom(email, "password_reset", () =>
      api.sendPasswordReset({ email, client: from(OWNER_IP) }, auth),
    );
    await api.resetPassword({ token, newPassword: PASSWORD, client: from(OWNER_IP) }, auth);
    expect(await devicesOf(accountId)).toEqual([]);
    await flood("resetter", 20, 20);
    await rateLimited("resetter", trusted.deviceToken);
  });

  it("DeleteAccount removes the account's device tokens", async () => {
    await register("leaver");
    await login("leaver", PASSWORD, "203.0.113.20");
    const last = await login("leaver", PASSWORD, OWNER_IP);
    const accountId = last.user?.id ?? "";
    expect(await devicesOf(accountId)).toHaveLength(2);
    await api.deleteAccount({ sessionToken: last.sessionToken, password: PASSWORD }, auth);
    expect(await devicesOf(accountId)).toEqual([]);
  });
});

describe("a trusted login is limited per device token", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      env: {
        REQUIRE_VERIFIED_EMAIL: "false",
        LIMIT_LOGIN_DEVICE: "3/1m",
        DEVICE_TOKEN_FAILURES: "100",
      },
    });
  });
  afterAll(() => t?.close());

  it("a device token over its own budget is refused with RetryInfo; logins without it are not", async () => {
    const api = t.client("connect");
    const client = from("203.0.113.50");
    await api.register({
      username: "budgeted",
      email: "budgeted@example.com",
      password: PASSWORD,
      client,
    });
    const { deviceToken } = await api.login({ username: "budgeted", password: PASSWORD, client });
    const guess = () =>
      api.login({
        username: "budgeted",
        password: "a stolen device, a guess",
        client: { ...client, deviceToken },
      });
    for (let i = 0; i < 3; i++)
      await expectFailure(guess(), Code.Unauthenticated, "INVALID_CREDENTIALS");
    const refused = await expectFailure(guess(), Code.ResourceExhausted, "RATE_LIMITED");
    expect(retryAfterMs(refused)).toBeGreaterThan(0);
    // Counted per device, not per account: the owner without that device still gets in.
    expect(
      (await api.login({ username: "budgeted", password: PASSWORD, client })).user?.username,
    ).toBe("budgeted");
  });
});
