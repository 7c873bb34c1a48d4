import type { AccountContext, ClientInfo } from "../context.js";
import { parseEmail } from "../domain/identity.js";
import { inTransaction } from "./transaction.js";
import { mailVerificationLink } from "./verify-email.js";

export interface ResendVerificationInput {
  email: string;
  client: ClientInfo;
}

/** Queues a fresh verification mail for an unverified account. Same answer for any well-formed email. */
export async function resendVerification(
  ctx: AccountContext,
  input: ResendVerificationInput,
): Promise<void> {
  const email = parseEmail(input.email);
  await ctx.limits.enforce(ctx.audit, input.client.ip, [
    ["mail_ip", input.client.ip],
    ["mail_email", email.key],
  ]);
  // Read the account inside the transaction that writes its token, so a token
  // is never written for an account deleted (or its username re-taken) meanwhile.
  await inTransaction(ctx, async (tx, postMail) => {
    const user = await tx.accounts.findByEmail(email.key);
    if (!user || user.verified || user.disabled) return;
    await mailVerificationLink(ctx, tx, postMail, user, user.email, true);
  });
}
