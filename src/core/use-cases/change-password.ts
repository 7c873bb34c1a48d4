import type { AccountContext } from "../context.js";
import { AccountError } from "../errors.js";
import { acceptNewPassword, confirmPassword } from "./password-check.js";
import { revokeOtherAccess } from "./revocation.js";
import { holdSession, requireSession } from "./session-access.js";
import { inTransaction, RECORDS_EVENTS, recordEvent } from "./transaction.js";

export interface ChangePasswordInput {
  sessionToken: string;
  oldPassword: string;
  newPassword: string;
}

/**
 * Sets a new password under a live session after re-checking the old one. All
 * other sessions and all outstanding verification/reset tokens die with the old
 * password; the calling session stays. The owner is told by mail. Device tokens
 * stay: they grant no access, only exemption from the account-wide lock, and the
 * owner changing a password from a device is the case they exist to protect
 * (ResetPassword, the recovery path, revokes them).
 */
export async function changePassword(
  ctx: AccountContext,
  input: ChangePasswordInput,
): Promise<void> {
  const { session, user } = await requireSession(ctx, input.sessionToken);
  const password = acceptNewPassword(ctx, input.newPassword, user, "new_password");
  await confirmPassword(ctx, session, user, input.oldPassword, "old_password");
  const passwordHash = await ctx.hasher.hash(password);
  const revoked = await inTransaction(
    ctx,
    async (tx, postMail) => {
      // The session or the account may have gone while we hashed: then nothing changes.
      if (
        !(await holdSession(ctx, tx, session)) ||
        !(await tx.accounts.changeCredentials(user.id, { passwordHash }))
      ) {
        throw new AccountError("INVALID_SESSION", { field: "session_token" });
      }
      const revoked = await revokeOtherAccess(tx, user.id, session.tokenHash);
      await recordEvent(ctx, tx, "account.password_changed", user);
      await postMail({ kind: "password_changed", to: user.email, username: user.username });
      return revoked;
    },
    RECORDS_EVENTS,
  );
  ctx.audit.emit({ type: "password.changed", username: user.username });
  ctx.audit.emit({
    type: "sessions.revoked",
    username: user.username,
    count: revoked,
    cause: "password_change",
  });
}
