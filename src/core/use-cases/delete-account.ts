import type { AccountContext } from "../context.js";
import { AccountError } from "../errors.js";
import { confirmPassword } from "./password-check.js";
import { revokeEverything } from "./revocation.js";
import { holdSession, requireSession } from "./session-access.js";
import { inTransaction, RECORDS_EVENTS, recordEvent } from "./transaction.js";

export interface DeleteAccountInput {
  sessionToken: string;
  password: string;
}

/**
 * Removes the account, its claims, sessions, tokens and device tokens in one transaction, after
 * re-checking the password. The id is never reused: registering the same
 * username and email again makes a new account that inherits nothing.
 */
export async function deleteAccount(ctx: AccountContext, input: DeleteAccountInput): Promise<void> {
  const { session, user } = await requireSession(ctx, input.sessionToken);
  await confirmPassword(ctx, session, user, input.password, "password");
  const revoked = await inTransaction(
    ctx,
    async (tx) => {
      // A session revoked (or an account deleted) while we hashed: then nothing happens.
      // Removing the account record is the write a racing Login collides with.
      if (!(await holdSession(ctx, tx, session))) {
        throw new AccountError("INVALID_SESSION", { field: "session_token" });
      }
      const count = await revokeEverything(tx, user.id);
      await tx.accounts.remove(user.id);
      await recordEvent(ctx, tx, "account.deleted", user);
      return count;
    },
    RECORDS_EVENTS,
  );
  ctx.audit.emit({ type: "account.deleted", username: user.username });
  ctx.audit.emit({
    type: "sessions.revoked",
    username: user.username,
    count: revoked,
    cause: "deletion",
  });
}
