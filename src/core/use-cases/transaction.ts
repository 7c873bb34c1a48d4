import type { AccountContext } from "../context.js";
import type { MailMessage } from "../domain/mail.js";
import { newId } from "../domain/tokens.js";
import type { Stores } from "../ports/store.js";

/** Queues a mail inside the current transaction. */
export type PostMail = (message: MailMessage) => Promise<void>;

/** How long undeliverable leftovers stay in the outbox before TTL removes them. */
const OUTBOX_RETENTION_MS = 7 * 24 * 3_600_000;

/**
 * Runs `work` in one store transaction. Mail it posts is sealed and written to
 * the outbox in that same transaction, so a token and the mail carrying it are
 * stored together or not at all; the delivery worker is woken after commit.
 */
export async function inTransaction<T>(
  ctx: AccountContext,
  work: (tx: Stores, postMail: PostMail) => Promise<T>,
): Promise<T> {
  let queued = false;
  const result = await ctx.store.transaction((tx) =>
    work(tx, async (message) => {
      const id = newId();
      const now = ctx.clock.now();
      await tx.outbox.add({
        id,
        kind: message.kind,
        payload: ctx.seal.seal(message, id),
        attempts: 0,
        nextAttemptAt: now,
        leaseUntil: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + OUTBOX_RETENTION_MS),
      });
      queued = true;
    }),
  );
  if (queued) ctx.mailQueued();
  return result;
}
