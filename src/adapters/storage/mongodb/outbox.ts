import { Binary } from "mongodb";
import type { OutboxCounts, OutboxMail } from "../../../core/ports/user-store.js";
import type { OutboxDoc } from "./collections.js";
import { insertUnique } from "./errors.js";
import { literal } from "./literal.js";
import type { Scope } from "./scope.js";

/** A plain Uint8Array (the driver hands back a Node Buffer inside a Binary). */
function bytes(payload: OutboxDoc["payload"]): Uint8Array {
  if (payload === undefined) return new Uint8Array();
  return Uint8Array.from(payload instanceof Binary ? payload.value() : payload);
}

function toMail(doc: OutboxDoc): OutboxMail {
  return {
    id: doc._id,
    kind: doc.kind,
    payload: bytes(doc.payload),
    attempts: doc.attempts,
    nextAttemptAt: doc.next_attempt_at,
    leaseUntil: doc.lease_until,
    createdAt: doc.created_at,
    expiresAt: doc.expires_at,
  };
}

export async function addOutboxMail(s: Scope, mail: OutboxMail): Promise<void> {
  await s.c.outbox.insertOne(
    {
      _id: literal(mail.id),
      kind: mail.kind,
      payload: mail.payload,
      attempts: mail.attempts,
      next_attempt_at: mail.nextAttemptAt,
      lease_until: mail.leaseUntil,
      created_at: mail.createdAt,
      expires_at: mail.expiresAt,
      dead_lettered: false,
    },
    s.with,
  );
}

/** Candidates looked at per claim round: enough to step past ones other workers just took. */
const CLAIM_BATCH = 8;

/**
 * Leases the oldest due mail to this worker. The lease is won by inserting a
 * claim record whose `_id` names the mail's current state (id, attempts,
 * previous lease end): two workers that saw the same state race for the same
 * `_id` and exactly one insert succeeds, on any engine. Only the winner then
 * sets the mail's lease; a later round sees the new lease end, hence a new `_id`.
 */
export async function claimOutboxMail(
  s: Scope,
  now: Date,
  leaseUntil: Date,
): Promise<OutboxMail | null> {
  for (let round = 0; round < 3; round++) {
    const due = await s.c.outbox
      .find(
        {
          dead_lettered: false,
          next_attempt_at: { $lte: now },
          $or: [{ lease_until: null }, { lease_until: { $lte: now } }],
        },
        { sort: { next_attempt_at: 1 }, limit: CLAIM_BATCH, ...s.with },
      )
      .toArray();
    if (due.length === 0) return null;
    for (const doc of due) {
      const claim = `${doc._id}:${doc.attempts}:${doc.lease_until?.getTime() ?? "none"}`;
      if (!(await insertUnique(s.c.outbox_claims, { _id: claim, expires_at: leaseUntil }, s)))
        continue;
      const { modifiedCount } = await s.c.outbox.updateOne(
        { _id: doc._id, attempts: doc.attempts, lease_until: doc.lease_until },
        { $set: { lease_until: leaseUntil } },
        s.with,
      );
      if (modifiedCount === 1) return toMail({ ...doc, lease_until: leaseUntil });
    }
  }
  // Others hold everything due right now; the next poll looks again. (A claim whose
  // winner died before setting the lease expires with its TTL.)
  return null;
}

export async function removeOutboxMail(s: Scope, id: string): Promise<void> {
  await s.c.outbox.deleteOne({ _id: literal(id) }, s.with);
}

export async function rescheduleOutboxMail(
  s: Scope,
  id: string,
  attempts: number,
  nextAttemptAt: Date,
): Promise<void> {
  await s.c.outbox.updateOne(
    { _id: literal(id) },
    { $set: { attempts, next_attempt_at: nextAttemptAt, lease_until: null } },
    s.with,
  );
}

/** Keeps a tombstone for counting until the TTL index removes it; the sealed payload goes now. */
export async function deadLetterOutboxMail(s: Scope, id: string, attempts: number): Promise<void> {
  await s.c.outbox.updateOne(
    { _id: literal(id) },
    { $set: { attempts, dead_lettered: true, lease_until: null }, $unset: { payload: "" } },
    s.with,
  );
}

export async function countOutbox(s: Scope): Promise<OutboxCounts> {
  const pending = await s.c.outbox.countDocuments({ dead_lettered: false }, s.with);
  const deadLettered = await s.c.outbox.countDocuments({ dead_lettered: true }, s.with);
  return { pending, deadLettered };
}
