import { describe, expect, it } from "vitest";
import type { OutboxMail, OutboxStore } from "../../src/core/ports/outbox-store.js";
import { at, HOUR, newMail } from "../support/records.js";
import type { StoreHarness } from "../support/stores.js";
import { sharedStore } from "./harness.js";

/** The OutboxStore contract: sealed mail, leased to one worker at a time. */
export function describeOutboxStoreContract(harness: StoreHarness): void {
  describe(`OutboxStore contract: ${harness.name}`, () => {
    const instance = sharedStore(harness);
    const outbox = () => instance().store.outbox;

    // Outbox rows are shared by the whole suite, so each test claims at its own point in time.
    it("claims a due mail once per lease, and again after the lease passes", async () => {
      const now = at(100 * HOUR);
      const mail = newMail({ nextAttemptAt: now });
      await outbox().add(mail);
      const claimed = await drainClaims(outbox(), now, at(100 * HOUR + 60_000), mail.id);
      expect(claimed).toEqual({ ...mail, leaseUntil: at(100 * HOUR + 60_000) });
      expect(await drainClaims(outbox(), now, at(100 * HOUR + 60_000), mail.id)).toBeNull();
      const later = at(100 * HOUR + 61_000);
      expect((await drainClaims(outbox(), later, at(100 * HOUR + 121_000), mail.id))?.id).toBe(
        mail.id,
      );
      await outbox().remove(mail.id);
      expect(await drainClaims(outbox(), at(200 * HOUR), at(201 * HOUR), mail.id)).toBeNull();
    });

    it("does not hand out a mail before its next attempt time", async () => {
      const mail = newMail({ nextAttemptAt: at(300 * HOUR) });
      await outbox().add(mail);
      expect(
        await drainClaims(outbox(), at(299 * HOUR), at(299 * HOUR + 60_000), mail.id),
      ).toBeNull();
      expect(
        (await drainClaims(outbox(), at(300 * HOUR), at(300 * HOUR + 60_000), mail.id))?.id,
      ).toBe(mail.id);
      await outbox().reschedule(mail.id, 1, at(400 * HOUR));
      expect(
        await drainClaims(outbox(), at(399 * HOUR), at(399 * HOUR + 60_000), mail.id),
      ).toBeNull();
      const retried = await drainClaims(outbox(), at(400 * HOUR), at(400 * HOUR + 60_000), mail.id);
      expect(retried).toMatchObject({ id: mail.id, attempts: 1 });
      await outbox().remove(mail.id);
    });

    it("dead-letters: never handed out again, payload dropped, counted", async () => {
      const before = await outbox().count();
      const mail = newMail({ nextAttemptAt: at(500 * HOUR) });
      await outbox().add(mail);
      expect(await outbox().count()).toEqual({ ...before, pending: before.pending + 1 });
      await outbox().deadLetter(mail.id, 5);
      expect(await outbox().count()).toEqual({
        pending: before.pending,
        deadLettered: before.deadLettered + 1,
      });
      expect(await drainClaims(outbox(), at(900 * HOUR), at(901 * HOUR), mail.id)).toBeNull();
    });

    it("hands each of 10 mails to exactly one of 10 concurrent claimers", async () => {
      const now = at(1_000 * HOUR);
      const mails = Array.from({ length: 10 }, () => newMail({ nextAttemptAt: now }));
      for (const m of mails) await outbox().add(m);
      const ids = new Set(mails.map((m) => m.id));
      const claimed: string[] = [];
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          for (;;) {
            const mail = await outbox().claim(now, at(1_000 * HOUR + 60_000));
            if (!mail) return;
            if (ids.has(mail.id)) claimed.push(mail.id);
          }
        }),
      );
      expect(claimed.sort()).toEqual([...ids].sort());
      for (const m of mails) await outbox().remove(m.id);
    });
  });
}

/** Claims until `id` comes up (other tests' due mail may come first), releasing nothing. */
async function drainClaims(
  outbox: OutboxStore,
  now: Date,
  leaseUntil: Date,
  id: string,
): Promise<OutboxMail | null> {
  for (;;) {
    const mail = await outbox.claim(now, leaseUntil);
    if (!mail || mail.id === id) return mail;
  }
}
