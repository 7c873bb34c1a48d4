import type { Counter, Lock } from "../../../core/ports/limit-store.js";
import { insertUnique } from "./errors.js";
import { literal } from "./literal.js";
import type { OperationContext } from "./operation.js";

/*
 * Counters, locks and lock claims in the `limits` collection, one document per
 * key (`_id`), each with `expires_at` for the TTL index. Only single-document
 * `$inc`, unique inserts, conditional deletes and compare-and-set updates: no
 * findAndModify (jongodb's is not atomic) and no `$max` (jongodb lacks it). Times come from the caller
 * (the core's clock); an ended record is treated as absent, since TTL deletion
 * is lazy and emulators never delete.
 */

/** Rounds of "increment a live window, else start one" before giving up under contention. */
const MAX_ROUNDS = 8;

export async function incrementCounter(
  op: OperationContext,
  key: string,
  now: Date,
  windowMs: number,
): Promise<Counter> {
  const _id = literal(key);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const live = { _id, expires_at: { $gt: now } };
    const { matchedCount } = await op.c.limits.updateOne(live, { $inc: { count: 1 } }, op.with);
    if (matchedCount === 1) {
      // The read sees at least this increment (and maybe later ones): never less than our own.
      const doc = await op.c.limits.findOne({ _id }, op.with);
      if (doc?.count !== undefined) return { count: doc.count, resetAt: doc.expires_at };
      continue; // reset in between: count again
    }
    // No live window: drop an ended one, start a new one; a racer that started it first wins.
    await op.c.limits.deleteOne({ _id, expires_at: { $lte: now } }, op.with);
    const resetAt = new Date(now.getTime() + windowMs);
    if (await insertUnique(op.c.limits, { _id, count: 1, expires_at: resetAt }, op)) {
      return { count: 1, resetAt };
    }
  }
  throw new Error(`limit counter ${key.split(":")[0]} stayed contended`);
}

export async function resetCounter(op: OperationContext, key: string): Promise<void> {
  await op.c.limits.deleteOne({ _id: literal(key) }, op.with);
}

export async function claimOnce(
  op: OperationContext,
  key: string,
  now: Date,
  expiresAt: Date,
): Promise<boolean> {
  const _id = literal(key);
  if (await insertUnique(op.c.limits, { _id, expires_at: expiresAt }, op)) return true;
  // Held: unless by a claim that has ended and that nobody else replaced first.
  const { deletedCount } = await op.c.limits.deleteOne({ _id, expires_at: { $lte: now } }, op.with);
  return deletedCount === 1 && insertUnique(op.c.limits, { _id, expires_at: expiresAt }, op);
}

export async function startLock(op: OperationContext, key: string, lock: Lock): Promise<void> {
  const _id = literal(key);
  const doc = { _id, until: lock.until, level: lock.level, expires_at: lock.until };
  // Compare-and-set on the current end (no `$max`: emulators lack it): a longer
  // lock replaces a shorter one, never the other way round.
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const held = await op.c.limits.findOne({ _id }, op.with);
    if (!held) {
      if (await insertUnique(op.c.limits, doc, op)) return;
      continue;
    }
    if (held.until && held.until >= lock.until) return;
    const { matchedCount } = await op.c.limits.updateOne(
      { _id, until: held.until ?? { $exists: false } },
      { $set: { until: lock.until, level: lock.level, expires_at: lock.until } },
      op.with,
    );
    if (matchedCount === 1) return;
  }
  throw new Error(`lock ${key.split(":")[0]} stayed contended`);
}

export async function lockOn(op: OperationContext, key: string, now: Date): Promise<Lock | null> {
  const doc = await op.c.limits.findOne({ _id: literal(key) }, op.with);
  return doc?.until && doc.level !== undefined && doc.until > now
    ? { until: doc.until, level: doc.level }
    : null;
}
