import { Binary } from "mongodb";
import type { OutboxCounts, OutboxMail } from "../../../core/ports/outbox-store.js";
import type { OutboxDoc } from "./collections.js";
import { insertUnique } from "./errors.js";
import { literal } from "./literal.js";
import type { OperationContext } from "./operation.js";

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

export async function addOutboxMail(op: OperationContext, mail: OutboxMail): Promise<void> {
  await op.c.outbox.insertOne(
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
    op.with,
  );
}

/** Candidates looked at per claim: enough to step past ones other workers just took. */
const CLAIM_BATCH = 8;
/** How long after its lease a leftover claim is kept before TTL removes it. */
const CLAIM_RETENTION_MS = 3_600_000;

/**
 * Leases the oldest due mail to this worker. The lease is a claim record with
 * the mail's id as `_id` (outbox_claims): of workers racing for one mail exactly
 * one insert succeeds, on any engine, which a conditional update does not
 * guarantee on emulators. A claim whose lease has passed (its worker died or
 * hung) is deleted first, so the mail is taken over; the unique insert still
 * picks one taker. The winner re-reads the mail, which another worker may have
 * finished in between.
 */
export async function claimOutboxMail(
  op: OperationContext,
  now: Date,
  leaseUntil: Date,
): Promise<OutboxMail | null> {
  const held = await op.c.outbox_claims
    .find({ lease_until: { $gt: now } }, { projection: { _id: 1 }, ...op.with })
    .toArray();
  const due = await op.c.outbox
    .find(
      {
        dead_lettered: false,
        next_attempt_at: { $lte: now },
        _id: { $nin: held.map((c) => c._id) },
      },
      { sort: { next_attempt_at: 1 }, limit: CLAIM_BATCH, ...op.with },
    )
    .toArray();
  for (const candidate of due) {
    const id = candidate._id;
    await op.c.outbox_claims.deleteOne({ _id: id, lease_until: { $lte: now } }, op.with);
    const claim = {
      _id: id,
      lease_until: leaseUntil,
      expires_at: new Date(leaseUntil.getTime() + CLAIM_RETENTION_MS),
    };
    if (!(await insertUnique(op.c.outbox_claims, claim, op))) continue;
    const doc = await op.c.outbox.findOne(
      { _id: id, dead_lettered: false, next_attempt_at: { $lte: now } },
      op.with,
    );
    if (doc) return toMail({ ...doc, lease_until: leaseUntil });
    await release(op, id);
  }
  return null;
}

/** Gives the lease back (the mail was sent, rescheduled or dead-lettered). */
async function release(op: OperationContext, id: string): Promise<void> {
  await op.c.outbox_claims.deleteOne({ _id: literal(id) }, op.with);
}

export async function removeOutboxMail(op: OperationContext, id: string): Promise<void> {
  await op.c.outbox.deleteOne({ _id: literal(id) }, op.with);
  await release(op, id);
}

export async function rescheduleOutboxMail(
  op: OperationContext,
  id: string,
  attempts: number,
  nextAttemptAt: Date,
): Promise<void> {
  await op.c.outbox.updateOne(
    { _id: literal(id) },
    { $set: { attempts, next_attempt_at: nextAttemptAt } },
    op.with,
  );
  await release(op, id);
}

/** Keeps a tombstone for counting until the TTL index removes it; the sealed payload goes now. */
export async function deadLetterOutboxMail(
  op: OperationContext,
  id: string,
  attempts: number,
): Promise<void> {
  await op.c.outbox.updateOne(
    { _id: literal(id) },
    { $set: { attempts, dead_lettered: true }, $unset: { payload: "" } },
    op.with,
  );
  await release(op, id);
}

export async function countOutbox(op: OperationContext): Promise<OutboxCounts> {
  const pending = await op.c.outbox.countDocuments({ dead_lettered: false }, op.with);
  const deadLettered = await op.c.outbox.countDocuments({ dead_lettered: true }, op.with);
  return { pending, deadLettered };
}
