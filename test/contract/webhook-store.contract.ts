import { describe, expect, it } from "vitest";
import type { WebhookStore } from "../../src/core/ports/webhook-store.js";
import { at, unique } from "../support/records.js";
import type { StoreHarness } from "../support/stores.js";
import { sharedStore } from "./harness.js";

/** The WebhookStore contract: a durable place in the log per endpoint, and one lease holder at a time. */
export function describeWebhookStoreContract(harness: StoreHarness): void {
  describe(`WebhookStore contract: ${harness.name}`, () => {
    const instance = sharedStore(harness);
    const hooks = (): WebhookStore => instance().store.webhooks;

    it("creates an endpoint's cursor once, where it is asked to start", async () => {
      const endpoint = unique("hook");
      expect(await hooks().cursor(endpoint, 7)).toEqual({
        endpoint,
        position: 7,
        attempts: 0,
        nextAttemptAt: null,
      });
      expect((await hooks().cursor(endpoint, 99)).position).toBe(7);
    });

    it("advances only forward, clearing attempts; records retries", async () => {
      const endpoint = unique("hook");
      await hooks().cursor(endpoint, 3);
      await hooks().retryLater(endpoint, 2, at(60_000));
      expect(await hooks().cursor(endpoint, 0)).toMatchObject({
        position: 3,
        attempts: 2,
        nextAttemptAt: at(60_000),
      });
      await hooks().advance(endpoint, 5);
      await hooks().advance(endpoint, 4);
      expect(await hooks().cursor(endpoint, 0)).toEqual({
        endpoint,
        position: 5,
        attempts: 0,
        nextAttemptAt: null,
      });
    });

    it("leases to one holder at a time: renewable by it, free again once expired or released", async () => {
      const endpoint = unique("hook");
      await hooks().cursor(endpoint, 0);
      expect(await hooks().lease(endpoint, "a", at(0), at(30_000))).toBe(true);
      expect(await hooks().lease(endpoint, "b", at(1_000), at(31_000))).toBe(false);
      expect(await hooks().lease(endpoint, "a", at(20_000), at(50_000))).toBe(true);
      expect(await hooks().lease(endpoint, "b", at(40_000), at(70_000))).toBe(false);
      expect(await hooks().lease(endpoint, "b", at(50_000), at(80_000))).toBe(true);
      await hooks().release(endpoint, "a"); // not a's any more: changes nothing
      expect(await hooks().lease(endpoint, "a", at(60_000), at(90_000))).toBe(false);
      await hooks().release(endpoint, "b");
      expect(await hooks().lease(endpoint, "a", at(60_000), at(90_000))).toBe(true);
    });

    it("of ten holders racing for a free lease, exactly one gets it", async () => {
      const endpoint = unique("hook");
      await hooks().cursor(endpoint, 0);
      const won = await Promise.all(
        Array.from({ length: 10 }, (_, i) => hooks().lease(endpoint, `h${i}`, at(0), at(30_000))),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
    });
  });
}
