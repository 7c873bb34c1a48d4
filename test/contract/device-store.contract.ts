import { describe, expect, it } from "vitest";
import { at, HOUR, hash, newAccount, newDevice, unique } from "../support/records.js";
import type { StoreHarness } from "../support/stores.js";
import { Rollback, sharedStore } from "./harness.js";

/** The DeviceStore contract: trusted-device records by hash, failures counted atomically, revoked per account. */
export function describeDeviceStoreContract(harness: StoreHarness): void {
  describe(`DeviceStore contract: ${harness.name}`, () => {
    const instance = sharedStore(harness);
    const devices = () => instance().store.devices;

    it("adds, gets and removes a device token by hash, with exact times", async () => {
      const device = newDevice(unique("acct"), { createdAt: at(7), expiresAt: at(HOUR + 123) });
      await devices().add(device);
      expect(await devices().get(device.tokenHash)).toEqual(device);
      expect(await devices().remove(device.tokenHash)).toBe(true);
      expect(await devices().remove(device.tokenHash)).toBe(false);
      expect(await devices().get(device.tokenHash)).toBeNull();
    });

    it("counts failures one by one and reports 0 for a token it does not hold", async () => {
      const device = newDevice(unique("acct"));
      await devices().add(device);
      expect(await devices().recordFailure(device.tokenHash)).toBe(1);
      expect(await devices().recordFailure(device.tokenHash)).toBe(2);
      expect(await devices().get(device.tokenHash)).toEqual({ ...device, failures: 2 });
      expect(await devices().recordFailure(hash())).toBe(0);
    });

    it("of 20 concurrent failures, every one counts", async () => {
      const device = newDevice(unique("acct"));
      await devices().add(device);
      const counts = await Promise.all(
        Array.from({ length: 20 }, () => devices().recordFailure(device.tokenHash)),
      );
      expect((await devices().get(device.tokenHash))?.failures).toBe(20);
      // Each caller sees at least its own increment, and the last one sees them all.
      expect(Math.max(...counts)).toBe(20);
      expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    });

    it("releaseFailure takes one failure back, never below zero; for no record it does nothing", async () => {
      const device = newDevice(unique("acct"));
      await devices().add(device);
      await devices().recordFailure(device.tokenHash);
      await devices().recordFailure(device.tokenHash);
      await devices().releaseFailure(device.tokenHash);
      expect((await devices().get(device.tokenHash))?.failures).toBe(1);
      await devices().releaseFailure(device.tokenHash);
      await devices().releaseFailure(device.tokenHash);
      expect((await devices().get(device.tokenHash))?.failures).toBe(0);
      await devices().releaseFailure(hash());
      expect(await devices().recordFailure(device.tokenHash)).toBe(1);
    });

    it("removeOldest keeps the account's newest tokens by creation, and touches no other account", async () => {
      const accountId = unique("acct");
      const mine = [5, 1, 4, 2, 3].map((minute) =>
        newDevice(accountId, { createdAt: at(minute * 60_000) }),
      );
      const theirs = newDevice(unique("other"), { createdAt: at(0) });
      for (const device of [...mine, theirs]) await devices().add(device);
      expect(await devices().removeOldest(accountId, 3)).toBe(2);
      const kept = await Promise.all(mine.map((d) => devices().get(d.tokenHash)));
      expect(kept.map((d) => (d ? d.createdAt.getTime() - at(0).getTime() : null))).toEqual([
        5 * 60_000,
        null,
        4 * 60_000,
        null,
        3 * 60_000,
      ]);
      expect(await devices().removeOldest(accountId, 3)).toBe(0);
      expect(await devices().get(theirs.tokenHash)).toEqual(theirs);
      expect(await devices().removeForAccount(accountId)).toBe(3);
    });

    it("removeForAccount removes that account's device tokens only, and counts them", async () => {
      const accountId = unique("acct");
      const mine = [newDevice(accountId), newDevice(accountId), newDevice(accountId)];
      const theirs = newDevice(unique("other"));
      for (const device of [...mine, theirs]) await devices().add(device);
      expect(await devices().removeForAccount(accountId)).toBe(3);
      for (const device of mine) expect(await devices().get(device.tokenHash)).toBeNull();
      expect(await devices().get(theirs.tokenHash)).toEqual(theirs);
      expect(await devices().removeForAccount(accountId)).toBe(0);
    });

    it("a transaction that throws leaves device tokens as they were", async () => {
      const store = instance().store;
      const account = newAccount();
      await store.accounts.create(account);
      const kept = newDevice(account.id);
      await devices().add(kept);
      const added = newDevice(account.id);
      await expect(
        store.transaction(async (tx) => {
          await tx.devices.add(added);
          await tx.devices.recordFailure(kept.tokenHash);
          expect(await tx.devices.removeForAccount(account.id)).toBe(2);
          throw new Rollback();
        }),
      ).rejects.toBeInstanceOf(Rollback);
      expect(await devices().get(kept.tokenHash)).toEqual(kept);
      expect(await devices().get(added.tokenHash)).toBeNull();
    });

    it("matches hostile-looking hashes and account ids literally", async () => {
      for (const value of ['{"$gt": ""}', "$where", "a.b", "$ne"]) {
        const device = newDevice(value + unique("acct"), { tokenHash: value + hash() });
        await devices().add(device);
        expect(await devices().get(device.tokenHash)).toEqual(device);
        expect(await devices().get(value)).toBeNull();
        expect(await devices().recordFailure(value)).toBe(0);
        expect(await devices().removeForAccount(value)).toBe(0);
        expect(await devices().removeOldest(value, 0)).toBe(0);
        expect(await devices().get(device.tokenHash)).toEqual(device);
      }
    });
  });
}
