import { describe, expect, it } from "vitest";
import {
  COMMON_PASSWORD,
  client,
  coreWorld,
  failsMidwayUnchanged,
  PASSWORD,
  rejects,
  rejectsUnchanged,
  uniqueName,
} from "../support/core-world.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("Register", () => {
  it.each([
    64, 100, 128,
  ])("accepts a %i-character password, and Login takes it back (ASVS 2.1.2)", async (length) => {
    const w = coreWorld();
    // Mixed classes and a space: long passphrases are typed, not only generated.
    const password = "Tr0ub4dor & 3 horses, "
      .repeat(8)
      .slice(0, length - 1)
      .concat("!");
    expect([...password]).toHaveLength(length);
    const person = await w.verified({ password });
    expect(await w.canLogin(person.username, password)).toBe(true);
    expect(await w.canLogin(person.username, password.slice(0, -1))).toBe(false);
  });

  it("refuses a 129-character password with WEAK_PASSWORD (ASVS 2.1.2)", async () => {
    const w = coreWorld();
    await rejectsUnchanged(
      w,
      () =>
        w.accounts.register({
          username: uniqueName(),
          email: `${uniqueName()}@example.com`,
          password: "p".repeat(64) + "q".repeat(65),
          client,
        }),
      "WEAK_PASSWORD",
      "password",
    );
  });

  it("creates an unverified account under a new UUIDv7 id, the username in canonical case", async () => {
    const w = coreWorld();
    const user = await w.accounts.register({
      username: "Jane.Doe",
      email: "Jane@Example.com",
      password: PASSWORD,
      client,
    });
    expect(user).toMatchObject({
      username: "jane.doe",
      email: "Jane@Example.com",
      emailKey: "jane@example.com",
      verified: false,
      createdAt: w.clock.now(),
      lastLoginAt: null,
    });
    expect(user.id).toMatch(UUID_V7);
    expect(await w.store.accounts.get(user.id)).toEqual(user);
    expect(await w.store.accounts.findByUsername("jane.doe")).toEqual(user);
    expect(w.audit).toContainEqual({
      type: "account.registered",
      username: "jane.doe",
      ip: client.ip,
    });
  });

  it("mails a verification link to the address as typed, and stores only the token's hash", async () => {
    const w = coreWorld();
    const { email, user } = await w.registered({ email: "Mixed.Case@Example.com" });
    const [link, ...more] = await w.mail(email, "verification");
    expect(more).toEqual([]);
    expect(link).toMatchObject({ username: user.username });
    expect(link?.token).toMatch(/^uhv_[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await w.snapshot())).not.toContain(link?.token);
    expect(w.mailQueued()).toBe(1);
  });

  it("stores the password hashed, so the account logs in with it once verified", async () => {
    const w = coreWorld();
    const person = await w.verified();
    expect(JSON.stringify(await w.snapshot())).not.toContain(PASSWORD);
    expect(await w.canLogin(person.username, PASSWORD)).toBe(true);
  });

  it.each([
    ["username", { username: "x" }, "INVALID_USERNAME"],
    ["username", { username: "ja ne" }, "INVALID_USERNAME"],
    ["username", { username: "\u212Aate" }, "INVALID_USERNAME"], // Kelvin sign folds onto "k"
    ["email", { email: "not-an-email" }, "INVALID_EMAIL"],
    ["email", { email: `${"a".repeat(250)}@example.com` }, "INVALID_EMAIL"],
    ["password", { password: "short" }, "WEAK_PASSWORD"],
    ["password", { password: COMMON_PASSWORD }, "WEAK_PASSWORD"],
    ["password", { password: "fieldcheck@example.com".toUpperCase() }, "WEAK_PASSWORD"],
    ["password", { password: "fieldcheck" }, "WEAK_PASSWORD"], // too short and the username
    ["password", { password: "pass\u0000word-long-enough" }, "WEAK_PASSWORD"],
  ] as const)("a bad %s (%o) is %s: no hashing, no record, no mail", async (field, bad, reason) => {
    const w = coreWorld();
    const input = {
      username: "fieldcheck",
      email: "fieldcheck@example.com",
      password: PASSWORD,
      client,
      ...bad,
    };
    await rejectsUnchanged(w, () => w.accounts.register(input), reason, field);
    expect(w.hasher.work).toBe(0);
  });

  it("a password equal to the username, in any case, is weak", async () => {
    const w = coreWorld();
    const username = "longusername12";
    await rejects(
      w.accounts.register({ username, email: "u@example.com", password: "LongUserName12", client }),
      "WEAK_PASSWORD",
      "password",
    );
  });

  it("takes the minimum password length from the settings", async () => {
    const w = coreWorld({ settings: { passwordMinLength: 20 } });
    const input = { username: uniqueName(), email: "min@example.com", client };
    await rejects(
      w.accounts.register({ ...input, password: "nineteen characters" }),
      "WEAK_PASSWORD",
      "password",
    );
    await w.accounts.register({ ...input, password: "twenty characters ok" });
  });

  it("a taken username, in any case, is USERNAME_TAKEN and writes nothing", async () => {
    const w = coreWorld();
    const jane = await w.registered();
    await rejectsUnchanged(
      w,
      () =>
        w.accounts.register({
          username: jane.username.toUpperCase(),
          email: "someone-else@example.com",
          password: PASSWORD,
          client,
        }),
      "USERNAME_TAKEN",
      "username",
    );
  });

  it("field errors come before USERNAME_TAKEN", async () => {
    const w = coreWorld();
    const jane = await w.registered();
    const taken = { username: jane.username, client };
    await rejects(
      w.accounts.register({ ...taken, email: "bad", password: PASSWORD }),
      "INVALID_EMAIL",
    );
    await rejects(
      w.accounts.register({ ...taken, email: "new@example.com", password: "short" }),
      "WEAK_PASSWORD",
    );
  });

  describe("an email that already has an account (no enumeration)", () => {
    it("answers like a fresh registration, creates nothing, and mails the owner a notice", async () => {
      const w = coreWorld();
      const owner = await w.verified({ email: "owner@example.com" });
      const before = await w.snapshot();
      const work = w.hasher.work;
      const answer = await w.accounts.register({
        username: "impostor",
        email: "OWNER@example.com",
        password: PASSWORD,
        client,
      });
      // The same shape as a fresh registration: the submitted names, unverified, an id.
      expect(answer).toMatchObject({
        username: "impostor",
        email: "OWNER@example.com",
        verified: false,
      });
      expect(answer.id).not.toBe(owner.user.id);
      expect(await w.store.accounts.findByUsername("impostor")).toBeNull();
      // The same hashing work as a fresh registration (one hash), so timing says nothing either.
      expect(w.hasher.work - work).toBe(1);
      expect(await w.mail("owner@example.com", "registration_attempt")).toEqual([
        { kind: "registration_attempt", to: "owner@example.com", username: owner.username },
      ]);
      expect(await w.mail("OWNER@example.com")).toEqual([]);
      // Only the (already delivered) notice went through the outbox: no account, no token.
      expect(await w.snapshot()).toEqual(before);
      expect(w.audit.filter((e) => e.type === "account.registered")).toHaveLength(1);
    });

    it("the owner's password and sessions are untouched", async () => {
      const w = coreWorld();
      const owner = await w.signedIn();
      await w.accounts.register({
        username: "impostor",
        email: owner.email,
        password: "impostor's own password",
        client,
      });
      expect(await w.isLive(owner.session)).toBe(true);
      expect(await w.canLogin(owner.username, owner.password)).toBe(true);
      expect(await w.canLogin(owner.email, "impostor's own password")).toBe(false);
    });
  });

  describe("limits", () => {
    it("register_ip: over budget, RATE_LIMITED with a retry delay, before any hashing or write", async () => {
      const w = coreWorld({ limits: { register_ip: { points: 2, durationMs: 60_000 } } });
      await w.registered();
      await w.registered();
      const work = w.hasher.work;
      const error = await rejectsUnchanged(
        w,
        () =>
          w.accounts.register({
            username: uniqueName(),
            email: "third@example.com",
            password: PASSWORD,
            client,
          }),
        "RATE_LIMITED",
      );
      expect(error.retryAfterMs).toBeGreaterThan(0);
      expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
      expect(w.hasher.work).toBe(work);
      expect(w.audit).toContainEqual(
        expect.objectContaining({ type: "request.rate_limited", limit: "register_ip" }),
      );
    });

    it("register_ip counts per address: another IP has its own budget, an IPv6 /64 shares one", async () => {
      const w = coreWorld({ limits: { register_ip: { points: 1, durationMs: 60_000 } } });
      const register = (ip: string) =>
        w.accounts.register({
          username: uniqueName(),
          email: `${uniqueName("mail")}@example.com`,
          password: PASSWORD,
          client: { ip, userAgent: "core-test" },
        });
      await register("2001:db8:1:2::1");
      await rejects(register("2001:db8:1:2:ffff::9"), "RATE_LIMITED");
      await register("2001:db8:1:3::1");
      await register("203.0.113.9");
    });
  });

  it("a store failure at the last write (the mail) leaves no account and no claim", async () => {
    const w = coreWorld();
    await failsMidwayUnchanged(w, () =>
      w.accounts.register({
        username: "halfway",
        email: "halfway@example.com",
        password: PASSWORD,
        client,
      }),
    );
  });
});
