import type { AccountContext } from "../../context.js";
import { revokeEverything } from "../revocation.js";
import { inTransaction, RECORDS_EVENTS, recordEvent } from "../transaction.js";
import { type AccountView, requireAccount, viewsOf } from "./account-view.js";
import { onAccount } from "./audit.js";

/** DisableAccount's note is for the audit log only; it is cut so one call cannot flood it. */
const NOTE_MAX = 500;

/**
 * Disables the account: in one transaction the flag is set (moving the
 * credential generation on, so a Login that checked the password before this
 * opens no session), every session ends and every verification, reset and
 * device token is removed. Login then answers ACCOUNT_DISABLED to the right password.
 */
export async function disableAccount(
  ctx: AccountContext,
  rawId: string,
  note: string,
): Promise<AccountView> {
  return onAccount(
    ctx,
    "DisableAccount",
    rawId,
    async (id) => {
      const { account, revoked } = await inTransaction(
        ctx,
        async (tx) => {
          const before = await requireAccount(tx, id);
          if (!before.disabled) {
            await tx.accounts.changeCredentials(id, { disabled: true });
            await recordEvent(ctx, tx, "account.disabled", before);
          }
          const revoked = await revokeEverything(tx, id);
          // Read back: the answer is the record as stored, its generation moved on.
          return { account: await requireAccount(tx, id), revoked };
        },
        RECORDS_EVENTS,
      );
      ctx.audit.emit({
        type: "sessions.revoked",
        username: account.username,
        count: revoked,
        cause: "admin_disable",
      });
      return { ...account, liveSessions: 0 };
    },
    note.slice(0, NOTE_MAX),
  );
}

/** Lets the account log in again; sessions the disable ended stay ended. */
export async function enableAccount(ctx: AccountContext, rawId: string): Promise<AccountView> {
  return onAccount(ctx, "EnableAccount", rawId, async (id) => {
    const account = await inTransaction(
      ctx,
      async (tx) => {
        const before = await requireAccount(tx, id);
        if (before.disabled) {
          await tx.accounts.changeCredentials(id, { disabled: false });
          await recordEvent(ctx, tx, "account.enabled", before);
        }
        return requireAccount(tx, id);
      },
      RECORDS_EVENTS,
    );
    return (await viewsOf(ctx, [account]))[0] as AccountView;
  });
}

/** Marks the account's current address verified (support confirmed it another way). */
export async function markEmailVerified(ctx: AccountContext, rawId: string): Promise<AccountView> {
  return onAccount(ctx, "MarkEmailVerified", rawId, async (id) => {
    const account = await inTransaction(
      ctx,
      async (tx) => {
        const account = await requireAccount(tx, id);
        await tx.accounts.setVerified(id);
        if (!account.verified) await recordEvent(ctx, tx, "account.email_verified", account);
        return { ...account, verified: true };
      },
      RECORDS_EVENTS,
    );
    return (await viewsOf(ctx, [account]))[0] as AccountView;
  });
}
