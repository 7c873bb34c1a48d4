import type { WebhookCursor, WebhookStore } from "../../../core/ports/webhook-store.js";
import { type OperationContext, put } from "./tables.js";

/** A webhook endpoint's cursor and lease, as this store keeps them. */
export interface WebhookRow extends WebhookCursor {
  holder: string | null;
  leaseUntil: Date | null;
}

export class MemoryWebhooks implements WebhookStore {
  constructor(private readonly op: OperationContext) {}

  cursor(endpoint: string, position: number): Promise<WebhookCursor> {
    return this.op.run(() => {
      let row = this.op.t.webhooks.get(endpoint);
      if (!row) {
        row = {
          endpoint,
          position,
          attempts: 0,
          nextAttemptAt: null,
          holder: null,
          leaseUntil: null,
        };
        put(this.op.t.webhooks, endpoint, row, this.op.undo);
      }
      const { holder: _, leaseUntil: __, ...cursor } = row;
      return { ...cursor };
    });
  }

  lease(endpoint: string, holder: string, now: Date, leaseUntil: Date): Promise<boolean> {
    return this.op.run(() => {
      const row = this.op.t.webhooks.get(endpoint);
      if (!row) return false;
      const free = row.holder === null || row.holder === holder || (row.leaseUntil ?? now) <= now;
      if (free) this.#set(row, { holder, leaseUntil });
      return free;
    });
  }

  release(endpoint: string, holder: string): Promise<void> {
    return this.op.run(() => {
      const row = this.op.t.webhooks.get(endpoint);
      if (row?.holder === holder) this.#set(row, { holder: null, leaseUntil: null });
    });
  }

  advance(endpoint: string, sequence: number): Promise<void> {
    return this.op.run(() => {
      const row = this.op.t.webhooks.get(endpoint);
      if (row && row.position < sequence) {
        this.#set(row, { position: sequence, attempts: 0, nextAttemptAt: null });
      }
    });
  }

  retryLater(endpoint: string, attempts: number, nextAttemptAt: Date): Promise<void> {
    return this.op.run(() => {
      const row = this.op.t.webhooks.get(endpoint);
      if (row) this.#set(row, { attempts, nextAttemptAt });
    });
  }

  #set(row: WebhookRow, change: Partial<WebhookRow>): void {
    put(this.op.t.webhooks, row.endpoint, { ...row, ...change }, this.op.undo);
  }
}
