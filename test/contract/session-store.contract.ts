import { describe, expect, it } from "vitest";
import { at, HOUR, newSession, unique } from "../support/records.js";
import type { StoreHarness } from "../support/stores.js";
import { sharedStore } from "./harness.js";

/** The SessionStore contract: sessions by token hash, listed and revoked per account id. */
export function describeSessionStoreContract(harness: StoreHarness): void {
  describe(`SessionStore contract: ${harness.name}`, () => {
    const instance = sharedStore(harness);
    const sessions = () => instance().store.sessions;

    it("adds, finds, touches and removes a session by token hash", async () => {
      const session = newSession(unique("acct"));
      await sessions().add(session);
      expect(await sessions().get(session.tokenHash)).toEqual(session);
      expect(await sessions().touch(session.tokenHash, at(HOUR), at(HOUR + 7 * 24 * HOUR))).toBe(
        true,
      );
      expect(await sessions().get(session.tokenHash)).toEqual({
        ...session,
        lastActiveAt: at(HOUR),
        expiresAt: at(HOUR + 7 * 24 * HOUR),
      });
      expect(await sessions().remove(session.tokenHash)).toBe(true);
      expect(await sessions().remove(session.tokenHash)).toBe(false);
      expect(await sessions().touch(session.tokenHash, at(2 * HOUR), at(3 * HOUR))).toBe(false);
      expect(await sessions().get(session.tokenHash)).toBeNull();
    });

    it("keeps the username a session carries, and stores one without it (older sessions) as is", async () => {
      const carried = newSession(unique("acct"), { username: "carried" });
      const older = newSession(unique("acct"), { username: undefined });
      await sessions().add(carried);
      await sessions().add(older);
      expect((await sessions().get(carried.tokenHash))?.username).toBe("carried");
      expect(await sessions().get(older.tokenHash)).toEqual(older);
      expect((await sessions().get(older.tokenHash))?.username).toBeUndefined();
    });

    it("lists an account's sessions and removes by id only within that account", async () => {
      const accountId = unique("acct");
      const [a, b] = [newSession(accountId), newSession(accountId, { createdAt: at(1_000) })];
      const stranger = newSession(unique("stranger"));
      for (const s of [a, b, stranger]) await sessions().add(s);
      const listed = await sessions().list(accountId);
      expect(listed.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
      expect(await sessions().removeById(accountId, stranger.id)).toBe(false);
      expect(await sessions().get(stranger.tokenHash)).toEqual(stranger);
      expect(await sessions().removeById(accountId, a.id)).toBe(true);
      expect(await sessions().removeById(accountId, a.id)).toBe(false);
      expect((await sessions().list(accountId)).map((s) => s.id)).toEqual([b.id]);
      expect(await sessions().list(unique("nobody"))).toEqual([]);
    });

    it("removes all of an account's sessions, optionally keeping one, and counts them", async () => {
      const accountId = unique("acct");
      const mine = [newSession(accountId), newSession(accountId), newSession(accountId)];
      const stranger = newSession(unique("stranger"));
      for (const s of [...mine, stranger]) await sessions().add(s);
      const keep = mine[0]?.tokenHash ?? "";
      expect(await sessions().removeAll(accountId, keep)).toBe(2);
      expect((await sessions().list(accountId)).map((s) => s.tokenHash)).toEqual([keep]);
      expect(await sessions().removeAll(accountId)).toBe(1);
      expect(await sessions().removeAll(accountId)).toBe(0);
      expect(await sessions().get(stranger.tokenHash)).toEqual(stranger);
    });

    it("matches hostile-looking keys literally", async () => {
      const session = newSession(unique("acct"));
      await sessions().add(session);
      for (const value of ['{"$gt": ""}', "$where", "a.b", "$ne"]) {
        expect(await sessions().get(value)).toBeNull();
        expect(await sessions().list(value)).toEqual([]);
        expect(await sessions().removeAll(value)).toBe(0);
        expect(await sessions().removeById(session.accountId, value)).toBe(false);
      }
      expect(await sessions().get(session.tokenHash)).toEqual(session);
    });
  });
}
