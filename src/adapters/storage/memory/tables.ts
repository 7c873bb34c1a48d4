import { randomBytes } from "node:crypto";
import type { AccountEvent } from "../../../core/domain/account-event.js";
import type { AccountToken } from "../../../core/domain/account-token.js";
import type { DeviceToken } from "../../../core/domain/device.js";
import type { EventLogHead } from "../../../core/ports/account-event-log.js";
import type { NewAccount } from "../../../core/ports/account-store.js";
import type { AsyncLock } from "../async-lock.js";
import type { OutboxRow } from "./outbox.js";
import type { SessionRow } from "./sessions.js";
import type { WebhookRow } from "./webhooks.js";

/** Records live here; every write made inside a transaction logs its inverse. */
export class Tables {
  accounts = new Map<string, NewAccount>();
  /** Claims: normalised username / email key -> account id. */
  usernameClaims = new Map<string, string>();
  emailClaims = new Map<string, string>();
  verifications = new Map<string, AccountToken>();
  resets = new Map<string, AccountToken>();
  sessions = new Map<string, SessionRow>();
  sessionHashesByAccount = new Map<string, Set<string>>();
  devices = new Map<string, DeviceToken>();
  deviceHashesByAccount = new Map<string, Set<string>>();
  outbox = new Map<string, OutboxRow>();
  /** The account-event log, by sequence, and its head (one entry, "head"). */
  events = new Map<number, AccountEvent>();
  eventHead = new Map<"head", EventLogHead>([
    [
      "head",
      { logId: randomBytes(8).toString("hex"), sequence: 0, time: new Date(0), lastOfType: {} },
    ],
  ]);
  webhooks = new Map<string, WebhookRow>();
}

export type Undo = Array<() => void>;

/** Sets `key` in `map`, logging how to restore the previous state. */
export function put<K, V>(map: Map<K, V>, key: K, value: V, undo: Undo | null): void {
  const had = map.has(key);
  const previous = map.get(key);
  map.set(key, value);
  undo?.push(() => (had ? map.set(key, previous as V) : map.delete(key)));
}

export function drop<K, V>(map: Map<K, V>, key: K, undo: Undo | null): V | undefined {
  const previous = map.get(key);
  if (previous === undefined) return undefined;
  map.delete(key);
  undo?.push(() => map.set(key, previous));
  return previous;
}

/** An account's keys in a by-account index (a table's secondary index): empty when it has none. */
export function keysOf(index: Map<string, Set<string>>, accountId: string): readonly string[] {
  return [...(index.get(accountId) ?? [])];
}

/** Adds `key` under `accountId`, logging how to take it back. */
export function indexKey(
  index: Map<string, Set<string>>,
  accountId: string,
  key: string,
  undo: Undo | null,
): void {
  let keys = index.get(accountId);
  if (!keys) {
    keys = new Set();
    put(index, accountId, keys, undo);
  }
  if (keys.has(key)) return;
  const added = keys;
  added.add(key);
  undo?.push(() => added.delete(key));
}

/** Removes `key` from under `accountId`; an account left with none is forgotten. */
export function unindexKey(
  index: Map<string, Set<string>>,
  accountId: string,
  key: string,
  undo: Undo | null,
): void {
  const keys = index.get(accountId);
  if (!keys?.delete(key)) return;
  undo?.push(() => keys.add(key));
  if (keys.size === 0) drop(index, accountId, undo);
}

export const copy = <T extends object>(record: T | undefined): T | null =>
  record ? { ...record } : null;

/**
 * What the ports' operations run against: the tables, and (in a transaction)
 * its undo log; each operation starts with `run`. Outside a transaction
 * (`undo` null) an operation waits while a transaction runs, so nobody reads
 * uncommitted writes; inside one its writes are logged.
 */
export class OperationContext {
  constructor(
    readonly t: Tables,
    readonly lock: AsyncLock,
    readonly undo: Undo | null,
  ) {}

  async run<T>(operation: () => T): Promise<T> {
    if (!this.undo) while (this.lock.busy) await this.lock.free();
    return operation();
  }
}

/**
 * Runs `work` as a transaction: alone (the lock serialises transactions, and
 * autocommit operations wait for them), its writes logged, and undone in
 * reverse order when it throws.
 */
export function inTransaction<T>(
  tables: Tables,
  lock: AsyncLock,
  work: (op: OperationContext) => Promise<T>,
): Promise<T> {
  return lock.run(async () => {
    const undo: Undo = [];
    try {
      return await work(new OperationContext(tables, lock, undo));
    } catch (error) {
      for (const revert of undo.reverse()) revert();
      throw error;
    }
  });
}
