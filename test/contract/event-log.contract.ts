import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/adapters/storage/memory/memory-store.js";
import {
  type AccountEventType,
  type NewAccountEvent,
  newAccountEvent,
} from "../../src/core/domain/account-event.js";
import { newAccountId } from "../../src/core/domain/account-id.js";
import type { AccountEventLog } from "../../src/core/ports/account-event-log.js";
import { at, HOUR, unique } from "../support/records.js";
import { NO_ISOLATION_NOTE, type StoreHarness } from "../support/stores.js";
import { Rollback, sharedStore } from "./harness.js";

const EPOCH = new Date(0);

function event(type: AccountEventType, when: Date, accountId = newAccountId()): NewAccountEvent {
  const username = unique("ev");
  return newAccountEvent(type, { id: accountId, username, email: `${username}@example.com` }, when);
}

const sequences = (events: { sequence: number }[]) => events.map((e) => e.sequence);
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/**
 * The AccountEventLog contract: one gap-free sequence in commit order, times
 * that never go back, appends that commit or roll back with their transaction,
 * and reads by position, type and retention. The log is shared by the suite's
 * tests, so each works relative to the head it finds.
 */
export function describeEventLogContract(harness: StoreHarness): void {
  describe(`AccountEventLog contract: ${harness.name}`, () => {
    const instance = sharedStore(harness);
    const log = (): AccountEventLog => instance().store.events;
    const all = (after: number) => log().read({ after, limit: 10_000, retainedAfter: EPOCH });

    it("numbers appended events 1, 2, 3, ... with no gap, and moves the head", async () => {
      const head = await log().head();
      expect(head.logId).toMatch(/^[0-9a-f]{16}$/);
      const first = await log().append([event("account.registered", at(HOUR))]);
      const more = await log().append([
        event("account.email_verified", at(HOUR + 1)),
        event("account.password_changed", at(HOUR + 1)),
      ]);
      expect(sequences([...first, ...more])).toEqual(range(head.sequence + 1, 3));
      const after = await log().head();
      expect(after).toMatchObject({ logId: head.logId, sequence: head.sequence + 3 });
      // The last sequence of each type: what a reader filtering by type checks expiry against.
      expect(after.lastOfType).toMatchObject({
        "account.registered": head.sequence + 1,
        "account.email_verified": head.sequence + 2,
        "account.password_changed": head.sequence + 3,
      });
      expect(await all(head.sequence)).toEqual([...first, ...more]);
    });

    it("keeps every field of the event, and times it no earlier than the event before", async () => {
      const head = await log().head();
      const late = event("account.deleted", at(100 * HOUR));
      const [stored] = await log().append([late]);
      const early = event("account.enabled", at(50 * HOUR));
      const [after] = await log().append([early]);
      const { at: _, ...fields } = late;
      expect(stored).toEqual({
        ...fields,
        sequence: head.sequence + 1,
        time: at(100 * HOUR),
        previousOfType: head.lastOfType["account.deleted"] ?? 0,
      });
      // Stamped with its predecessor's time: time never decreases along the sequence.
      expect(after).toMatchObject({ id: early.id, time: at(100 * HOUR) });
      expect((await log().head()).time).toEqual(at(100 * HOUR));
    });

    it("an append in a transaction that rolls back leaves no event and no gap", async () => {
      const head = await log().head();
      const snapshot = await instance().snapshot();
      await expect(
        instance().store.transaction(async (tx) => {
          const [inside] = await tx.events.append([event("account.disabled", at(200 * HOUR))]);
          expect(inside?.sequence).toBe(head.sequence + 1);
          throw new Rollback("abort");
        }),
      ).rejects.toBeInstanceOf(Rollback);
      expect(await log().head()).toEqual(head);
      expect(await instance().snapshot()).toEqual(snapshot);
      const [next] = await log().append([event("account.enabled", at(200 * HOUR))]);
      expect(next?.sequence).toBe(head.sequence + 1);
    });

    it("reads after a position, by type, at most `limit`, never what retention has passed", async () => {
      const head = await log().head();
      const base = (await log().head()).time.getTime() + HOUR;
      const appended = [];
      for (const [i, type] of (
        [
          "account.registered",
          "account.deleted",
          "account.registered",
          "account.email_changed",
          "account.deleted",
        ] as const
      ).entries()) {
        appended.push(...(await log().append([event(type, new Date(base + i * HOUR))])));
      }
      const s = sequences(appended);
      expect(sequences(await all(head.sequence))).toEqual(s);
      expect(
        sequences(await log().read({ after: head.sequence, limit: 2, retainedAfter: EPOCH })),
      ).toEqual(s.slice(0, 2));
      const deletions = await log().read({
        after: head.sequence,
        limit: 10,
        types: ["account.deleted", "account.email_changed"],
        retainedAfter: EPOCH,
      });
      expect(sequences(deletions)).toEqual([s[1], s[3], s[4]]);
      expect(deletions.map((e) => e.type)).toEqual([
        "account.deleted",
        "account.email_changed",
        "account.deleted",
      ]);
      // Each event knows the one of its type before it: the second deletion points at the first.
      expect(deletions[2]?.previousOfType).toBe(s[1]);
      // Events at or before `retainedAfter` count as gone, deleted or not.
      const cut = new Date(base + 2 * HOUR);
      expect(
        sequences(await log().read({ after: head.sequence, limit: 10, retainedAfter: cut })),
      ).toEqual(s.slice(3));
      expect(await log().oldestRetained(cut)).toBe(s[3]);
      expect(await log().oldestRetained(new Date(base + 10 * HOUR))).toBe(
        (await log().head()).sequence + 1,
      );
      expect(await log().read({ after: s[4] as number, limit: 10, retainedAfter: EPOCH })).toEqual(
        [],
      );
    });

    it("numbers concurrent transactions' events in commit order, each exactly once", async (ctx) => {
      if (!instance().isolatesConcurrentTransactions) ctx.skip(NO_ISOLATION_NOTE);
      const head = await log().head();
      const n = 20;
      // Each transaction appends, then yields, so they overlap; a reader polls meanwhile.
      const seen: number[] = [];
      let position = head.sequence;
      let done = false;
      const reader = (async () => {
        while (!done) {
          const page = await log().read({ after: position, limit: 100, retainedAfter: EPOCH });
          for (const e of page) {
            seen.push(e.sequence);
            position = e.sequence;
          }
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      })();
      const written = await Promise.all(
        range(0, n).map((i) =>
          instance().store.transaction(async (tx) => {
            const [stored] = await tx.events.append([event("account.registered", at(300 * HOUR))]);
            await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
            return stored?.sequence;
          }),
        ),
      );
      done = true;
      await reader;
      const tail = await all(position);
      seen.push(...sequences(tail));
      expect([...written].sort((a, b) => (a as number) - (b as number))).toEqual(
        range(head.sequence + 1, n),
      );
      // A reader resuming from its last position saw each number once, in order, no gap.
      expect(seen).toEqual(range(head.sequence + 1, n));
    });
  });
}

/** The memory store's stand-in for the TTL index (MongoDB's is checked in mongodb-store.test.ts). */
export function describeMemoryEventSweep(): void {
  describe("AccountEventLog retention: memory store sweep", () => {
    it("drops events whose time is EVENT_RETENTION old, oldest first, and keeps the head", async () => {
      const store = new MemoryStore({ eventRetentionMs: 10 * HOUR });
      const times = [0, 1, 2, 3].map((h) => at(h * HOUR));
      for (const time of times) await store.events.append([event("account.registered", time)]);
      expect(await store.sweepExpired(at(11 * HOUR))).toBe(2); // times 0 and 1 are 10 h old or more
      const left = await store.events.read({ after: 0, limit: 10, retainedAfter: EPOCH });
      expect(sequences(left)).toEqual([3, 4]);
      expect(await store.events.oldestRetained(EPOCH)).toBe(3);
      await store.sweepExpired(at(20 * HOUR));
      expect(await store.events.read({ after: 0, limit: 10, retainedAfter: EPOCH })).toEqual([]);
      expect(await store.events.head()).toMatchObject({ sequence: 4, time: at(3 * HOUR) });
      expect(await store.events.oldestRetained(EPOCH)).toBe(5);
    });
  });
}
