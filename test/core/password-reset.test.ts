import { describe, expect, it } from "vitest";
import {
  COMMON_PASSWORD,
  type CoreWorld,
  client,
  coreWorld,
  failsMidwayUnchanged,
  HOUR,
  NEW_PASSWORD,
  PASSWORD,
  rejects,
  rejectsUnchanged,
} from "../support/core-world.js";

/** A signed-in account and the token of a reset link mailed to it. */
async function withResetLink(w: CoreWorld) {
  const person = await w.signedIn();
  const token = await w.tokenFrom(person.email, "password_reset", () =>
    w.accounts.sendPasswordReset({ email: person.email, client }),
  );
  return { ...person, token };
}

describe("SendPasswordReset", () => {
  it("mails a uhr_ link to the account's address as registered, storing only its hash", async () => {
    const w = coreWorld();
    const person = await w.verified({ email: "Reset.Me@Example.com" });
    const token = await w.tokenFrom(person.email, "password_reset", () =>
      w.accounts.sendPasswordReset({ email: "reset.me@example.COM", client }),
    );
    expect(token).toMatch(/^uhr_[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await w.snapshot())).not.toContain(token);
  });

  it("an unknown email gets the same answer, and nothing is stored or mailed", async () => {
    const w = coreWorld();
    await w.verified();
    await w.deliver();
    const before = await w.snapshot();
    const sent = w.mailbox.sent.length;
    await expect(
      w.accounts.sendPasswordReset({ email: "nobody@example.com", client }),
    ).resolves.toBeUndefined();
    expect(await w.snapshot()).toEqual(before);
    expect(await w.deliver()).toBe(0);
    expect(w.mailbox.sent.length).toBe(sent);
  });

  it("a malformed email is INVALID_EMAIL", async () => {
    const w = coreWorld();
    await rejectsUnchanged(
      w,
      () => w.accounts.sendPasswordReset({ email: "jane@", client }),
      "INVALID_EMAIL",
      "email",
    );
  });

  it("mail_email: over budget, RATE_LIMITED for a known and an unknown address alike", async () => {
    const w = coreWorld({ limits: { mail_email: { points: 1, durationMs: 60_000 } } });
    const person = await w.verified();
    for (const email of [person.email, "nobody@example.com"]) {
      await w.accounts.sendPasswordReset({ email, client });
      const error = await rejectsUnchanged(
        w,
        () => w.accounts.sendPasswordReset({ email, client }),
        "RATE_LIMITED",
      );
      expect(error.retryAfterMs).toBeGreaterThan(0);
    }
  });

  it("mail_ip: over budget from one address, RATE_LIMITED", async () => {
    const w = coreWorld({ limits: { mail_ip: { points: 1, durationMs: 60_000 } } });
    await w.accounts.sendPasswordReset({ email: "a@example.com", client });
    await rejects(w.accounts.sendPasswordReset({ email: "b@example.com", client }), "RATE_LIMITED");
  });
  it("a store failure while queuing the mail leaves no token behind", async () => {
    const w = coreWorld();
    const person = await w.verified();
    await failsMidwayUnchanged(w, () =>
      w.accounts.sendPasswordReset({ email: person.email, client }),
    );
  });
});

