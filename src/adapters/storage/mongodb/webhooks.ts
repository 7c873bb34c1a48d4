import type { WebhookCursor } from "../../../core/ports/webhook-store.js";
import type { WebhookCursorDoc } from "./collections.js";
import { insertUnique, isDuplicateKey } from "./errors.js";
import { literal } from "./literal.js";
import type { OperationContext } from "./operation.js";

const toCursor = (doc: WebhookCursorDoc): WebhookCursor => ({
  endpoint: doc._id,
  position: doc.position,
  attempts: doc.attempts,
  nextAttemptAt: doc.next_attempt_at,
});

/** How long after its lease a leftover lease record is kept before TTL removes it. */
const LEASE_RETENTION_MS = 3_600_000;

export async function webhookCursor(
  op: OperationContext,
  endpoint: string,
  position: number,
): Promise<WebhookCursor> {
  const _id = literal(endpoint);
  try {
    await op.c.webhook_cursors.updateOne(
      { _id },
      { $setOnInsert: { position, attempts: 0, next_attempt_at: null } },
      { upsert: true, ...op.with },
    );
  } catch (error) {
    if (!isDuplicateKey(error)) throw error; // another replica created it first
  }
  const doc = await op.c.webhook_cursors.findOne({ _id }, op.with);
  if (!doc) throw new Error(`webhook cursor ${endpoint} missing after upsert`);
  return toCursor(doc);
}

/**
 * Renews the holder's own lease, or takes a free one: a lease whose time has
 * passed is deleted first, then a unique insert picks one taker, as
 * claimOutboxMail does (a conditional update is not atomic on every engine).
 */
export async function leaseWebhook(
  op: OperationContext,
  endpoint: string,
  holder: string,
  now: Date,
  leaseUntil: Date,
): Promise<boolean> {
  const _id = literal(endpoint);
  const expires_at = new Date(leaseUntil.getTime() + LEASE_RETENTION_MS);
  const renewed = await op.c.webhook_leases.updateOne(
    { _id, holder: literal(holder) },
    { $set: { lease_until: leaseUntil, expires_at } },
    op.with,
  );
  if (renewed.matchedCount > 0) return true;
  await op.c.webhook_leases.deleteOne({ _id, lease_until: { $lte: now } }, op.with);
  return insertUnique(
    op.c.webhook_leases,
    { _id, holder, lease_until: leaseUntil, expires_at },
    op,
  );
}

export async function releaseWebhook(
  op: OperationContext,
  endpoint: string,
  holder: string,
): Promise<void> {
  await op.c.webhook_leases.deleteOne({ _id: literal(endpoint), holder: literal(holder) }, op.with);
}

export async function advanceWebhook(
  op: OperationContext,
  endpoint: string,
  sequence: number,
): Promise<void> {
  await op.c.webhook_cursors.updateOne(
    { _id: literal(endpoint), position: { $lt: sequence } },
    { $set: { position: sequence, attempts: 0, next_attempt_at: null } },
    op.with,
  );
}

export async function retryWebhookLater(
  op: OperationContext,
  endpoint: string,
  attempts: number,
  nextAttemptAt: Date,
): Promise<void> {
  await op.c.webhook_cursors.updateOne(
    { _id: literal(endpoint) },
    { $set: { attempts, next_attempt_at: nextAttemptAt } },
    op.with,
  );
}
