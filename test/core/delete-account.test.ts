import { describe, expect, it } from "vitest";
import {
  client,
  coreWorld,
  DAY,
  PASSWORD,
  rejects,
  rejectsUnchanged,
} from "../support/core-world.js";

describe("DeleteAccount", () => {
  it("removes the account, its claims, every session and every link, leaving no record naming it", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const other = await w.login(person);
    const links = await w.pendingLinks(person);
    const stranger = await w.signedIn();
    await w.accounts.deleteAccount({ sessionToken: person.session, password: PASSWORD });

    expect(await w.store.accounts.get(person.user.id)).toBeNull();
    expect(await w.store.accounts.findByUsername(person.username)).toBeNull();
    expect(await w.store.accounts.findByEmail(person.email)).toBeNull();
    for (const token of [person.session, other]) expect(await w.isLive(token)).toBe(false);
    await w.expectLinksDead(links);
    expect(await w.canLogin(person.username, PASSWORD)).toBe(false);
    await w.deliver();
    expect(JSON.stringify(await w.snapshot())).not.toContain(person.user.id);
    expect(await w.isLive(stranger.session)).toBe(true);
    expect(w.audit).toContainEqual({
      type: "sessions.revoked",
      username: person.username,
      count: 2,
      cause: "deletion",
    });
    expect(w.audit).toContainEqual({ type: "account.deleted", username: person.username });
  });

  it("the id is never reused: the same username and email again make a new account that inherits nothing", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const reset = await w.tokenFrom(person.email, "password_reset", () =>
      w.accounts.sendPasswordReset({ email: person.email, client }),
    );
    await w.accounts.deleteAccount({ sessionToken: person.session, password: PASSWORD });
    const again = await w.signedIn({ username: person.username, email: person.email });
    expect(again.user.id).not.toBe(person.user.id);
    expect(await w.isLive(person.session)).toBe(false);
    await rejects(
      w.accounts.resetPassword({ token: reset, newPassword: "taken over at last", client }),
      "INVALID_TOKEN",
    );
    expect(await w.accounts.listSessions(again.session)).toHaveLength(1);
  });

  it("a wrong password is INVALID_CREDENTIALS on password, and nothing is deleted", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    await rejectsUnchanged(
      w,
      () => w.accounts.deleteAccount({ sessionToken: person.session, password: `${PASSWORD}!` }),
      "INVALID_CREDENTIALS",
      "password",
    );
    expect(await w.isLive(person.session)).toBe(true);
  });

  it("wrong passwords lock this session's password checks: then RATE_LIMITED, even when right", async () => {
    const w = coreWorld({ lockout: { fromClient: 2 } });
    const person = await w.signedIn();
    const remove = (password: string) =>
      w.accounts.deleteAccount({ sessionToken: person.session, password });
    await rejects(remove("wrong one"), "INVALID_CREDENTIALS");
    await rejects(remove("wrong two"), "INVALID_CREDENTIALS");
    const work = w.hasher.work;
    await rejectsUnchanged(w, () => remove(PASSWORD), "RATE_LIMITED");
    expect(w.hasher.work).toBe(work);
  });

  it("an idle-expired session is INVALID_SESSION, before any password work", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    w.clock.advance(7 * DAY);
    const work = w.hasher.work;
    await rejectsUnchanged(
      w,
      () => w.accounts.deleteAccount({ sessionToken: person.session, password: PASSWORD }),
      "INVALID_SESSION",
      "session_token",
    );
    expect(w.hasher.work).toBe(work);
    expect(await w.store.accounts.get(person.user.id)).not.toBeNull();
  });
});
