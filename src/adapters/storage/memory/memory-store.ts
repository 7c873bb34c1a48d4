import type { AccountStore } from "../../../core/ports/account-store.js";
import type { DeviceStore } from "../../../core/ports/device-store.js";
import type { OutboxStore } from "../../../core/ports/outbox-store.js";
import type { SessionStore } from "../../../core/ports/session-store.js";
import type { Store, StoreLifecycle, Stores } from "../../../core/ports/store.js";
import type { TokenStore } from "../../../core/ports/token-store.js";
import { MemoryAccounts } from "./accounts.js";
import { AsyncLock } from "./async-lock.js";
import { MemoryDevices } from "./devices.js";
import { MemoryLimits } from "./limits.js";
import { MemoryOutbox } from "./outbox.js";
import { MemorySessions } from "./sessions.js";
import { inTransaction, OperationContext, Tables, unindexKey } from "./tables.js";
import { MemoryTokens } from "./tokens.js";

function portsOver(op: OperationContext): Stores {
  return {
    accounts: new MemoryAccounts(op),
    tokens: new MemoryTokens(op),
    sessions: new MemorySessions(op),
    devices: new MemoryDevices(op),
    outbox: new MemoryOutbox(op),
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
  readonly limits = new MemoryLimits();

  constructor() {
    ({
      accounts: this.accounts,
      tokens: this.tokens,
      sessions: this.sessions,
      devices: this.devices,
      outbox: this.outbox,
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

  /** What a database's TTL index does: drop records whose `expiresAt` has passed. */
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
      return removed + this.limits.sweep(now);
    });
  }
}
