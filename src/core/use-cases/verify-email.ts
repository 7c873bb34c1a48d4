import type { AccountContext, ClientInfo } from "../context.js";
import { isLive, type User } from "../domain/account.js";
import { isTokenOf } from "../domain/tokens.js";
import { AccountError } from "../errors.js";
import { inTransaction } from "./transaction.js";

export interface VerifyEmailInput {
  token: string;
  client: ClientInfo;
}

/** Consumes a verification token (single use, atomically) and marks the email verified. */
export async function verifyEmail(ctx: AccountContext, input: VerifyEmailInput): Promise<User> {
  const invalid = () => new AccountError("INVALID_TOKEN", { field: "token" });
  if (!isTokenOf("verification", input.token)) throw invalid();
  const tokenHash = ctx.tokens.hash(input.token);
  return inTransaction(ctx, async (tx) => {
    const verification = await tx.consumeEmailVerification(tokenHash);
    if (!verification || !isLive(verification, ctx.clock.now())) throw invalid();
    const user = await tx.getUserByUsername(verification.username);
    if (!user) throw invalid();
    await tx.setUserVerified(user.username);
    return { ...user, verified: true };
  });
}