describe("ResetPassword", () => {
  it("sets the new password: it logs in, the old one does not; the owner is told by mail", async () => {
    const w = coreWorld();
    const person = await withResetLink(w);
    await w.accounts.resetPassword({ token: person.token, newPassword: NEW_PASSWORD, client });
    expect(await w.canLogin(person.username, NEW_PASSWORD)).toBe(true);
    expect(await w.canLogin(person.username, PASSWORD)).toBe(false);
    expect(await w.mail(person.email, "password_changed")).toHaveLength(1);
  });

  it("revokes every session of the account, and only of that account", async () => {
    const w = coreWorld();
    const person = await withResetLink(w);
    const other = await w.login(person);
    const stranger = await w.signedIn();
    await w.accounts.resetPassword({ token: person.token, newPassword: NEW_PASSWORD, client });
    expect(await w.isLive(person.session)).toBe(false);
    expect(await w.isLive(other)).toBe(false);
    expect(await w.isLive(stranger.session)).toBe(true);
    expect(w.audit).toContainEqual({
      type: "sessions.revoked",
      username: person.username,
      count: 2,
      cause: "password_reset",
    });
  });

  it("every other reset and verification link of the account dies", async () => {
    const w = coreWorld();
    const person = await withResetLink(w);
    const links = await w.pendingLinks(person);
    await w.accounts.resetPassword({ token: person.token, newPassword: NEW_PASSWORD, client });
    await w.expectLinksDead(links);
  });

  it("marks the email verified: receiving the link proved the address", async () => {
    const w = coreWorld();
    const person = await w.registered();
    const token = await w.tokenFrom(person.email, "password_reset", () =>
      w.accounts.sendPasswordReset({ email: person.email, client }),
    );
    await w.accounts.resetPassword({ token, newPassword: NEW_PASSWORD, client });
    expect((await w.store.accounts.get(person.user.id))?.verified).toBe(true);
    expect(await w.canLogin(person.username, NEW_PASSWORD)).toBe(true);
  });

  it("single use: the second use is INVALID_TOKEN and changes nothing", async () => {
    const w = coreWorld();
    const person = await withResetLink(w);
    await w.accounts.resetPassword({ token: person.token, newPassword: NEW_PASSWORD, client });
    await rejectsUnchanged(
      w,
      () =>
        w.accounts.resetPassword({
          token: person.token,
          newPassword: "yet another password",
          client,
        }),
      "INVALID_TOKEN",
      "token",
    );
    expect(await w.canLogin(person.username, NEW_PASSWORD)).toBe(true);
  });

  it("expires after the reset TTL: INVALID_TOKEN, the password and sessions stay", async () => {
    const w = coreWorld({ settings: { resetTtlMs: HOUR } });
    const person = await withResetLink(w);
    w.clock.advance(HOUR);
    await rejectsUnchanged(
      w,
      () => w.accounts.resetPassword({ token: person.token, newPassword: NEW_PASSWORD, client }),
      "INVALID_TOKEN",
      "token",
    );
    expect(await w.isLive(person.session)).toBe(true);
    expect(await w.canLogin(person.username, PASSWORD)).toBe(true);
  });

  it("works until the last millisecond of the TTL", async () => {
    const w = coreWorld({ settings: { resetTtlMs: HOUR } });
    const person = await withResetLink(w);
    w.clock.advance(HOUR - 1);
    await w.accounts.resetPassword({ token: person.token, newPassword: NEW_PASSWORD, client });
    expect(await w.canLogin(person.username, NEW_PASSWORD)).toBe(true);
  });

  it.each([
    ["too short", () => "short"],
    ["common", () => COMMON_PASSWORD],
    ["too long", () => "x".repeat(129)],
  ])("a %s new password is WEAK_PASSWORD before the token is touched: it stays usable", async (_name, bad) => {
    const w = coreWorld();
    const person = await withResetLink(w);
    const work = w.hasher.work;
    await rejectsUnchanged(
      w,
      () => w.accounts.resetPassword({ token: person.token, newPassword: bad(), client }),
      "WEAK_PASSWORD",
      "new_password",
    );
    expect(w.hasher.work).toBe(work);
    await w.accounts.resetPassword({ token: person.token, newPassword: NEW_PASSWORD, client });
    expect(await w.canLogin(person.username, NEW_PASSWORD)).toBe(true);
  });

  it("a new password equal to the account's email is WEAK_PASSWORD", async () => {
    const w = coreWorld();
    const person = await withResetLink(w);
    await rejects(
      w.accounts.resetPassword({ token: person.token, newPassword: person.email, client }),
      "WEAK_PASSWORD",
    );
  });

  it.each([
    ["empty", () => ""],
    ["unknown but well-formed", () => `uhr_${"A".repeat(43)}`],
  ])("a %s token is INVALID_TOKEN and changes nothing", async (_name, token) => {
    const w = coreWorld();
    await withResetLink(w);
    await rejectsUnchanged(
      w,
      () => w.accounts.resetPassword({ token: token(), newPassword: NEW_PASSWORD, client }),
      "INVALID_TOKEN",
      "token",
    );
  });

  it("a verification or session token is never a reset token, even with the prefix swapped", async () => {
    const w = coreWorld();
    const person = await withResetLink(w);
    const links = await w.pendingLinks(person);
    for (const token of [
      links.verification,
      `uhr_${links.verification.slice(4)}`,
      person.session,
    ]) {
      await rejectsUnchanged(
        w,
        () => w.accounts.resetPassword({ token, newPassword: NEW_PASSWORD, client }),
        "INVALID_TOKEN",
      );
    }
  });

  it("a store failure at the last write (the mail) leaves nothing half done, the token included", async () => {
    const w = coreWorld();
    const person = await withResetLink(w);
    await w.login(person);
    await failsMidwayUnchanged(w, () =>
      w.accounts.resetPassword({ token: person.token, newPassword: NEW_PASSWORD, client }),
    );
  });
});
