import { randomBytes } from "node:crypto";
import type { Db } from "mongodb";
import {
  ACCOUNT_EVENT_TYPES,
  type AccountEvent,
  type NewAccountEvent,
} from "../../../core/domain/account-event.js";
import type { EventLogHead, EventLogQuery } from "../../../core/ports/account-event-log.js";
import type { AccountEventDoc, EventHeadDoc } from "./collections.js";
import { isDuplicateKey } from "./errors.js";
import type { OperationContext } from "./operation.js";

/*
 * The ordering scheme (docs/account-events.md): every append increments the one
 * head document inside the appending transaction and numbers its events from
 * it. MongoDB lets one transaction at a time hold an uncommitted write to a
 * document (a second writer gets a WriteConflict, and withTransaction runs it
 * again on a snapshot that includes the first one's commit), so numbers are
 * handed out in commit order, and an aborted transaction's increment goes with
 * it: no gap. `_id` = sequence makes a duplicate number impossible even on an
 * engine that does not isolate transactions (it fails that commit instead).
 */

const HEAD = "head" as const;

function toEvent(doc: AccountEventDoc): AccountEvent {
  return {
    id: doc.event_id,
    type: doc.type as AccountEvent["type"],
    accountId: doc.account_id,
    username: doc.username,
    email: doc.email,
    sequence: doc._id,
    time: doc.time,
    previousOfType: doc.previous_of_type ?? 0,
  };
}

/** A type as a field name of `last_of_type` (no dots), and back. */
const typeField = (type: string) => type.replaceAll(".", "_");
const FIELD_TYPES = new Map(ACCOUNT_EVENT_TYPES.map((type) => [typeField(type), type]));

const toHead = (doc: EventHeadDoc): EventLogHead => {
  const lastOfType: EventLogHead["lastOfType"] = {};
  for (const [field, sequence] of Object.entries(doc.last_of_type ?? {})) {
    const type = FIELD_TYPES.get(field);
    if (type) lastOfType[type] = sequence;
  }
  return { logId: doc.log_id, sequence: doc.sequence, time: doc.time, lastOfType };
};

/** Reads outside a transaction see majority-committed events only: none a failover could take back. */
function readOptions(op: OperationContext) {
  return op.with.session ? op.with : { readConcern: { level: "majority" as const } };
}

/** Creates the head document if missing (start-up; a racing replica's insert is as good). */
export async function ensureEventHead(db: Db): Promise<void> {
  try {
    await db
      .collection<EventHeadDoc>("account_event_head")
      .updateOne(
        { _id: HEAD },
        { $setOnInsert: { sequence: 0, time: new Date(0), log_id: newLogId() } },
        { upsert: true },
      );
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

const newLogId = () => randomBytes(8).toString("hex");

export async function appendEvents(
  op: OperationContext,
  events: readonly NewAccountEvent[],
): Promise<AccountEvent[]> {
  if (events.length === 0) return [];
  const at = Math.max(...events.map((e) => e.at.getTime()));
  const { before, after: head } = await takeSequences(op, events, at);
  const lastOfType = { ...before.lastOfType };
  const docs: AccountEventDoc[] = events.map((event, i) => {
    const sequence = before.sequence + i + 1;
    const previous = lastOfType[event.type] ?? 0;
    lastOfType[event.type] = sequence;
    return {
      _id: sequence,
      event_id: event.id,
      type: event.type,
      account_id: event.accountId,
      username: event.username,
      email: event.email,
      time: head.time,
      previous_of_type: previous,
    };
  });
  await op.c.account_events.insertMany(docs, op.with);
  return docs.map(toEvent);
}

/**
 * Moves the head on by `count` (and its time to at least `at`) as a
 * compare-and-set on the sequence read. In a transaction MongoDB makes a
 * concurrent writer conflict (and retries it) before the compare can fail; the
 * compare keeps an engine that does not isolate transactions from handing out
 * a number twice, and retries the rare race outside a transaction.
 */
async function takeSequences(op: OperationContext, events: readonly NewAccountEvent[], at: number) {
  const count = events.length;
  for (let attempt = 0; attempt < 100; attempt++) {
    const current = await eventHead(op);
    const time = new Date(Math.max(at, current.time.getTime()));
    const lastOfType: Record<string, number> = {};
    for (const [i, event] of events.entries()) {
      lastOfType[`last_of_type.${typeField(event.type)}`] = current.sequence + i + 1;
    }
    const moved = await op.c.account_event_head.findOneAndUpdate(
      { _id: HEAD, sequence: current.sequence },
      { $inc: { sequence: count }, $set: { time, ...lastOfType } },
      { returnDocument: "after", ...op.with },
    );
    if (moved) return { before: current, after: toHead(moved) };
    if (op.with.session) break;
  }
  throw new Error("account_event_head moved under this transaction (engine without isolation?)");
}

export async function readEvents(
  op: OperationContext,
  query: EventLogQuery,
): Promise<AccountEvent[]> {
  const docs = await op.c.account_events
    .find(
      {
        _id: { $gt: query.after },
        time: { $gt: query.retainedAfter },
        ...(query.types?.length ? { type: { $in: [...query.types] } } : {}),
      },
      { sort: { _id: 1 }, limit: query.limit, ...readOptions(op) },
    )
    .toArray();
  return docs.map(toEvent);
}

export async function eventHead(op: OperationContext): Promise<EventLogHead> {
  const doc = await op.c.account_event_head.findOne({ _id: HEAD }, readOptions(op));
  if (doc) return toHead(doc);
  // A database that came back empty (an emulator restarted): a new log, with a new id.
  await ensureEventHead(op.db);
  const created = await op.c.account_event_head.findOne({ _id: HEAD }, op.with);
  if (!created) throw new Error("account_event_head: missing after upsert");
  return toHead(created);
}

export async function oldestRetainedEvent(
  op: OperationContext,
  retainedAfter: Date,
): Promise<number> {
  const oldest = await op.c.account_events.findOne(
    { time: { $gt: retainedAfter } },
    { sort: { _id: 1 }, projection: { _id: 1 }, ...readOptions(op) },
  );
  return oldest ? oldest._id : (await eventHead(op)).sequence + 1;
}

/**
 * The TTL index that applies EVENT_RETENTION: `time` plus `seconds`. A changed
 * setting changes the index in place (collMod), or, where the server lacks
 * collMod, drops and re-creates it. An emulator with neither (jongodb, which
 * deletes nothing by TTL anyway) keeps the index it has.
 */
export async function ensureEventRetention(db: Db, seconds: number): Promise<void> {
  const events = db.collection("account_events");
  const existing = (
    await events
      .listIndexes()
      .toArray()
      .catch(() => [])
  ).find((index) => JSON.stringify(index.key) === JSON.stringify({ time: 1 }));
  if (existing?.expireAfterSeconds === seconds) return;
  if (!existing) {
    await events.createIndex({ time: 1 }, { expireAfterSeconds: seconds });
    return;
  }
  try {
    await db.command({
      collMod: "account_events",
      index: { keyPattern: { time: 1 }, expireAfterSeconds: seconds },
    });
  } catch (error) {
    if (!isCommandNotFound(error)) throw error;
    try {
      await events.dropIndex(existing.name as string);
    } catch (dropError) {
      if (isCommandNotFound(dropError)) return;
      throw dropError;
    }
    await events.createIndex({ time: 1 }, { expireAfterSeconds: seconds });
  }
}

const isCommandNotFound = (error: unknown) => (error as { code?: unknown }).code === 59;
