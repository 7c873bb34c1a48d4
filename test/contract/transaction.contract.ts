import { describe, expect, it } from "vitest";
import { at, newAccount, newMail, newSession, newToken } from "../support/records.js";
import type { StoreHarness } from "../support/stores.js";
import { Rollback, sharedStore } from "./harness.js";

/** The one transaction every port shares: all of its writes commit together or none do. */
export function describeTransactionContract(harness: StoreHarness): void {
  describe(`Store transaction contract: ${harness.name}`, () => {
    const instance = sharedStore(harness);
    const store = () => instance().store;

    it("commit: every write inside, through every port, is visible afterwards, and the result is returned", async () => {
      const account = newAccount();
      const session = newSession(account.id);
      const token = newToken(account.id);
      const mail = newMail();
      const result = await store().transaction(async (tx) => {
        await tx.accounts.create(account);
        await tx.sessions.add(session);
        await tx.tokens.add("verification", token);
        await tx.outbox.add(mail);
        return "done";
      });
      expect(result).toBe("done");
      expect((await store().accounts.get(account.id))?.username).toBe(account.username);
      expect(await store().sessions.get(session.tokenHash)).toEqual(session);
      expect(await store().tokens.find("verification", token.tokenHash)).toEqual(token);
      expect((await store().outbox.count()).pending).toBeGreaterThan(0);
    });

    it("rollback: a throw inside persists nothing, of any kind, and propagates", async () => {
      const existing = newAccount();
      await store().accounts.create(existing);
      const kept = newSession(existing.id);
      await store().sessions.add(kept);
      const token = newToken(existing.id);
      await store().tokens.add("reset", token);
      const before = await instance().snapshot();

      const fresh = newAccount();
      await expect(
        store().transaction(async (tx) => {
          await tx.accounts.create(fresh);
          await tx.accounts.setVerified(existing.id);
          await tx.accounts.changeCredentials(existing.id, {
            passwordHash: "changed",
            email: { address: "moved@example.com", key: "moved@example.com" },
          });
          await tx.accounts.recordLogin(existing.id, 1, at(1));
          await tx.sessions.add(newSession(existing.id));
          await tx.sessions.remove(kept.tokenHash);
          expect(await tx.tokens.consume("reset", token.tokenHash)).toEqual(token);
          await tx.outbox.add(newMail());
          await tx.accounts.remove(existing.id);
          expect(await tx.accounts.get(existing.id)).toBeNull(); // reads its own writes
          throw new Rollback("abort");
        }),
      ).rejects.toBeInstanceOf(Rollback);

      expect(await instance().snapshot()).toEqual(before);
      expect(await store().accounts.get(fresh.id)).toBeNull();
      expect(await store().accounts.getCredentials(existing.id)).toEqual({
        passwordHash: existing.passwordHash,
        generation: 0,
      });
      expect((await store().accounts.findByEmail(existing.emailKey))?.id).toBe(existing.id);
      expect(await store().sessions.get(kept.tokenHash)).toEqual(kept);
      expect(await store().tokens.find("reset", token.tokenHash)).toEqual(token);
    });
  });
}
