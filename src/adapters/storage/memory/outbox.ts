import type { OutboxCounts, OutboxMail, OutboxStore } from "../../../core/ports/outbox-store.js";
import { drop, put, type Scope } from "./tables.js";

/** An outbox mail as this store keeps it: dead letters stay, marked, with their payload dropped. */
export interface OutboxRow extends OutboxMail {
  deadLettered: boolean;
}

/** Mail waiting to be sent; a claim leases a due row to one worker. */
export class MemoryOutbox implements OutboxStore {
  constructor(private readonly s: Scope) {}

  add(mail: OutboxMail): Promise<void> {
    return this.s.op(() =>
      put(this.s.t.outbox, mail.id, { ...mail, deadLettered: false }, this.s.undo),
    );
  }

  claim(now: Date, leaseUntil: Date): Promise<OutboxMail | null> {
    return this.s.op(() => {
      for (const row of this.s.t.outbox.values()) {
        const due = row.nextAttemptAt <= now && (row.leaseUntil === null || row.leaseUntil <= now);
        if (row.deadLettered || !due) continue;
        put(this.s.t.outbox, row.id, { ...row, leaseUntil }, this.s.undo);
        const { deadLettered: _, ...mail } = row;
        return { ...mail, leaseUntil };
      }
      return null;
    });
  }

  remove(id: string): Promise<void> {
    return this.s.op(() => {
      drop(this.s.t.outbox, id, this.s.undo);
    });
  }

  reschedule(id: string, attempts: number, nextAttemptAt: Date): Promise<void> {
    return this.#update(id, { attempts, nextAttemptAt, leaseUntil: null });
  }

  deadLetter(id: string, attempts: number): Promise<void> {
    return this.#update(id, {
      attempts,
      leaseUntil: null,
      deadLettered: true,
      payload: new Uint8Array(),
    });
  }

  #update(id: string, change: Partial<OutboxRow>): Promise<void> {
    return this.s.op(() => {
      const row = this.s.t.outbox.get(id);
      if (row) put(this.s.t.outbox, id, { ...row, ...change }, this.s.undo);
    });
  }

  count(): Promise<OutboxCounts> {
    return this.s.op(() => {
      let deadLettered = 0;
      for (const row of this.s.t.outbox.values()) if (row.deadLettered) deadLettered++;
      return { pending: this.s.t.outbox.size - deadLettered, deadLettered };
    });
  }
}
