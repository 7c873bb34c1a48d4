import { DEFAULT_EVENT_RETENTION_MS } from "../../../core/domain/account-event.js";
import type { AccountEventLog } from "../../../core/ports/account-event-log.js";
import type { AccountStore } from "../../../core/ports/account-store.js";
import type { DeviceStore } from "../../../core/ports/device-store.js";
import type { OutboxStore } from "../../../core/ports/outbox-store.js";
import type { SessionStore } from "../../../core/ports/session-store.js";
import type { Store, StoreLifecycle, Stores } from "../../../core/ports/store.js";
import type { TokenStore } from "../../../core/ports/token-store.js";
import type { WebhookStore } from "../../../core/ports/webhook-store.js";
import { AsyncLock } from "../async-lock.js";
import { MemoryAccounts } from "./accounts.js";
import { MemoryDevices } from "./devices.js";
import { MemoryEventLog, sweepEvents } from "./events.js";
import { MemoryLimits } from "./limits.js";
import { MemoryOutbox } from "./outbox.js";
import { MemorySessions } from "./sessions.js";
import { inTransaction, OperationContext, Tables, unindexKey } from "./tables.js";
import { MemoryTokens } from "./tokens.js";
import { MemoryWebhooks } from "./webhooks.js";

function portsOver(op: OperationContext): Stores {
  return {
    accounts: new MemoryAccounts(op),
    tokens: new MemoryTokens(op),
    sessions: new MemorySessions(op),
    devices: new MemoryDevices(op),
    outbox: new MemoryOutbox(op),
    events: new MemoryEventLog(op),
    webhooks: new MemoryWebhooks(op),
  };
}

/**
 * In-memory Store: the default when no database is configured, and the
 * reference the contract suites hold every store to. Transactions are real:
 * serialised, isolated (autocommit operations wait for them), and rolled back
 * from an undo log when the work throws.
 */
export class MemoryStore implements Store, StoreLifecycle {
  readonly #tables = new Tables();
  readonly #lock = new AsyncLock();
  readonly accounts: AccountStore;
  readonly tokens: TokenStore;
  readonly sessions: SessionStore;
  readonly devices: DeviceStore;
  readonly outbox: OutboxStore;
  readonly events: AccountEventLog;
  readonly webhooks: WebhookStore;
  readonly limits = new MemoryLimits();
  /** EVENT_RETENTION: the sweep drops events this old. */
  readonly eventRetentionMs: number;

  constructor(options: { eventRetentionMs?: number } = {}) {
    this.eventRetentionMs = options.eventRetentionMs ?? DEFAULT_EVENT_RETENTION_MS;
    ({
      accounts: this.accounts,
      tokens: this.tokens,
      sessions: this.sessions,
      devices: this.devices,
      outbox: this.outbox,
      events: this.events,
      webhooks: this.webhooks,
    } = portsOver(new OperationContext(this.#tables, this.#lock, null)));
  }

  transaction<T>(work: (tx: Stores) => Promise<T>): Promise<T> {
    return inTransaction(this.#tables, this.#lock, (op) => work(portsOver(op)));
  }

  async ping(): Promise<void> {}

  /** A deep copy of every record (for tests and debugging), taken between transactions. */
  async snapshot(): Promise<Record<string, unknown[]>> {
    return this.transaction(async () =>
      structuredClone(
        Object.fromEntries(
          Object.entries(this.#tables).map(([name, map]) => [
            name,
            [...(map as Map<unknown, unknown>)],
          ]),
        ),
      ),
    );
  }

  async close(): Promise<void> {}

  /** What a database's TTL index does: drop records whose `expiresAt` has passed, and events past retention. */
  sweepExpired(now: Date): Promise<number> {
    return this.transaction(async () => {
      let removed = 0;
      const t = this.#tables;
      for (const map of [t.verifications, t.resets, t.outbox] as Map<
        string,
        { expiresAt: Date }
      >[]) {
        for (const [key, record] of map) {
          if (record.expiresAt <= now && map.delete(key)) removed++;
        }
      }
      for (const [hash, device] of t.devices) {
        if (device.expiresAt > now || !t.devices.delete(hash)) continue;
        unindexKey(t.deviceHashesByAccount, device.accountId, hash, null);
        removed++;
      }
      for (const [hash, session] of t.sessions) {
        if (session.expiresAt > now.getTime() || !t.sessions.delete(hash)) continue;
        unindexKey(t.sessionHashesByAccount, session.accountId, hash, null);
        removed++;
      }
      removed += sweepEvents(t.events, new Date(now.getTime() - this.eventRetentionMs));
      return removed + this.limits.sweep(now);
    });
  }
}
