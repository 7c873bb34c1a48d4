import { describe, expect, it } from "vitest";
import { DuplicateError } from "../../src/core/ports/account-store.js";
import { at, newAccount, unique } from "../support/records.js";
import { NO_ISOLATION_NOTE, type StoreHarness } from "../support/stores.js";
import { sharedStore } from "./harness.js";

/** The AccountStore contract: accounts by id, usernames and emails unique through claims. */
export function describeAccountStoreContract(harness: StoreHarness): void {
  describe(`AccountStore contract: ${harness.name}`, () => {
    const instance = sharedStore(harness);
    const accounts = () => instance().store.accounts;

    it("creates and finds an account by id, username and email key, without exposing the hash", async () => {
      const account = newAccount();
      await accounts().create(account);
      const { passwordHash, ...view } = account;
      expect(await accounts().get(account.id)).toEqual(view);
      expect(await accounts().findByUsername(account.username)).toEqual(view);
      expect(await accounts().findByEmail(account.emailKey)).toEqual(view);
      expect(await accounts().getCredentials(account.id)).toEqual({ passwordHash, generation: 0 });
    });

    it("answers null or false for unknown accounts, and changes nothing for them", async () => {
      const nobody = unique("nobody");
      expect(await accounts().get(nobody)).toBeNull();
      expect(await accounts().findByUsername(nobody)).toBeNull();
      expect(await accounts().findByEmail(`${nobody}@example.com`)).toBeNull();
      expect(await accounts().getCredentials(nobody)).toBeNull();
      await accounts().setVerified(nobody);
      expect(await accounts().changeCredentials(nobody, { passwordHash: "x" })).toBe(false);
      expect(await accounts().recordLogin(nobody, 0, at(0))).toBe(false);
      await accounts().remove(nobody);
      expect(await accounts().get(nobody)).toBeNull();
    });

    it("refuses a claimed username or email key with DuplicateError, writing nothing", async () => {
      const first = newAccount();
      await accounts().create(first);
      const other = `${unique("x")}@example.com`;
      const sameName = newAccount({ username: first.username, email: other, emailKey: other });
      await expect(accounts().create(sameName)).rejects.toEqual(new DuplicateError("username"));
      const sameEmail = newAccount({ email: first.email.toUpperCase(), emailKey: first.emailKey });
      await expect(accounts().create(sameEmail)).rejects.toEqual(new DuplicateError("email"));
      expect(await accounts().get(sameName.id)).toBeNull();
      expect(await accounts().get(sameEmail.id)).toBeNull();
      expect(await accounts().findByUsername(sameEmail.username)).toBeNull();
      expect(await accounts().findByEmail(sameName.emailKey)).toBeNull();
      expect((await accounts().findByUsername(first.username))?.id).toBe(first.id);
    });

    it("a credential change moves the generation on; verified is set apart", async () => {
      const account = newAccount();
      await accounts().create(account);
      await accounts().setVerified(account.id);
      expect(await accounts().getCredentials(account.id)).toMatchObject({ generation: 0 });
      expect(
        await accounts().changeCredentials(account.id, { passwordHash: "$argon2id$new" }),
      ).toBe(true);
      expect(await accounts().getCredentials(account.id)).toEqual({
        passwordHash: "$argon2id$new",
        generation: 1,
      });
      expect(await accounts().get(account.id)).toMatchObject({
        verified: true,
        credentialGeneration: 1,
      });
    });

    it("moves the email claim with an email change; a claimed address is refused, changing nothing", async () => {
      const [a, b] = [newAccount(), newAccount()];
      await accounts().create(a);
      await accounts().create(b);
      const fresh = `${unique("new")}@Example.org`;
      const moved = { address: fresh, key: fresh.toLowerCase() };
      expect(await accounts().changeCredentials(a.id, { email: moved, verified: true })).toBe(true);
      expect(await accounts().findByEmail(moved.key)).toMatchObject({
        id: a.id,
        email: fresh,
        verified: true,
        credentialGeneration: 1,
      });
      expect(await accounts().findByEmail(a.emailKey)).toBeNull();
      // b's address is claimed: no move, no generation change, the claim stays b's.
      await expect(
        accounts().changeCredentials(a.id, { email: { address: b.email, key: b.emailKey } }),
      ).rejects.toEqual(new DuplicateError("email"));
      expect((await accounts().findByEmail(b.emailKey))?.id).toBe(b.id);
      expect(await accounts().get(a.id)).toMatchObject({
        emailKey: moved.key,
        credentialGeneration: 1,
      });
      // The old address is free for anyone.
      await accounts().create(newAccount({ email: a.email, emailKey: a.emailKey }));
    });

    it("records a login only under the credential generation it read", async () => {
      const account = newAccount();
      await accounts().create(account);
      expect(await accounts().recordLogin(account.id, 0, at(5_000), "$argon2id$rehashed")).toBe(
        true,
      );
      expect(await accounts().get(account.id)).toMatchObject({ lastLoginAt: at(5_000) });
      expect(await accounts().getCredentials(account.id)).toEqual({
        passwordHash: "$argon2id$rehashed",
        generation: 0,
      });
      await accounts().changeCredentials(account.id, { passwordHash: "$argon2id$changed" });
      expect(await accounts().recordLogin(account.id, 0, at(9_000), "$argon2id$stale")).toBe(false);
      expect(await accounts().get(account.id)).toMatchObject({ lastLoginAt: at(5_000) });
      expect((await accounts().getCredentials(account.id))?.passwordHash).toBe("$argon2id$changed");
    });

    it("removes an account with its claims: the username and email are free, under a new id", async () => {
      const account = newAccount();
      await accounts().create(account);
      await accounts().remove(account.id);
      expect(await accounts().get(account.id)).toBeNull();
      expect(await accounts().findByUsername(account.username)).toBeNull();
      expect(await accounts().findByEmail(account.emailKey)).toBeNull();
      const again = newAccount({ username: account.username, email: account.email });
      await accounts().create(again);
      expect((await accounts().findByUsername(account.username))?.id).toBe(again.id);
      expect(again.id).not.toBe(account.id);
    });

    it("matches hostile-looking strings literally, never as operators or paths", async () => {
      for (const value of ['{"$gt": ""}', "$where", "a.b", "$ne", "..", "a\u0000b"]) {
        const account = newAccount({
          username: `${value}-${unique("u")}`,
          emailKey: `${value}@${unique("d")}.com`,
        });
        await accounts().create(account);
        expect((await accounts().findByUsername(account.username))?.id).toBe(account.id);
        expect((await accounts().findByEmail(account.emailKey))?.id).toBe(account.id);
        expect(await accounts().findByUsername(value)).toBeNull();
        expect(await accounts().get(value)).toBeNull();
      }
    });

    it("inside a transaction: a DuplicateError rolls back the transaction's earlier writes", async () => {
      const taken = newAccount();
      await accounts().create(taken);
      const fresh = newAccount();
      await expect(
        instance().store.transaction(async (tx) => {
          await tx.accounts.create(fresh);
          await tx.accounts.create(newAccount({ username: taken.username }));
        }),
      ).rejects.toEqual(new DuplicateError("username"));
      expect(await accounts().get(fresh.id)).toBeNull();
      expect(await accounts().findByUsername(fresh.username)).toBeNull();
      expect(await accounts().findByEmail(fresh.emailKey)).toBeNull();
    });

    it("of 10 concurrent creations claiming one username, exactly one succeeds", async (ctx) => {
      if (!instance().isolatesConcurrentTransactions) ctx.skip(NO_ISOLATION_NOTE);
      const username = unique("race");
      const candidates = Array.from({ length: 10 }, () => newAccount({ username }));
      const outcomes = await Promise.allSettled(candidates.map((a) => accounts().create(a)));
      const winners = candidates.filter((_, i) => outcomes[i]?.status === "fulfilled");
      expect(winners).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === "rejected") expect(o.reason).toEqual(new DuplicateError("username"));
      }
      expect((await accounts().findByUsername(username))?.id).toBe(winners[0]?.id);
    });
  });
}
