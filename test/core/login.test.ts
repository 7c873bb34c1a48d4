import { describe, expect, it } from "vitest";
import {
  client,
  coreWorld,
  DAY,
  PASSWORD,
  rejects,
  rejectsUnchanged,
} from "../support/core-world.js";

describe("Login", () => {
  it("opens a session: a uhs_ token stored only as its hash, idle expiry, last-login time", async () => {
    const w = coreWorld();
    const person = await w.verified();
    const now = w.clock.now();
    const result = await w.accounts.login({ ...person, client });
    expect(result.sessionToken).toMatch(/^uhs_[A-Za-z0-9_-]{43}$/);
    expect(result.expiresAt).toEqual(new Date(now.getTime() + 7 * DAY));
    expect(result.user).toEqual({ ...person.user, lastLoginAt: now });
    expect(await w.store.accounts.get(person.user.id)).toEqual(result.user);
    const [session, ...more] = await w.store.sessions.list(person.user.id);
    expect(more).toEqual([]);
    expect(session).toMatchObject({
      accountId: person.user.id,
      createdAt: now,
      expiresAt: result.expiresAt,
      absoluteExpiresAt: new Date(now.getTime() + 30 * DAY),
      ip: client.ip,
      userAgent: client.userAgent,
    });
    expect(JSON.stringify(await w.snapshot())).not.toContain(result.sessionToken);
    expect(await w.accounts.verifySession(result.sessionToken)).toMatchObject({ valid: true });
    expect(w.audit).toContainEqual({
      type: "login.succeeded",
      username: person.username,
      ip: client.ip,
    });
  });

  it("a session never expires past the absolute limit, even when the idle one is longer", async () => {
    const w = coreWorld({ settings: { sessionAbsoluteTtlMs: DAY, sessionIdleTtlMs: 7 * DAY } });
    const person = await w.verified();
    const now = w.clock.now().getTime();
    const { expiresAt } = await w.accounts.login({ ...person, client });
    expect(expiresAt).toEqual(new Date(now + DAY));
  });

  it.each([
    ["the username in any case", (p: { username: string }) => p.username.toUpperCase()],
    ["the email in any case", (p: { email: string }) => p.email.toUpperCase()],
  ])("accepts %s", async (_name, name) => {
    const w = coreWorld();
    const person = await w.verified();
    const { user } = await w.accounts.login({ username: name(person), password: PASSWORD, client });
    expect(user.id).toBe(person.user.id);
  });

  it("accepts the password in another Unicode form (NFKC)", async () => {
    const w = coreWorld();
    const person = await w.verified({ password: "ｆｕｌｌｗｉｄｔｈ password 123" });
    expect(await w.canLogin(person.username, "fullwidth password 123")).toBe(true);
  });

  describe("unknown accounts and wrong passwords are indistinguishable", () => {
    it("both INVALID_CREDENTIALS, each after one full password verification, no record written", async () => {
      const w = coreWorld();
      const person = await w.verified();
      for (const attempt of [
        { username: "nobody", password: PASSWORD },
        { username: "nobody@example.com", password: PASSWORD },
        { username: person.username, password: "not the password at all" },
      ]) {
        const work = w.hasher.verifies;
        const error = await rejectsUnchanged(
          w,
          () => w.accounts.login({ ...attempt, client }),
          "INVALID_CREDENTIALS",
        );
        expect(error.message).toBe("invalid username or password");
        expect(error.field).toBeUndefined();
        expect(w.hasher.verifies - work).toBe(1);
      }
    });

    it("audit events name a failed unknown login <unknown>, never the name as typed", async () => {
      const w = coreWorld();
      await rejects(
        w.accounts.login({ username: PASSWORD.replaceAll(" ", ""), password: "x", client }),
        "INVALID_CREDENTIALS",
      );
      expect(w.audit).toEqual([
        { type: "login.failed", login: "<unknown>", ip: client.ip, reason: "invalid_credentials" },
      ]);
    });

    it("a password no policy could accept (empty, oversized) is refused without hashing", async () => {
      const w = coreWorld();
      const person = await w.verified();
      for (const password of ["", "x".repeat(600)]) {
        const work = w.hasher.work;
        await rejects(
          w.accounts.login({ username: person.username, password, client }),
          "INVALID_CREDENTIALS",
        );
        expect(w.hasher.work).toBe(work);
      }
    });
  });

  describe("unverified email", () => {
    it("EMAIL_NOT_VERIFIED only for the right password, and no session", async () => {
      const w = coreWorld();
      const person = await w.registered();
      await rejects(
        w.accounts.login({ username: person.username, password: "a wrong password", client }),
        "INVALID_CREDENTIALS",
      );
      await rejectsUnchanged(
        w,
        () => w.accounts.login({ ...person, client }),
        "EMAIL_NOT_VERIFIED",
      );
    });

    it("allowed when the setting turns the requirement off", async () => {
      const w = coreWorld({ settings: { requireVerifiedEmail: false } });
      const person = await w.registered();
      expect(await w.canLogin(person.username, person.password)).toBe(true);
    });
  });

  it("rehashes a password whose hash was made with old parameters, and it keeps working", async () => {
    const w = coreWorld();
    const person = await w.verified();
    const old = await w.store.accounts.getCredentials(person.user.id);
    w.hasher.version = 2;
    await w.login(person);
    const now = await w.store.accounts.getCredentials(person.user.id);
    expect(old?.passwordHash).toMatch(/^fast\$v1\$/);
    expect(now?.passwordHash).toMatch(/^fast\$v2\$/);
    expect(await w.canLogin(person.username, person.password)).toBe(true);
    const hashes = w.hasher.hashes;
    await w.login(person);
    expect(w.hasher.hashes).toBe(hashes); // current now: no second rehash
  });

  describe("limits (before any hashing, right password or not)", () => {
    it("login_ip: over budget from one address, RATE_LIMITED with a retry delay", async () => {
      const w = coreWorld({ limits: { login_ip: { points: 2, durationMs: 60_000 } } });
      const person = await w.verified();
      await w.login(person);
      await w.login(person);
      const work = w.hasher.work;
      const error = await rejectsUnchanged(
        w,
        () => w.accounts.login({ ...person, client }),
        "RATE_LIMITED",
      );
      expect(error.retryAfterMs).toBeGreaterThan(0);
      expect(w.hasher.work).toBe(work);
      await w.login(person, { ip: "203.0.113.77", userAgent: "elsewhere" });
    });

    it("login_account: the username and the email of one account share one budget", async () => {
      const w = coreWorld({ limits: { login_account: { points: 2, durationMs: 60_000 } } });
      const person = await w.verified();
      const other = await w.verified();
      await w.login({ username: person.username, password: PASSWORD });
      await w.login({ username: person.email, password: PASSWORD });
      const work = w.hasher.work;
      await rejects(
        w.accounts.login({ username: person.username.toUpperCase(), password: PASSWORD, client }),
        "RATE_LIMITED",
      );
      expect(w.hasher.work).toBe(work);
      await w.login(other); // another account has its own budget
    });

    it("login_account: unknown names are limited like known ones", async () => {
      const w = coreWorld({ limits: { login_account: { points: 1, durationMs: 60_000 } } });
      await rejects(
        w.accounts.login({ username: "nobody", password: PASSWORD, client }),
        "INVALID_CREDENTIALS",
      );
      const work = w.hasher.work;
      await rejects(
        w.accounts.login({ username: "NOBODY", password: PASSWORD, client }),
        "RATE_LIMITED",
      );
      expect(w.hasher.work).toBe(work);
    });

    it("lockout: after the failure threshold, RATE_LIMITED even for the right password, no hashing", async () => {
      const w = coreWorld({ lockout: { fromClient: 3 } });
      const person = await w.verified();
      const wrong = { username: person.username, password: "a wrong password", client };
      await rejects(w.accounts.login(wrong), "INVALID_CREDENTIALS");
      await rejects(w.accounts.login(wrong), "INVALID_CREDENTIALS");
      await rejects(w.accounts.login(wrong), "INVALID_CREDENTIALS");
      expect(w.audit).toContainEqual(
        expect.objectContaining({ type: "login.locked", login: person.username }),
      );
      const work = w.hasher.work;
      const error = await rejects(w.accounts.login({ ...person, client }), "RATE_LIMITED");
      expect(error.retryAfterMs).toBeGreaterThan(0);
      expect(w.hasher.work).toBe(work);
    });

    it("lockout: below the threshold, a success forgets this client's failures", async () => {
      const w = coreWorld({ lockout: { fromClient: 2 } });
      const person = await w.verified();
      const wrong = { username: person.username, password: "a wrong password", client };
      for (let round = 0; round < 3; round++) {
        await rejects(w.accounts.login(wrong), "INVALID_CREDENTIALS");
        await w.login(person);
      }
    });

    it("lockout: the account-wide lock holds across clients and login names", async () => {
      const w = coreWorld({ lockout: { account: 2 } });
      const person = await w.verified();
      const from = (n: number) => ({ ip: `203.0.113.${n}`, userAgent: "core-test" });
      await rejects(
        w.accounts.login({ username: person.username, password: "wrong one", client: from(1) }),
        "INVALID_CREDENTIALS",
      );
      await rejects(
        w.accounts.login({ username: person.email, password: "wrong two", client: from(2) }),
        "INVALID_CREDENTIALS",
      );
      await rejects(
        w.accounts.login({ username: person.email, password: PASSWORD, client: from(3) }),
        "RATE_LIMITED",
      );
    });
  });
});
