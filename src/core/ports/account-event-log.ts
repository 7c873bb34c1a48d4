import type { AccountEvent, AccountEventType, NewAccountEvent } from "../domain/account-event.js";

/** The log's newest end: the last sequence number handed out (0: none yet) and its time. */
export interface EventLogHead {
  /** Random per log, fixed for its life: a cursor from another (or a reset) log is told apart. */
  logId: string;
  sequence: number;
  time: Date;
  /** The sequence of the last event of each type appended (types never appended are absent). */
  lastOfType: Partial<Record<AccountEventType, number>>;
}

export interface EventLogQuery {
  /** Events with a sequence above this one. */
  after: number;
  limit: number;
  /** Only these types; empty or absent: every type. */
  types?: readonly AccountEventType[] | undefined;
  /** Only events whose time is after this (older ones count as expired, deleted or not). */
  retainedAfter: Date;
}

/**
 * The durable account-event log. Rules every implementation keeps:
 * - `append` numbers events 1, 2, 3, ... in commit order with no gap: numbers
 *   are taken inside the caller's transaction from one counter, so two
 *   transactions appending at once are serialised on it (one waits or retries),
 *   and one that rolls back takes its numbers back;
 * - each appended event's time is max(its `at`, the previous event's time), so
 *   time never decreases along the sequence and retention (which removes events
 *   by time) only ever cuts the log's oldest end;
 * - events whose time is not after `retainedAfter` are never returned; the
 *   store removes them in its own time (a TTL index, the memory store's sweep);
 * - the head says, per type, the last sequence appended (so a reader that
 *   filters by type can tell "nothing of mine since" from "something expired").
 */
export interface AccountEventLog {
  /** Appends in order, in the current transaction (or one of its own); returns them as stored. */
  append(events: readonly NewAccountEvent[]): Promise<AccountEvent[]>;
  /** Events after `query.after`, by sequence, oldest first, at most `limit`. */
  read(query: EventLogQuery): Promise<AccountEvent[]>;
  head(): Promise<EventLogHead>;
  /** The lowest sequence of an event whose time is after `retainedAfter`; head + 1 when there is none. */
  oldestRetained(retainedAfter: Date): Promise<number>;
}
