import type { AccountContext, ClientInfo } from "../context.js";
import { parseEmail } from "../domain/identity.js";
import { newToken } from "../domain/tokens.js";
import { enforceLimits } from "./throttling.js";
import { inTransaction } from "./transaction.js";

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
  await enforceLimits(ctx, input.client.ip, [
    ["mail_ip", input.client.ip],
    ["mail_email", email.key],
  ]);
  const user = await ctx.store.getUserByEmail(email.key);
  if (!user || user.verified) return;
  const token = newToken("verification");
  const now = ctx.clock.now();
  await inTransaction(ctx, async (tx, postMail) => {
    await tx.setEmailVerification({
      username: user.username,
      tokenHash: ctx.tokens.hash(token),
      expiresAt: new Date(now.getTime() + ctx.settings.verificationTtlMs),
    });
    await postMail({ kind: "verification", to: user.email, username: user.username, token });
  });
}
