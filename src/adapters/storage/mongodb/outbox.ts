import { Binary } from "mongodb";
import type { OutboxCounts, OutboxMail } from "../../../core/ports/user-store.js";
import type { OutboxDoc } from "./collections.js";
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

/** One atomic find-and-update, so two workers never lease the same mail. Oldest due first. */
export async function claimOutboxMail(
  s: Scope,
  now: Date,
  leaseUntil: Date,
): Promise<OutboxMail | null> {
  const doc = await s.c.outbox.findOneAndUpdate(
    {
      dead_lettered: false,
      next_attempt_at: { $lte: now },
      $or: [{ lease_until: null }, { lease_until: { $lte: now } }],
    },
    { $set: { lease_until: leaseUntil } },
    { sort: { next_attempt_at: 1 }, returnDocument: "after", ...s.with },
  );
  return doc ? toMail(doc) : null;
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
