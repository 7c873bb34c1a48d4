import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserToken } from "../../src/core/domain/account.js";
import {
  DuplicateError,
  type OutboxMail,
  type UserStore,
} from "../../src/core/ports/user-store.js";
import { at, HOUR, hash, newMail, newSession, newUser, unique } from "../support/records.js";
import { NO_ISOLATION_NOTE, type StoreHarness, type StoreInstance } from "../support/stores.js";

/**
 * The one contract every UserStore keeps. Each test uses fresh names, so one
 * store instance serves the whole suite.
 */

/** Verification and reset tokens keep the same contract under different names. */
const tokenKinds = [
  {
    kind: "email verification",
    set: (s: UserStore, t: UserToken) => s.setEmailVerification(t),
    get: (s: UserStore, h: string) => s.getEmailVerification(h),
    consume: (s: UserStore, h: string) => s.consumeEmailVerification(h),
    remove: (s: UserStore, h: string) => s.removeEmailVerification(h),
  },
  {
    kind: "password reset",
    set: (s: UserStore, t: UserToken) => s.setPasswordReset(t),
    get: (s: UserStore, h: string) => s.getPasswordReset(h),
    consume: (s: UserStore, h: string) => s.consumePasswordReset(h),
    remove: (s: UserStore, h: string) => s.removePasswordReset(h),
  },
];

class Rollback extends Error {}

