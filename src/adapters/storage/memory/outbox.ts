import type { OutboxCounts, OutboxMail, OutboxStore } from "../../../core/ports/outbox-store.js";
import { drop, type OperationContext, put } from "./tables.js";

/** An outbox mail as this store keeps it: dead letters stay, marked, with their payload dropped. */
export interface OutboxRow extends OutboxMail {
  deadLettered: boolean;
}

/** Mail waiting to be sent; a claim leases a due row to one worker. */
export class MemoryOutbox implements OutboxStore {
  constructor(private readonly op: OperationContext) {}

  add(mail: OutboxMail): Promise<void> {
    return this.op.run(() =>
      put(this.op.t.outbox, mail.id, { ...mail, deadLettered: false }, this.op.undo),
    );
  }

  claim(now: Date, leaseUntil: Date): Promise<OutboxMail | null> {
    return this.op.run(() => {
      for (const row of this.op.t.outbox.values()) {
        const due = row.nextAttemptAt <= now && (row.leaseUntil === null || row.leaseUntil <= now);
        if (row.deadLettered || !due) continue;
        put(this.op.t.outbox, row.id, { ...row, leaseUntil }, this.op.undo);
        const { deadLettered: _, ...mail } = row;
        return { ...mail, leaseUntil };
      }
      return null;
    });
  }

  remove(id: string): Promise<void> {
    return this.op.run(() => {
      drop(this.op.t.outbox, id, this.op.undo);
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
    return this.op.run(() => {
      const row = this.op.t.outbox.get(id);
      if (row) put(this.op.t.outbox, id, { ...row, ...change }, this.op.undo);
    });
  }

  count(): Promise<OutboxCounts> {
    return this.op.run(() => {
      let deadLettered = 0;
      for (const row of this.op.t.outbox.values()) if (row.deadLettered) deadLettered++;
      return { pending: this.op.t.outbox.size - deadLettered, deadLettered };
    });
  }
}
