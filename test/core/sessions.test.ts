import { describe, expect, it, vi } from "vitest";
import {
  type CoreWorld,
  client,
  coreWorld,
  DAY,
  HOUR,
  MINUTE,
  rejectsUnchanged,
} from "../support/core-world.js";

/** Session tokens that name no live session (one of them a token of another kind). */
async function deadTokens(w: CoreWorld): Promise<string[]> {
  const loggedOut = await w.signedIn();
  await w.accounts.logout(loggedOut.session);
  const unverified = await w.registered();
  return ["", `uhs_${"A".repeat(43)}`, loggedOut.session, unverified.link ?? "uhv_"];
}

describe("VerifySession", () => {
  it("a live session: valid, with its account's id and username and its expiry", async () => {
    const w = coreWorld();
    const person = await w.verified();
    const { sessionToken, expiresAt } = await w.accounts.login({ ...person, client });
    expect(await w.accounts.verifySession(sessionToken)).toEqual({
      valid: true,
      accountId: person.user.id,
      username: person.username,
      expiresAt,
    });
  });

  it.each([
    ["empty", ""],
    ["unknown but well-formed", `uhs_${"A".repeat(43)}`],
    ["another kind's prefix", `uhv_${"A".repeat(43)}`],
    ["operator-looking", '{"$gt": ""}'],
  ])("a %s token is valid=false, not an error", async (_name, token) => {
    const w = coreWorld();
    await w.signedIn();
    expect(await w.accounts.verifySession(token)).toEqual({ valid: false });
  });

  describe("expiry", () => {
    it("idle: a session unused for the idle TTL dies; one used meanwhile lives on", async () => {
      const w = coreWorld();
      const person = await w.signedIn();
      const unused = await w.login(person);
      w.clock.advance(7 * DAY - 1);
      expect(await w.isLive(person.session)).toBe(true);
      w.clock.advance(1);
      expect(await w.accounts.verifySession(unused)).toEqual({ valid: false });
      expect(await w.isLive(person.session)).toBe(true);
    });

    it("activity slides the idle expiry, never past the absolute one", async () => {
      const w = coreWorld();
      const { session } = await w.signedIn();
      // Used every 6 days: alive well past the 7-day idle limit...
      for (let day = 6; day < 30; day += 6) {
        w.clock.advance(6 * DAY);
        expect(await w.isLive(session), `day ${day}`).toBe(true);
      }
      // ...until the 30-day absolute limit, however recently it was used.
      w.clock.advance(6 * DAY);
      expect(await w.isLive(session)).toBe(false);
    });

    it("activity is written at most once per touch interval (reads in between are pure)", async () => {
      const w = coreWorld({ settings: { sessionTouchIntervalMs: HOUR } });
      const person = await w.signedIn();
      const [first] = await w.store.sessions.list(person.user.id);
      w.clock.advance(HOUR - 1);
      await w.accounts.verifySession(person.session);
      expect(await w.store.sessions.list(person.user.id)).toEqual([first]);
      w.clock.advance(1);
      const answer = await w.accounts.verifySession(person.session);
      const [touched] = await w.store.sessions.list(person.user.id);
      expect(touched?.lastActiveAt).toEqual(w.clock.now());
      expect(touched?.expiresAt).toEqual(new Date(w.clock.now().getTime() + 7 * DAY));
      expect(answer).toMatchObject({ valid: true, expiresAt: touched?.expiresAt });
    });
  });

  it("answers from the session alone: the username it carries, no account read", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const reads = vi.spyOn(w.store.accounts, "get");
    expect(await w.accounts.verifySession(person.session)).toMatchObject({
      valid: true,
      accountId: person.user.id,
      username: person.user.username,
    });
    expect(reads).not.toHaveBeenCalled();
  });

  it("reads the account for a session stored without a username, and is valid=false when it is gone", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const [stored] = await w.store.sessions.list(person.user.id);
    if (!stored) throw new Error("Login stored no session");
    await w.store.sessions.remove(stored.tokenHash);
    await w.store.sessions.add({ ...stored, username: undefined }); // as stored before sessions kept it
    expect(await w.accounts.verifySession(person.session)).toMatchObject({
      valid: true,
      username: person.user.username,
    });
    await w.store.accounts.remove(person.user.id); // the record alone
    expect(await w.accounts.verifySession(person.session)).toEqual({ valid: false });
  });
});

describe("GetCurrentUser", () => {
  it("returns the session's account", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    expect(await w.accounts.getCurrentUser(person.session)).toEqual(
      await w.store.accounts.get(person.user.id),
    );
  });
});

