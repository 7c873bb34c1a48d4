import type { AccountEvent, NewAccountEvent } from "../../../core/domain/account-event.js";
import type {
  AccountEventLog,
  EventLogHead,
  EventLogQuery,
} from "../../../core/ports/account-event-log.js";
import { type OperationContext, put } from "./tables.js";

/**
 * The account-event log: events keyed by sequence (a Map keeps them in
 * insertion order, which is sequence order: appends only add at the new end,
 * rollbacks only take from it, the sweep only from the old end), and the head.
 */
export class MemoryEventLog implements AccountEventLog {
  constructor(private readonly op: OperationContext) {}

  /** In a transaction the lock already serialises appends; alone, this one call is atomic. */
  append(events: readonly NewAccountEvent[]): Promise<AccountEvent[]> {
    return this.op.run(() => {
      const { t, undo } = this.op;
      const head = t.eventHead.get("head") as EventLogHead;
      const time = new Date(Math.max(head.time.getTime(), ...events.map((e) => e.at.getTime())));
      const lastOfType = { ...head.lastOfType };
      const stored = events.map(({ at: _, ...event }, i) => {
        const sequence = head.sequence + i + 1;
        const previousOfType = lastOfType[event.type] ?? 0;
        lastOfType[event.type] = sequence;
        return { ...event, sequence, time, previousOfType };
      });
      for (const event of stored) put(t.events, event.sequence, event, undo);
      const last = stored.at(-1);
      if (last)
        put(t.eventHead, "head", { ...head, sequence: last.sequence, time, lastOfType }, undo);
      return stored.map(copyEvent);
    });
  }

  read(query: EventLogQuery): Promise<AccountEvent[]> {
    return this.op.run(() => {
      const { events, eventHead } = this.op.t;
      const last = (eventHead.get("head") as EventLogHead).sequence;
      const types = query.types?.length ? new Set<string>(query.types) : null;
      const found: AccountEvent[] = [];
      // Sequences are contiguous from the oldest kept one: look them up instead of scanning.
      const first = Math.max(query.after + 1, events.keys().next().value ?? last + 1);
      for (let sequence = first; sequence <= last && found.length < query.limit; sequence++) {
        const event = events.get(sequence);
        if (!event || event.time <= query.retainedAfter) continue;
        if (!types || types.has(event.type)) found.push(copyEvent(event));
      }
      return found;
    });
  }

  head(): Promise<EventLogHead> {
    return this.op.run(() => {
      const head = this.op.t.eventHead.get("head") as EventLogHead;
      return { ...head, lastOfType: { ...head.lastOfType } };
    });
  }

  oldestRetained(retainedAfter: Date): Promise<number> {
    return this.op.run(() => {
      for (const event of this.op.t.events.values()) {
        if (event.time > retainedAfter) return event.sequence;
      }
      return (this.op.t.eventHead.get("head") as EventLogHead).sequence + 1;
    });
  }
}

const copyEvent = (event: AccountEvent): AccountEvent => ({
  ...event,
  time: new Date(event.time),
});

/** The memory store's TTL rule for events: drop those at or past retention, oldest first. */
export function sweepEvents(events: Map<number, AccountEvent>, expiredBy: Date): number {
  let removed = 0;
  for (const [sequence, event] of events) {
    // Times never decrease along the log: the first one kept ends the sweep.
    if (event.time > expiredBy) break;
    events.delete(sequence);
    removed++;
  }
  return removed;
}
