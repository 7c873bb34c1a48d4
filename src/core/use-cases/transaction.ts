import type { AccountContext } from "../context.js";
import { type AccountEventType, newAccountEvent } from "../domain/account-event.js";
import type { MailMessage } from "../domain/mail.js";
import { newId } from "../domain/tokens.js";
import type { AccountEventLog } from "../ports/account-event-log.js";
import type { Stores, TransactionOptions } from "../ports/store.js";

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
 * Inside a flow's transaction: records that `type` happened to `account` (as it
 * is after the change) in the account-event log, so the event commits or rolls
 * back with the change.
 */
export async function recordEvent(
  ctx: AccountContext,
  tx: Stores,
  type: AccountEventType,
  account: { id: string; username: string; email: string },
): Promise<void> {
  await tx.events.append([newAccountEvent(type, account, ctx.clock.now())]);
}

/** inTransaction's options for a flow that records account events (see TransactionOptions). */
export const RECORDS_EVENTS: TransactionOptions = { appendsEvents: true };

/** The log as a transaction's work sees it: appends are noted, so watchers are woken after commit. */
function noting(log: AccountEventLog, appended: () => void): AccountEventLog {
  return {
    append: (events) => {
      appended();
      return log.append(events);
    },
    read: (query) => log.read(query),
    head: () => log.head(),
    oldestRetained: (after) => log.oldestRetained(after),
  };
}

/**
 * Runs `work` in one store transaction. Mail it posts is sealed and written to
 * the outbox in that same transaction, so a token and the mail carrying it are
 * stored together or not at all; the same goes for the account events it
 * records. After commit the delivery worker and event watchers are woken.
 */
export async function inTransaction<T>(
  ctx: AccountContext,
  work: (tx: Stores, postMail: PostMail) => Promise<T>,
  /** Say so when `work` may record account events (recordEvent): see TransactionOptions. */
  options: TransactionOptions = {},
): Promise<T> {
  let queued = false;
  let appended = false;
  const result = await ctx.store.transaction((attempt) => {
    // A retried attempt starts over: only the committed one's appends count. Only a flow
    // that says it records events (RECORDS_EVENTS) gets the noting log; the rest use the
    // attempt's ports as they are.
    appended = false;
    const tx = options.appendsEvents
      ? {
          ...attempt,
          events: noting(attempt.events, () => {
            appended = true;
          }),
        }
      : attempt;
    return work(tx, async (message) => {
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
    });
  }, options);
  if (queued) ctx.mailQueued();
  if (appended) ctx.eventsCommitted();
  return result;
}
