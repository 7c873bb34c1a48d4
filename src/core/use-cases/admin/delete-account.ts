import type { AccountContext } from "../../context.js";
import { revokeEverything } from "../revocation.js";
import { inTransaction, RECORDS_EVENTS, recordEvent } from "../transaction.js";
import { requireAccount } from "./account-view.js";
import { onAccount } from "./audit.js";

/**
 * Removes the account, its claims, sessions and tokens in one transaction (as
 * DeleteAccount does, without the user's password). The id is never reused.
 */
export async function deleteAccountAsAdmin(ctx: AccountContext, rawId: string): Promise<void> {
  return onAccount(ctx, "DeleteAccountAsAdmin", rawId, async (id) => {
    const { account, count } = await inTransaction(
      ctx,
      async (tx) => {
        const account = await requireAccount(tx, id);
        const count = await revokeEverything(tx, id);
        await tx.accounts.remove(id);
        await recordEvent(ctx, tx, "account.deleted", account);
        return { account, count };
      },
      RECORDS_EVENTS,
    );
    ctx.audit.emit({ type: "account.deleted", username: account.username });
    ctx.audit.emit({
      type: "sessions.revoked",
      username: account.username,
      count,
      cause: "deletion",
    });
  });
}
