import type { AccountEvent, AccountEventType } from "../../domain/account-event.js";
import { isAccountEventType } from "../../domain/account-event.js";
import { decodeCursor, type EventCursor, encodeCursor } from "../../domain/event-cursor.js";
import { AccountError } from "../../errors.js";
import type { AccountEventLog } from "../../ports/account-event-log.js";
import type { Clock } from "../../ports/clock.js";
import type { EventFeed } from "./feed.js";

/** What reading the account-event log needs. */
export interface EventsContext {
  log: AccountEventLog;
  clock: Clock;
  /** EVENT_RETENTION: events older than this are gone (or about to be). */
  retentionMs: number;
  feed: EventFeed;
}

/** An event with the cursor that resumes after it. */
export interface CursoredEvent extends AccountEvent {
  cursor: string;
}

export const EVENT_PAGE_DEFAULT = 100;
export const EVENT_PAGE_MAX = 1000;
/** Events a watcher reads from the store at a time. */
const WATCH_BATCH = 100;

/**
 * Events this close to the end of retention already count as gone: the
 * database's TTL monitor runs on its own clock (up to a minute late or, with
 * skew, early), so a cursor is declared expired a little before its successors
 * can really be deleted, never after.
 */
export function retainedAfter(ctx: Pick<EventsContext, "clock" | "retentionMs">): Date {
  const margin = Math.min(60_000, ctx.retentionMs / 10);
  return new Date(ctx.clock.now().getTime() - ctx.retentionMs + margin);
}

function typesOf(raw: readonly string[]): AccountEventType[] {
  for (const type of raw) {
    if (!isAccountEventType(type)) throw new AccountError("INVALID_EVENT_TYPE", { field: "types" });
  }
  return [...new Set(raw)] as AccountEventType[];
}

function cursorOf(raw: string): EventCursor {
  const cursor = decodeCursor(raw);
  if (!cursor) throw new AccountError("INVALID_CURSOR", { field: "after_cursor" });
  return cursor;
}

/**
 * Whether reading on after `cursor` leaves no gap. Retention removes events by
 * time, and time never decreases along the sequence, so it only ever cuts the
 * oldest end: if the event right after the cursor is still retained, so is
 * every later one, and if it is not, the reader has lost something. A cursor
 * of another log (a reset memory store, a wiped database) cannot resume either.
 */
async function requireResumable(
  ctx: EventsContext,
  cursor: EventCursor,
  types: readonly AccountEventType[],
): Promise<void> {
  const head = await ctx.log.head();
  const expired = () => new AccountError("CURSOR_EXPIRED", { field: "after_cursor" });
  if (cursor.logId !== head.logId) throw expired();
  if (cursor.sequence > head.sequence) {
    throw new AccountError("INVALID_CURSOR", { field: "after_cursor" });
  }
  if (cursor.sequence === head.sequence) return;
  const cutoff = retainedAfter(ctx);
  if (cursor.sequence + 1 >= (await ctx.log.oldestRetained(cutoff))) return;
  // Events after the cursor are gone. A reader of some types only has lost nothing if, for
  // each of them, the first event of that type after the cursor still there has no
  // predecessor of its type after the cursor (or there is none, and none was appended since).
  if (types.length === 0) throw expired();
  for (const type of types) {
    const [first] = await ctx.log.read({
      after: cursor.sequence,
      limit: 1,
      types: [type],
      retainedAfter: cutoff,
    });
    const lostBefore = first
      ? first.previousOfType > cursor.sequence
      : (head.lastOfType[type] ?? 0) > cursor.sequence;
    if (lostBefore) throw expired();
  }
}

function withCursor(logId: string, event: AccountEvent): CursoredEvent {
  return { ...event, cursor: encodeCursor({ logId, sequence: event.sequence }) };
}

export interface ListEventsInput {
  afterCursor: string;
  pageSize: number;
  types: readonly string[];
}

export interface EventPage {
  events: CursoredEvent[];
  /** The last event's cursor, or the request's when the page is empty (caught up). */
  nextCursor: string;
}

/** One page after the cursor; an empty cursor starts at the oldest retained event. */
export async function listAccountEvents(
  ctx: EventsContext,
  input: ListEventsInput,
): Promise<EventPage> {
  if (!Number.isInteger(input.pageSize) || input.pageSize < 0) {
    throw new AccountError("INVALID_PAGE_SIZE", { field: "page_size" });
  }
  const types = typesOf(input.types);
  const limit = Math.min(input.pageSize || EVENT_PAGE_DEFAULT, EVENT_PAGE_MAX);
  let after = 0;
  let logId: string;
  if (input.afterCursor === "") {
    logId = (await ctx.log.head()).logId;
  } else {
    const cursor = cursorOf(input.afterCursor);
    await requireResumable(ctx, cursor, types);
    ({ logId, sequence: after } = cursor);
  }
  const events = await ctx.log.read({ after, limit, types, retainedAfter: retainedAfter(ctx) });
  const page = events.map((event) => withCursor(logId, event));
  return { events: page, nextCursor: page.at(-1)?.cursor ?? input.afterCursor };
}

export interface WatchEventsInput {
  afterCursor: string;
  types: readonly string[];
}

/**
 * Events after the cursor, then each new one as it commits, until `signal`
 * aborts. An empty cursor starts at the live end. Every error (a bad or
 * expired cursor, an unknown type) comes before the first event, except
 * CURSOR_EXPIRED for a watcher that fell a whole retention behind.
 */
export async function* watchAccountEvents(
  ctx: EventsContext,
  input: WatchEventsInput,
  signal: AbortSignal,
): AsyncGenerator<CursoredEvent> {
  const types = typesOf(input.types);
  const head = await ctx.log.head();
  let position = head.sequence;
  if (input.afterCursor !== "") {
    const cursor = cursorOf(input.afterCursor);
    await requireResumable(ctx, cursor, types);
    position = cursor.sequence;
  }
  // Time of the event at `position` (or of the head): while it is inside retention,
  // nothing after it can have expired (times never decrease along the log).
  let positionTime = input.afterCursor === "" ? head.time : new Date(0);
  while (!signal.aborted) {
    const seen = ctx.feed.version;
    const cutoff = retainedAfter(ctx);
    if (positionTime <= cutoff) {
      await requireResumable(ctx, { logId: head.logId, sequence: position }, types);
    }
    const events = await ctx.log.read({
      after: position,
      limit: WATCH_BATCH,
      types,
      retainedAfter: cutoff,
    });
    for (const event of events) {
      if (signal.aborted) return;
      yield withCursor(head.logId, event);
      position = event.sequence;
      positionTime = event.time;
    }
    if (events.length < WATCH_BATCH) await ctx.feed.changed(seen, signal);
  }
}
