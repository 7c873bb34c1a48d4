import type { AccountContext } from "../context.js";
import type { MailMessage } from "../domain/mail.js";
import { newId } from "../domain/tokens.js";
import type { Stores } from "../ports/store.js";

/** Queues a mail inside the current transaction. */
export type PostMail = (message: MailMessage) => Promise<void>;

/**
 * Queues mail that someone other than the recipient may have asked for (a
 * reset, a resent link, a notice), within the recipient's ceiling of mail per
 * window (budget `mail_sent`). Beyond it the mail is held back and the caller's
 * answer stays the same, so the ceiling neither refuses the owner's own request
 * with an error nor tells anyone that the address has an account.
 */
export async function postCappedMail(
  ctx: AccountContext,
  postMail: PostMail,
  message: MailMessage,
): Promise<boolean> {
  if ((await ctx.limits.spend("mail_sent", message.to.toLowerCase())) > 0) {
    ctx.audit.emit({ type: "mail.held_back", kind: message.kind });
    return false;
  }
  await postMail(message);
  return true;
}

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
