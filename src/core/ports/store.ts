import type { AccountEventLog } from "./account-event-log.js";
import type { AccountStore } from "./account-store.js";
import type { DeviceStore } from "./device-store.js";
import type { LimitStore } from "./limit-store.js";
import type { OutboxStore } from "./outbox-store.js";
import type { SessionStore } from "./session-store.js";
import type { TokenStore } from "./token-store.js";
import type { WebhookStore } from "./webhook-store.js";

/** The per-aggregate ports, as one transaction (or autocommit) sees them. */
export interface Stores {
  accounts: AccountStore;
  tokens: TokenStore;
  sessions: SessionStore;
  devices: DeviceStore;
  outbox: OutboxStore;
  /** The account-event log: a flow appends in the transaction of the change it describes. */
  events: AccountEventLog;
  /** Webhook endpoints' places in the event log, and their delivery leases. */
  webhooks: WebhookStore;
}

export interface TransactionOptions {
  /**
   * The work appends account events. Every such transaction increments the
   * log's one head, so a store may queue them (MongoDB: one at a time per
   * replica, from before the transaction reads anything, so that they meet no
   * write conflict on the head from their own replica).
   */
  appendsEvents?: boolean;
}

/**
 * Persistence: the aggregate ports plus the one transaction they share. Rules
 * every implementation keeps:
 * - it is handed token hashes only, never raw tokens;
 * - `transaction(work)` commits when `work` resolves and persists nothing when it
 *   throws; inside, use only the ports it passes; it may run `work` again (a
 *   write conflict), so `work` must only change state through those ports;
 * - it may return expired records (TTL deletion is lazy): the core checks expiry.
 */
export interface Store extends Stores {
  transaction<T>(work: (tx: Stores) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Rate-limit counters: outside every transaction (a refused request still counts). */
  limits: LimitStore;
}

/** What the composition root needs beyond the ports: health and shutdown. */
export interface StoreLifecycle {
  /** Resolves when the store answers; throws AccountError STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
