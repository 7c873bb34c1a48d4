import { describe, expect, it } from "vitest";
import { at, unique } from "../support/records.js";
import type { StoreHarness } from "../support/stores.js";
import { sharedStore } from "./harness.js";

const MINUTE = 60_000;

/**
 * The LimitStore contract: counters in windows, lock claims and locks, on the
 * caller's clock (every time here is `at(...)`, far from the real one, so a
 * store that read its own clock would fail). Keys are opaque strings.
 */
export function describeLimitStoreContract(harness: StoreHarness): void {
  describe(`LimitStore contract: ${harness.name}`, () => {
    const instance = sharedStore(harness);
    const limits = () => instance().store.limits;

    it("counts within a window from the first hit, and starts a new window once it has ended", async () => {
      const key = unique("budget:");
      expect(await limits().increment(key, at(0), MINUTE)).toEqual({
        count: 1,
        resetAt: at(MINUTE),
      });
      expect(await limits().increment(key, at(10_000), MINUTE)).toEqual({
        count: 2,
        resetAt: at(MINUTE),
      });
      expect(await limits().increment(key, at(MINUTE - 1), MINUTE)).toEqual({
        count: 3,
        resetAt: at(MINUTE),
      });
      // The window ends at resetAt exactly: the next hit starts a new one.
      expect(await limits().increment(key, at(MINUTE), MINUTE)).toEqual({
        count: 1,
        resetAt: at(2 * MINUTE),
      });
    });

    it("of 20 concurrent increments every one counts, and each sees at least its own", async () => {
      const key = unique("budget:");
      const counts = await Promise.all(
        Array.from({ length: 20 }, () => limits().increment(key, at(0), MINUTE)),
      );
      expect(Math.max(...counts.map((c) => c.count))).toBe(20);
      expect(Math.min(...counts.map((c) => c.count))).toBeGreaterThanOrEqual(1);
      expect(new Set(counts.map((c) => c.resetAt.getTime()))).toEqual(
        new Set([at(MINUTE).getTime()]),
      );
      expect((await limits().increment(key, at(1), MINUTE)).count).toBe(21);
    });

    it("reset forgets a counter; keys are independent", async () => {
      const [a, b] = [unique("budget:"), unique("budget:")];
      await limits().increment(a, at(0), MINUTE);
      await limits().increment(a, at(0), MINUTE);
      await limits().increment(b, at(0), MINUTE);
      await limits().reset(a);
      await limits().reset(unique("never-counted:"));
      expect((await limits().increment(a, at(1_000), MINUTE)).count).toBe(1);
      expect((await limits().increment(b, at(1_000), MINUTE)).count).toBe(2);
    });

    it("a claim is granted once until it expires, then once again", async () => {
      const key = unique("claim:");
      expect(await limits().claim(key, at(0), at(MINUTE))).toBe(true);
      expect(await limits().claim(key, at(1_000), at(2 * MINUTE))).toBe(false);
      expect(await limits().claim(key, at(MINUTE), at(3 * MINUTE))).toBe(true);
      expect(await limits().claim(key, at(MINUTE + 1), at(3 * MINUTE))).toBe(false);
    });

    it("of 10 concurrent claims of one key exactly one is granted", async () => {
      const key = unique("claim:");
      const granted = await Promise.all(
        Array.from({ length: 10 }, () => limits().claim(key, at(0), at(MINUTE))),
      );
      expect(granted.filter(Boolean)).toHaveLength(1);
    });

    it("a lock is on until its end, and a shorter or lower one never shortens it", async () => {
      const key = unique("lock:");
      expect(await limits().lockOn(key, at(0))).toBeNull();
      await limits().lock(key, { until: at(30_000), level: 1 });
      expect(await limits().lockOn(key, at(29_999))).toEqual({ until: at(30_000), level: 1 });
      await limits().lock(key, { until: at(10_000), level: 1 });
      expect(await limits().lockOn(key, at(20_000))).toEqual({ until: at(30_000), level: 1 });
      expect(await limits().lockOn(key, at(30_000))).toBeNull();
      await limits().lock(key, { until: at(90_000), level: 2 });
      expect(await limits().lockOn(key, at(60_000))).toEqual({ until: at(90_000), level: 2 });
    });

    it("concurrent locks of one key agree on the longest", async () => {
      const key = unique("lock:");
      await Promise.all(
        [1, 2, 3, 4].map((level) => limits().lock(key, { until: at(level * 1_000), level })),
      );
      expect(await limits().lockOn(key, at(0))).toEqual({ until: at(4_000), level: 4 });
    });
  });
}
