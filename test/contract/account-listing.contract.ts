import { describe, expect, it } from "vitest";
import { DuplicateError, type NewAccount } from "../../src/core/ports/account-store.js";
import { HOUR, newAccount, newSession } from "../support/records.js";
import type { StoreHarness } from "../support/stores.js";
import { sharedStore } from "./harness.js";

/**
 * The store methods AdminService needs: AccountStore.list (id order, resumable,
 * filtered), the disabled flag, and SessionStore.countLive.
 */
export function describeAccountListingContract(harness: StoreHarness): void {
  describe(`AccountStore listing contract: ${harness.name}`, () => {
    const instance = sharedStore(harness);
    const stores = () => instance().store;
    // Each test creates its accounts in its own hour, far from the others', and lists only that hour.
    let window = 0;
    const hourOf = () => {
      const start = new Date(Date.UTC(2100, 0, 1) + ++window * 10 * HOUR);
      return { start, at: (minutes: number) => new Date(start.getTime() + minutes * 60_000) };
    };
    const create = async (accounts: NewAccount[]) => {
      for (const account of accounts) await stores().accounts.create(account);
      return accounts;
    };

    it("lists in id order and resumes after an id, neither losing nor repeating", async () => {
      const hour = hourOf();
      const made = await create(
        Array.from({ length: 7 }, (_, i) => newAccount({ createdAt: hour.at(i) })),
      );
      const inHour = { createdFrom: hour.start, createdBefore: hour.at(60) };
      const all = await stores().accounts.list({ ...inHour, limit: 100 });
      expect(all.map((a) => a.id)).toEqual(made.map((a) => a.id).sort());
      const { passwordHash: _, ...firstView } = made.find((a) => a.id === all[0]?.id) as NewAccount;
      expect(all[0]).toEqual(firstView);
      const seen: string[] = [];
      let afterId: string | undefined;
      for (;;) {
        const page = await stores().accounts.list({ ...inHour, afterId, limit: 3 });
        if (page.length === 0) break;
        seen.push(...page.map((a) => a.id));
        afterId = page.at(-1)?.id;
      }
      expect(seen).toEqual(all.map((a) => a.id));
    });

    it("filters on verified, disabled and creation time (from inclusive, before exclusive)", async () => {
      const hour = hourOf();
      const [plain, verified, disabled, late] = await create([
        newAccount({ createdAt: hour.at(0) }),
        newAccount({ createdAt: hour.at(1), verified: true }),
        newAccount({ createdAt: hour.at(2), disabled: true }),
        newAccount({ createdAt: hour.at(30) }),
      ]);
      const ids = async (filter: object) =>
        (
          await stores().accounts.list({
            createdFrom: hour.start,
            createdBefore: hour.at(60),
            limit: 100,
            ...filter,
          })
        ).map((a) => a.id);
      const sorted = (...accounts: (NewAccount | undefined)[]) => accounts.map((a) => a?.id).sort();
      expect(await ids({ verified: true })).toEqual([verified?.id]);
      expect(await ids({ verified: false })).toEqual(sorted(plain, disabled, late));
      expect(await ids({ disabled: true })).toEqual([disabled?.id]);
      expect(await ids({ disabled: false })).toEqual(sorted(plain, verified, late));
      expect(await ids({ createdFrom: hour.at(1), createdBefore: hour.at(30) })).toEqual(
        sorted(verified, disabled),
      );
      expect(await ids({ createdFrom: hour.at(30), createdBefore: hour.at(30) })).toEqual([]);
    });

    it("creates many accounts at once; a claimed or repeated username or email writes none", async () => {
      const batch = [newAccount(), newAccount(), newAccount()];
      await stores().accounts.createMany(batch);
      for (const account of batch) {
        expect((await stores().accounts.findByUsername(account.username))?.id).toBe(account.id);
      }
      const taken = batch[0] as NewAccount;
      for (const [field, bad] of [
        ["username", [newAccount(), newAccount({ username: taken.username })]],
        ["email", [newAccount(), newAccount({ email: taken.email, emailKey: taken.emailKey })]],
        [
          "username",
          (() => {
            const twice = newAccount();
            return [twice, newAccount({ username: twice.username })];
          })(),
        ],
      ] as const) {
        await expect(stores().accounts.createMany(bad)).rejects.toEqual(new DuplicateError(field));
        for (const account of bad) expect(await stores().accounts.get(account.id)).toBeNull();
      }
      expect((await stores().accounts.findByUsername(taken.username))?.id).toBe(taken.id);
    });

    it("disabling and enabling is a credential change: the flag flips and the generation moves on", async () => {
      const [account] = await create([newAccount()]);
      const id = account?.id as string;
      expect(await stores().accounts.changeCredentials(id, { disabled: true })).toBe(true);
      expect(await stores().accounts.get(id)).toMatchObject({ disabled: true });
      expect(await stores().accounts.getCredentials(id)).toMatchObject({ generation: 1 });
      expect(await stores().accounts.changeCredentials(id, { disabled: false })).toBe(true);
      expect(await stores().accounts.get(id)).toMatchObject({ disabled: false });
      expect(await stores().accounts.getCredentials(id)).toMatchObject({ generation: 2 });
    });

    it("counts live sessions per account, leaving out expired ones and accounts without any", async () => {
      const [busy, idle, none] = await create([newAccount(), newAccount(), newAccount()]);
      const now = new Date(Date.UTC(2030, 0, 1, 12));
      const live = new Date(now.getTime() + HOUR);
      const dead = new Date(now.getTime() - 1);
      for (const [account, expiresAt] of [
        [busy, live],
        [busy, live],
        [busy, dead],
        [idle, dead],
      ] as const) {
        await stores().sessions.add(newSession(account?.id as string, { expiresAt }));
      }
      const ids = [busy, idle, none].map((a) => a?.id as string);
      expect(await stores().sessions.countLive(ids, now)).toEqual(new Map([[busy?.id, 2]]));
      expect(await stores().sessions.countLive([], now)).toEqual(new Map());
    });
  });
}
