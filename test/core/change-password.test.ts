import { describe, expect, it } from "vitest";
import {
  COMMON_PASSWORD,
  coreWorld,
  DAY,
  failsMidwayUnchanged,
  NEW_PASSWORD,
  PASSWORD,
  rejects,
  rejectsUnchanged,
  uniqueName,
} from "../support/core-world.js";

describe("ChangePassword", () => {
  it("the new password logs in and the old one no longer does; the owner is told by mail", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    await w.accounts.changePassword({
      sessionToken: person.session,
      oldPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(await w.canLogin(person.username, NEW_PASSWORD)).toBe(true);
    expect(await w.canLogin(person.username, PASSWORD)).toBe(false);
    expect(await w.mail(person.email, "password_changed")).toEqual([
      { kind: "password_changed", to: person.email, username: person.username },
    ]);
    expect(w.audit).toContainEqual({ type: "password.changed", username: person.username });
  });

  it("revokes every other session of the account, keeps the caller's and other accounts'", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const others = [await w.login(person), await w.login(person)];
    const stranger = await w.signedIn();
    await w.accounts.changePassword({
      sessionToken: person.session,
      oldPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    for (const token of others) expect(await w.isLive(token)).toBe(false);
    expect(await w.isLive(person.session)).toBe(true);
    expect(await w.isLive(stranger.session)).toBe(true);
    expect(w.audit).toContainEqual({
      type: "sessions.revoked",
      username: person.username,
      count: 2,
      cause: "password_change",
    });
  });

  it("outstanding reset and verification links die with the old password", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const links = await w.pendingLinks(person);
    await w.accounts.changePassword({
      sessionToken: person.session,
      oldPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    await w.expectLinksDead(links);
  });

  it.each([
    ["too short", "short"],
    ["common", COMMON_PASSWORD],
    ["the username", null],
    ["a control character", "new\u0007password-long"],
  ])("a new password that is %s is WEAK_PASSWORD, checked before the old one", async (_name, bad) => {
    const w = coreWorld();
    const person = await w.signedIn({ username: uniqueName("long-username-") });
    const work = w.hasher.work;
    await rejectsUnchanged(
      w,
      () =>
        w.accounts.changePassword({
          sessionToken: person.session,
          oldPassword: "not even the old password",
          newPassword: bad ?? person.username.toUpperCase(),
        }),
      "WEAK_PASSWORD",
      "new_password",
    );
    expect(w.hasher.work).toBe(work);
  });

  it("a wrong old password is INVALID_CREDENTIALS on old_password, and nothing changes", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const other = await w.login(person);
    await rejectsUnchanged(
      w,
      () =>
        w.accounts.changePassword({
          sessionToken: person.session,
          oldPassword: "a wrong password",
          newPassword: NEW_PASSWORD,
        }),
      "INVALID_CREDENTIALS",
      "old_password",
    );
    expect(await w.isLive(other)).toBe(true);
  });

  it("wrong old passwords lock this session's password checks: then RATE_LIMITED, even when right", async () => {
    const w = coreWorld({ lockout: { fromClient: 2 } });
    const person = await w.signedIn();
    const change = (oldPassword: string) =>
      w.accounts.changePassword({
        sessionToken: person.session,
        oldPassword,
        newPassword: NEW_PASSWORD,
      });
    await rejects(change("wrong one"), "INVALID_CREDENTIALS");
    await rejects(change("wrong two"), "INVALID_CREDENTIALS");
    const work = w.hasher.work;
    await rejectsUnchanged(w, () => change(PASSWORD), "RATE_LIMITED");
    expect(w.hasher.work).toBe(work);
    // A stolen session is no password oracle, but its guesses are no outsider's
    // lever on the owner either: Login stays open.
    await w.login(person);
  });

  it("a dead session is INVALID_SESSION before any password work", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    w.clock.advance(7 * DAY);
    const work = w.hasher.work;
    await rejectsUnchanged(
      w,
      () =>
        w.accounts.changePassword({
          sessionToken: person.session,
          oldPassword: PASSWORD,
          newPassword: NEW_PASSWORD,
        }),
      "INVALID_SESSION",
      "session_token",
    );
    expect(w.hasher.work).toBe(work);
  });

  it("a store failure at the last write (the mail) leaves nothing half done", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    await w.login(person);
    await w.pendingLinks(person);
    await failsMidwayUnchanged(w, () =>
      w.accounts.changePassword({
        sessionToken: person.session,
        oldPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
      }),
    );
  });
});
