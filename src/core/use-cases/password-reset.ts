import type { AccountContext, ClientInfo } from "../context.js";
import { isLive } from "../domain/expiry.js";
import { parseEmail } from "../domain/identity.js";
import { isTokenOf, newToken } from "../domain/tokens.js";
import { AccountError } from "../errors.js";
import { acceptNewPassword } from "./password-check.js";
import { revokeEverything } from "./revocation.js";
import { inTransaction, postCappedMail, RECORDS_EVENTS, recordEvent } from "./transaction.js";

export interface SendPasswordResetInput {
  email: string;
  client: ClientInfo;
}

/**
 * Queues a reset mail if the email has an account. Same answer for any
 * well-formed email. The requester's budget is per address *and* requester, so
 * an outsider spending theirs never blocks the owner's request from elsewhere.
 */
export async function sendPasswordReset(
  ctx: AccountContext,
  input: SendPasswordResetInput,
): Promise<void> {
  const email = parseEmail(input.email);
  await ctx.limits.enforce(ctx.audit, input.client.ip, [
    ["mail_ip", input.client.ip],
    ["mail_email", email.key],
  ]);
  const token = newToken("reset");
  const now = ctx.clock.now();
  // Read the account inside the transaction that writes its token (see resendVerification).
  await inTransaction(ctx, async (tx, postMail) => {
    const user = await tx.accounts.findByEmail(email.key);
    if (!user || user.disabled) return;
    const mail = {
      kind: "password_reset",
      to: user.email,
      username: user.username,
      token,
    } as const;
    if (!(await postCappedMail(ctx, postMail, mail))) return;
    await tx.tokens.add("reset", {
      accountId: user.id,
      tokenHash: ctx.tokens.hash(token),
      expiresAt: new Date(now.getTime() + ctx.settings.resetTtlMs),
    });
  });
}

export interface ResetPasswordInput {
  token: string;
  newPassword: string;
  client: ClientInfo;
}

/**
 * Consumes a reset token (single use, atomically: of concurrent uses exactly one
 * wins) and sets the new password. Every session and every other token of the
 * account dies, and so does every device token (trusted device). The new password is checked before the token is consumed, so a
 * weak one leaves the token usable. Receiving the mail proves the address, so
 * the email counts as verified afterwards.
 */
export async function resetPassword(ctx: AccountContext, input: ResetPasswordInput): Promise<void> {
  const invalid = () => new AccountError("INVALID_TOKEN", { field: "token" });
  if (!isTokenOf("reset", input.token)) throw invalid();
  const tokenHash = ctx.tokens.hash(input.token);
  const reset = await ctx.store.tokens.find("reset", tokenHash);
  const user =
    reset && isLive(reset, ctx.clock.now()) && (await ctx.store.accounts.get(reset.accountId));
  if (!user || user.disabled) throw invalid();
  const password = acceptNewPassword(ctx, input.newPassword, user, "new_password");
  const passwordHash = await ctx.hasher.hash(password);
  const revoked = await inTransaction(
    ctx,
    async (tx, postMail) => {
      const consumed = await tx.tokens.consume("reset", tokenHash);
      if (
        !consumed ||
        consumed.accountId !== user.id ||
        !isLive(consumed, ctx.clock.now()) ||
        !(await tx.accounts.changeCredentials(user.id, { passwordHash, verified: true }))
      ) {
        throw invalid();
      }
      // A reset is how an account is taken back: no session, link or trusted device survives it.
      const revoked = await revokeEverything(tx, user.id);
      await recordEvent(ctx, tx, "account.password_reset", user);
      await postMail({ kind: "password_changed", to: user.email, username: user.username });
      return revoked;
    },
    RECORDS_EVENTS,
  );
  ctx.audit.emit({ type: "password.reset", username: user.username, ip: input.client.ip });
  ctx.audit.emit({
    type: "sessions.revoked",
    username: user.username,
    count: revoked,
    cause: "password_reset",
  });
}
