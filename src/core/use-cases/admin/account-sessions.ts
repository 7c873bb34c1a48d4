import type { AccountContext } from "../../context.js";
import { isLive } from "../../domain/expiry.js";
import { revokeEverything } from "../revocation.js";
import type { SessionView } from "../sessions.js";
import { inTransaction, RECORDS_EVENTS, recordEvent } from "../transaction.js";
import { requireAccount } from "./account-view.js";
import { onAccount } from "./audit.js";

/** The account's live sessions, newest first (`current` is false: no session made this call). */
export async function listAccountSessions(
  ctx: AccountContext,
  rawId: string,
): Promise<SessionView[]> {
  return onAccount(ctx, "ListAccountSessions", rawId, async (id) => {
    await requireAccount(ctx.store, id);
    const now = ctx.clock.now();
    return (await ctx.store.sessions.list(id))
      .filter((s) => isLive(s, now))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((s) => ({ ...s, current: false }));
  });
}

/**
 * Signs the account out everywhere, as LogoutAll does: sessions, pending links
 * (an email change or reset someone asked for) and trusted devices end. It may
 * log in again. Returns how many sessions ended.
 */
export async function revokeAccountSessions(ctx: AccountContext, rawId: string): Promise<number> {
  return onAccount(ctx, "RevokeAccountSessions", rawId, async (id) => {
    const { account, count } = await inTransaction(
      ctx,
      async (tx) => {
        const account = await requireAccount(tx, id);
        const count = await revokeEverything(tx, id);
        // No session ended: nothing a backend must follow (and nothing written).
        if (count > 0) await recordEvent(ctx, tx, "account.sessions_revoked", account);
        return { account, count };
      },
      RECORDS_EVENTS,
    );
    ctx.audit.emit({
      type: "sessions.revoked",
      username: account.username,
      count,
      cause: "admin_revoke",
    });
    return count;
  });
}