export function describeUserStoreContract(harness: StoreHarness): void {
  describe(`UserStore contract: ${harness.name}`, () => {
    let instance: StoreInstance;
    let store: UserStore;
    beforeAll(async () => {
      instance = await harness.create();
      store = instance.store;
    });
    afterAll(() => instance?.dispose());

    describe("users", () => {
      it("creates and finds a user by username and by email key, without exposing the hash", async () => {
        const user = newUser();
        await store.createUser(user);
        const { passwordHash, ...view } = user;
        expect(await store.getUserByUsername(user.username)).toEqual(view);
        expect(await store.getUserByEmail(user.emailKey)).toEqual(view);
        expect(await store.getPasswordHash(user.username)).toBe(passwordHash);
      });

      it("answers null for unknown users and ignores updates to them", async () => {
        const nobody = unique("nobody");
        expect(await store.getUserByUsername(nobody)).toBeNull();
        expect(await store.getUserByEmail(`${nobody}@example.com`)).toBeNull();
        expect(await store.getPasswordHash(nobody)).toBeNull();
        await store.setUserVerified(nobody);
        await store.setPasswordHash(nobody, "x");
        await store.deleteUser(nobody);
        expect(await store.getUserByUsername(nobody)).toBeNull();
      });

      it("refuses a taken username or email key with DuplicateError, writing nothing", async () => {
        const first = newUser();
        await store.createUser(first);
        const sameName = newUser({ username: first.username, email: `${unique("x")}@example.com` });
        await expect(store.createUser(sameName)).rejects.toEqual(new DuplicateError("username"));
        const sameEmail = newUser({ email: first.email.toUpperCase(), emailKey: first.emailKey });
        await expect(store.createUser(sameEmail)).rejects.toEqual(new DuplicateError("email"));
        expect(await store.getUserByUsername(sameEmail.username)).toBeNull();
        expect(await store.getUserByEmail(sameName.emailKey)).toBeNull();
        expect((await store.getUserByUsername(first.username))?.email).toBe(first.email);
      });

      it("sets verified and the password hash, and deletes", async () => {
        const user = newUser();
        await store.createUser(user);
        await store.setUserVerified(user.username);
        await store.setPasswordHash(user.username, "$argon2id$new");
        expect((await store.getUserByUsername(user.username))?.verified).toBe(true);
        expect(await store.getPasswordHash(user.username)).toBe("$argon2id$new");
        await store.deleteUser(user.username);
        expect(await store.getUserByUsername(user.username)).toBeNull();
        expect(await store.getUserByEmail(user.emailKey)).toBeNull();
        // The email and username are free again.
        await store.createUser(user);
      });

      it("matches hostile-looking strings literally, never as operators or paths", async () => {
        const tricky = ['{"$gt": ""}', "$where", "a.b", "$ne", "..", "a\u0000b"];
        for (const value of tricky) {
          const user = newUser({
            username: `${value}-${unique("u")}`,
            emailKey: `${value}@${unique("d")}.com`,
          });
          await store.createUser(user);
          expect((await store.getUserByUsername(user.username))?.username).toBe(user.username);
          expect((await store.getUserByEmail(user.emailKey))?.username).toBe(user.username);
          expect(await store.getUserByUsername(value)).toBeNull();
          const token: UserToken = {
            username: user.username,
            tokenHash: value + unique("h"),
            expiresAt: at(HOUR),
          };
          await store.setEmailVerification(token);
          expect(await store.getEmailVerification(token.tokenHash)).toEqual(token);
          expect(await store.getEmailVerification(value)).toBeNull();
          expect(await store.getSession(value)).toBeNull();
        }
      });
    });

    describe.each(tokenKinds)("$kind tokens", (k) => {
      it("stores, finds, consumes once and removes by hash, with exact expiry", async () => {
        const token: UserToken = {
          username: unique("u"),
          tokenHash: hash(),
          expiresAt: at(HOUR + 123),
        };
        await k.set(store, token);
        expect(await k.get(store, token.tokenHash)).toEqual(token);
        expect(await k.consume(store, token.tokenHash)).toEqual(token);
        expect(await k.consume(store, token.tokenHash)).toBeNull();
        expect(await k.get(store, token.tokenHash)).toBeNull();
        const other: UserToken = { ...token, tokenHash: hash() };
        await k.set(store, other);
        await k.remove(store, other.tokenHash);
        await k.remove(store, other.tokenHash); // removing a missing token is fine
        expect(await k.get(store, other.tokenHash)).toBeNull();
      });

      it("of 20 concurrent consumers of one token, exactly one gets it", async () => {
        const token: UserToken = { username: unique("u"), tokenHash: hash(), expiresAt: at(HOUR) };
        await k.set(store, token);
        const results = await Promise.all(
          Array.from({ length: 20 }, () => k.consume(store, token.tokenHash)),
        );
        expect(results.filter((r) => r !== null)).toEqual([token]);
      });

      it("of 10 concurrent transactions consuming one token, exactly one commits, and only its writes persist", async (ctx) => {
        if (!instance.isolatesConcurrentTransactions) ctx.skip(NO_ISOLATION_NOTE);
        const user = newUser();
        await store.createUser(user);
        const token: UserToken = {
          username: user.username,
          tokenHash: hash(),
          expiresAt: at(HOUR),
        };
        await k.set(store, token);
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.transaction(async (tx) => {
              const got = await k.consume(tx, token.tokenHash);
              if (got) await tx.setPasswordHash(user.username, `winner-${i}`);
              return got !== null;
            }),
          ),
        );
        const winners = outcomes.flatMap((won, i) => (won ? [i] : []));
        expect(winners).toHaveLength(1);
        expect(await store.getPasswordHash(user.username)).toBe(`winner-${winners[0]}`);
        expect(await k.get(store, token.tokenHash)).toBeNull();
      });
    });

    it("removeUserTokens removes both kinds for that user only, and counts them", async () => {
      const username = unique("u");
      const mine = [
        { username, tokenHash: hash(), expiresAt: at(HOUR) },
        { username, tokenHash: hash(), expiresAt: at(HOUR) },
      ];
      const theirs = { username: unique("other"), tokenHash: hash(), expiresAt: at(HOUR) };
      await store.setEmailVerification(mine[0] as UserToken);
      await store.setPasswordReset(mine[1] as UserToken);
      await store.setPasswordReset(theirs);
      expect(await store.removeUserTokens(username)).toBe(2);
      expect(await store.getEmailVerification(mine[0]?.tokenHash ?? "")).toBeNull();
      expect(await store.getPasswordReset(mine[1]?.tokenHash ?? "")).toBeNull();
      expect(await store.getPasswordReset(theirs.tokenHash)).toEqual(theirs);
      expect(await store.removeUserTokens(username)).toBe(0);
    });

    describe("sessions", () => {
      it("adds, finds, touches and removes a session by token hash", async () => {
        const session = newSession(unique("u"));
        await store.addSession(session);
        expect(await store.getSession(session.tokenHash)).toEqual(session);
        expect(
          await store.touchSession(session.tokenHash, at(HOUR), at(HOUR + 7 * 24 * HOUR)),
        ).toBe(true);
        expect(await store.getSession(session.tokenHash)).toEqual({
          ...session,
          lastActiveAt: at(HOUR),
          expiresAt: at(HOUR + 7 * 24 * HOUR),
        });
        expect(await store.removeSession(session.tokenHash)).toBe(true);
        expect(await store.removeSession(session.tokenHash)).toBe(false);
        expect(await store.touchSession(session.tokenHash, at(2 * HOUR), at(3 * HOUR))).toBe(false);
        expect(await store.getSession(session.tokenHash)).toBeNull();
      });

      it("lists a user's sessions and removes by id only within that user", async () => {
        const username = unique("u");
        const [a, b] = [newSession(username), newSession(username, { createdAt: at(1_000) })];
        const stranger = newSession(unique("stranger"));
        for (const s of [a, b, stranger]) await store.addSession(s);
        const listed = await store.listSessions(username);
        expect(listed.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
        expect(await store.removeSessionById(username, stranger.id)).toBe(false);
        expect(await store.getSession(stranger.tokenHash)).toEqual(stranger);
        expect(await store.removeSessionById(username, a.id)).toBe(true);
        expect(await store.removeSessionById(username, a.id)).toBe(false);
        expect((await store.listSessions(username)).map((s) => s.id)).toEqual([b.id]);
        expect(await store.listSessions(unique("nobody"))).toEqual([]);
      });

      it("removes all of a user's sessions, optionally keeping one, and counts them", async () => {
        const username = unique("u");
        const sessions = [newSession(username), newSession(username), newSession(username)];
        const stranger = newSession(unique("stranger"));
        for (const s of [...sessions, stranger]) await store.addSession(s);
        const keep = sessions[0]?.tokenHash ?? "";
        expect(await store.removeAllSessions(username, keep)).toBe(2);
        expect((await store.listSessions(username)).map((s) => s.tokenHash)).toEqual([keep]);
        expect(await store.removeAllSessions(username)).toBe(1);
        expect(await store.removeAllSessions(username)).toBe(0);
        expect(await store.getSession(stranger.tokenHash)).toEqual(stranger);
      });
    });

    describe("outbox", () => {
      // Outbox rows are shared by the whole suite, so each test claims at its own point in time.
      it("claims a due mail once per lease, and again after the lease passes", async () => {
        const now = at(100 * HOUR);
        const mail = newMail({ nextAttemptAt: now });
        await store.addOutboxMail(mail);
        const claimed = await drainClaims(store, now, at(100 * HOUR + 60_000), mail.id);
        expect(claimed).toEqual({ ...mail, leaseUntil: at(100 * HOUR + 60_000) });
        expect(await drainClaims(store, now, at(100 * HOUR + 60_000), mail.id)).toBeNull();
        const later = at(100 * HOUR + 61_000);
        expect((await drainClaims(store, later, at(100 * HOUR + 121_000), mail.id))?.id).toBe(
          mail.id,
        );
        await store.removeOutboxMail(mail.id);
        expect(await drainClaims(store, at(200 * HOUR), at(201 * HOUR), mail.id)).toBeNull();
      });

      it("does not hand out a mail before its next attempt time", async () => {
        const mail = newMail({ nextAttemptAt: at(300 * HOUR) });
        await store.addOutboxMail(mail);
        expect(
          await drainClaims(store, at(299 * HOUR), at(299 * HOUR + 60_000), mail.id),
        ).toBeNull();
        expect(
          (await drainClaims(store, at(300 * HOUR), at(300 * HOUR + 60_000), mail.id))?.id,
        ).toBe(mail.id);
        await store.rescheduleOutboxMail(mail.id, 1, at(400 * HOUR));
        expect(
          await drainClaims(store, at(399 * HOUR), at(399 * HOUR + 60_000), mail.id),
        ).toBeNull();
        const retried = await drainClaims(store, at(400 * HOUR), at(400 * HOUR + 60_000), mail.id);
        expect(retried).toMatchObject({ id: mail.id, attempts: 1 });
        await store.removeOutboxMail(mail.id);
      });

      it("dead-letters: never handed out again, payload dropped, counted", async () => {
        const before = await store.countOutbox();
        const mail = newMail({ nextAttemptAt: at(500 * HOUR) });
        await store.addOutboxMail(mail);
        expect(await store.countOutbox()).toEqual({ ...before, pending: before.pending + 1 });
        await store.deadLetterOutboxMail(mail.id, 5);
        expect(await store.countOutbox()).toEqual({
          pending: before.pending,
          deadLettered: before.deadLettered + 1,
        });
        expect(await drainClaims(store, at(900 * HOUR), at(901 * HOUR), mail.id)).toBeNull();
      });

      it("hands each of 10 mails to exactly one of 10 concurrent claimers", async () => {
        const now = at(1_000 * HOUR);
        const mails = Array.from({ length: 10 }, () => newMail({ nextAttemptAt: now }));
        for (const m of mails) await store.addOutboxMail(m);
        const ids = new Set(mails.map((m) => m.id));
        const claimed: string[] = [];
        await Promise.all(
          Array.from({ length: 10 }, async () => {
            for (;;) {
              const mail = await store.claimOutboxMail(now, at(1_000 * HOUR + 60_000));
              if (!mail) return;
              if (ids.has(mail.id)) claimed.push(mail.id);
            }
          }),
        );
        expect(claimed.sort()).toEqual([...ids].sort());
        for (const m of mails) await store.removeOutboxMail(m.id);
      });
    });

    describe("transactions", () => {
      it("commit: every write inside is visible afterwards, and the result is returned", async () => {
        const user = newUser();
        const session = newSession(user.username);
        const result = await store.transaction(async (tx) => {
          await tx.createUser(user);
          await tx.addSession(session);
          await tx.setEmailVerification({
            username: user.username,
            tokenHash: hash(),
            expiresAt: at(HOUR),
          });
          return "done";
        });
        expect(result).toBe("done");
        expect((await store.getUserByUsername(user.username))?.username).toBe(user.username);
        expect(await store.getSession(session.tokenHash)).toEqual(session);
      });

      it("rollback: a throw inside persists nothing, of any kind, and propagates", async () => {
        const existing = newUser();
        await store.createUser(existing);
        const kept = newSession(existing.username);
        await store.addSession(kept);
        const token: UserToken = {
          username: existing.username,
          tokenHash: hash(),
          expiresAt: at(HOUR),
        };
        await store.setPasswordReset(token);
        const before = await instance.snapshot();

        const fresh = newUser();
        const mail = newMail();
        await expect(
          store.transaction(async (tx) => {
            await tx.createUser(fresh);
            await tx.setUserVerified(existing.username);
            await tx.setPasswordHash(existing.username, "changed");
            await tx.addSession(newSession(existing.username));
            await tx.removeSession(kept.tokenHash);
            expect(await tx.consumePasswordReset(token.tokenHash)).toEqual(token);
            await tx.addOutboxMail(mail);
            // Nested transaction() runs inside the same one.
            await tx.transaction(async (inner) => inner.deleteUser(existing.username));
            expect(await tx.getUserByUsername(existing.username)).toBeNull(); // reads its own writes
            throw new Rollback("abort");
          }),
        ).rejects.toBeInstanceOf(Rollback);

        expect(await instance.snapshot()).toEqual(before);
        expect(await store.getUserByUsername(fresh.username)).toBeNull();
        expect(await store.getPasswordHash(existing.username)).toBe(existing.passwordHash);
        expect(await store.getSession(kept.tokenHash)).toEqual(kept);
        expect(await store.getPasswordReset(token.tokenHash)).toEqual(token);
      });

      it("a DuplicateError inside rolls back the transaction's earlier writes", async () => {
        const taken = newUser();
        await store.createUser(taken);
        const session = newSession(taken.username);
        await expect(
          store.transaction(async (tx) => {
            await tx.addSession(session);
            await tx.createUser(newUser({ username: taken.username }));
          }),
        ).rejects.toEqual(new DuplicateError("username"));
        expect(await store.getSession(session.tokenHash)).toBeNull();
      });
    });
  });
}

/** Claims until `id` comes up (other tests' due mail may come first), releasing nothing. */
async function drainClaims(
  store: UserStore,
  now: Date,
  leaseUntil: Date,
  id: string,
): Promise<OutboxMail | null> {
  for (;;) {
    const mail = await store.claimOutboxMail(now, leaseUntil);
    if (!mail || mail.id === id) return mail;
  }
}