describe("Logout", () => {
  it("ends that session only", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const other = await w.login(person);
    await w.accounts.logout(person.session);
    expect(await w.isLive(person.session)).toBe(false);
    expect(await w.isLive(other)).toBe(true);
    expect(w.audit).toContainEqual({
      type: "sessions.revoked",
      username: person.username,
      count: 1,
      cause: "logout",
    });
  });

  it("idempotent: a second logout, an unknown or a malformed token is OK and changes nothing", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    await w.accounts.logout(person.session);
    const before = await w.snapshot();
    const revoked = w.audit.filter((e) => e.type === "sessions.revoked").length;
    for (const token of [person.session, `uhs_${"A".repeat(43)}`, "", "junk"]) {
      await expect(w.accounts.logout(token)).resolves.toBeUndefined();
    }
    expect(await w.snapshot()).toEqual(before);
    expect(w.audit.filter((e) => e.type === "sessions.revoked")).toHaveLength(revoked);
  });
});

describe("LogoutAll", () => {
  it("ends every session of the account, the caller's included, and counts them", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const others = [await w.login(person), await w.login(person)];
    const stranger = await w.signedIn();
    expect(await w.accounts.logoutAll(person.session)).toBe(3);
    for (const token of [person.session, ...others]) expect(await w.isLive(token)).toBe(false);
    expect(await w.isLive(stranger.session)).toBe(true);
  });
});

describe("ListSessions", () => {
  it("the caller's live sessions, newest first, the calling one marked current", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    w.clock.advance(MINUTE);
    const laptop = { ip: "203.0.113.20", userAgent: "laptop" };
    await w.login(person, laptop);
    await w.signedIn(); // another account's session is never listed
    const sessions = await w.accounts.listSessions(person.session);
    expect(sessions.map((s) => [s.userAgent, s.ip, s.current])).toEqual([
      ["laptop", "203.0.113.20", false],
      [client.userAgent, client.ip, true],
    ]);
    expect(sessions[0]?.createdAt.getTime()).toBeGreaterThan(sessions[1]?.createdAt.getTime() ?? 0);
  });

  it("leaves out expired sessions (the store may still hold them)", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const old = await w.login(person);
    w.clock.advance(6 * DAY);
    await w.accounts.verifySession(person.session); // keeps this one alive
    w.clock.advance(2 * DAY);
    expect(await w.store.sessions.list(person.user.id)).toHaveLength(2);
    const sessions = await w.accounts.listSessions(person.session);
    expect(sessions.map((s) => s.current)).toEqual([true]);
    expect(await w.isLive(old)).toBe(false);
  });
});

describe("RevokeSession", () => {
  it("ends another session of the caller's own, by its id", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const phone = await w.login(person, { ip: client.ip, userAgent: "phone" });
    const target = (await w.accounts.listSessions(person.session)).find(
      (s) => s.userAgent === "phone",
    );
    await w.accounts.revokeSession(person.session, target?.id ?? "");
    expect(await w.isLive(phone)).toBe(false);
    expect(await w.isLive(person.session)).toBe(true);
  });

  it("another account's session id is SESSION_NOT_FOUND, like an unknown one, and survives", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const stranger = await w.signedIn();
    const [theirs] = await w.accounts.listSessions(stranger.session);
    for (const id of [theirs?.id ?? "", "AAAAAAAAAAAAAAAAAAAAAA", ""]) {
      await rejectsUnchanged(
        w,
        () => w.accounts.revokeSession(person.session, id),
        "SESSION_NOT_FOUND",
        "session_id",
      );
    }
    expect(await w.isLive(stranger.session)).toBe(true);
  });

  it("a dead caller session is INVALID_SESSION, even with a valid id", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const other = await w.login(person);
    const target = (await w.accounts.listSessions(other)).find((s) => s.current);
    await w.accounts.logout(person.session);
    await rejectsUnchanged(
      w,
      () => w.accounts.revokeSession(person.session, target?.id ?? ""),
      "INVALID_SESSION",
    );
    expect(await w.isLive(other)).toBe(true);
  });
});

/** GetCurrentUser, LogoutAll, ListSessions and RevokeSession need a live session; VerifySession and Logout answer instead. */
describe.each([
  ["GetCurrentUser", (w: CoreWorld, token: string) => w.accounts.getCurrentUser(token)],
  ["LogoutAll", (w: CoreWorld, token: string) => w.accounts.logoutAll(token)],
  ["ListSessions", (w: CoreWorld, token: string) => w.accounts.listSessions(token)],
  ["RevokeSession", (w: CoreWorld, token: string) => w.accounts.revokeSession(token, "any-id")],
])("%s without a live session", (_flow, call) => {
  it("a dead, unknown or foreign-kind token is INVALID_SESSION on session_token, changing nothing", async () => {
    const w = coreWorld();
    await w.signedIn();
    for (const token of await deadTokens(w)) {
      await rejectsUnchanged(w, () => call(w, token), "INVALID_SESSION", "session_token");
    }
  });

  it("an idle-expired session is INVALID_SESSION, changing nothing", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    w.clock.advance(7 * DAY);
    await rejectsUnchanged(w, () => call(w, person.session), "INVALID_SESSION", "session_token");
  });
});
