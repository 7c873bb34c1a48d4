import type { AccountContext, ClientInfo } from "../context.js";
import { parseEmail } from "../domain/identity.js";
import { AccountError } from "../errors.js";
import { confirmPassword } from "./password-check.js";
import { holdSession, requireSession } from "./session-access.js";
import { inTransaction, postCappedMail } from "./transaction.js";
import { mailVerificationLink } from "./verify-email.js";

export interface ChangeEmailInput {
  sessionToken: string;
  password: string;
  newEmail: string;
  client: ClientInfo;
}

/**
 * Asks to move the account to a new address, under a live session and the
 * password (checked under the session's confirmation lock). Nothing changes yet: the new
 * address gets a verification link whose token names it, and VerifyEmail makes
 * the change when the link is used. The current address gets a notice. A new
 * address that belongs to another account gets that owner a notice instead of a
 * link, and the caller the same answer, so ChangeEmail never reveals whether an
 * address is registered. The current address itself: nothing to do.
 */
export async function changeEmail(ctx: AccountContext, input: ChangeEmailInput): Promise<void> {
  const { session, user } = await requireSession(ctx, input.sessionToken);
  const email = parseEmail(input.newEmail, "new_email");
  // Mail goes to an address the caller names: the mail budgets apply, as for the other mail RPCs.
  await ctx.limits.enforce(ctx.audit, input.client.ip, [
    ["mail_ip", input.client.ip],
    ["mail_email", email.key],
  ]);
  await confirmPassword(ctx, session, user, input.password, "password");
  if (email.key === user.emailKey) return;
  await inTransaction(ctx, async (tx, postMail) => {
    // Signed out everywhere (or reset, disabled, deleted) while we hashed: no link may
    // outlive that, or the pending change would move the account after all.
    const current = (await holdSession(ctx, tx, session)) && (await tx.accounts.get(user.id));
    if (!current) throw new AccountError("INVALID_SESSION", { field: "session_token" });
    const owner = await tx.accounts.findByEmail(email.key);
    await postMail({ kind: "email_change_requested", to: current.email, username: user.username });
    if (owner) {
      const { email: to, username } = owner;
      await postCappedMail(ctx, postMail, { kind: "email_change_attempt", to, username });
      return;
    }
    await mailVerificationLink(ctx, tx, postMail, user, email.address, true);
  });
  ctx.audit.emit({
    type: "email.change_requested",
    username: user.username,
    ip: input.client.ip,
  });
}
