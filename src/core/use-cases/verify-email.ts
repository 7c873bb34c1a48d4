import type { AccountContext, ClientInfo } from "../context.js";
import type { Account } from "../domain/account.js";
import { isLive } from "../domain/expiry.js";
import { parseEmail } from "../domain/identity.js";
import { isTokenOf, newToken } from "../domain/tokens.js";
import { AccountError } from "../errors.js";
import { DuplicateError } from "../ports/account-store.js";
import type { Stores } from "../ports/store.js";
import { inTransaction, type PostMail } from "./transaction.js";

/**
 * Inside a flow's transaction: stores a verification token that proves `address`
 * for the account, and queues the link to that address.
 */
export async function mailVerificationLink(
  ctx: AccountContext,
  tx: Stores,
  postMail: PostMail,
  account: Pick<Account, "id" | "username">,
  address: string,
): Promise<void> {
  const token = newToken("verification");
  await tx.tokens.add("verification", {
    accountId: account.id,
    email: address,
    tokenHash: ctx.tokens.hash(token),
    expiresAt: new Date(ctx.clock.now().getTime() + ctx.settings.verificationTtlMs),
  });
  await postMail({ kind: "verification", to: address, username: account.username, token });
}

export interface VerifyEmailInput {
  token: string;
  client: ClientInfo;
}

/**
 * Consumes a verification token (single use, atomically). The token names the
 * address it proves: the account's own (Register, ResendVerification) marks it
 * verified; another (ChangeEmail) makes it the account's address, verified, and
 * ends every other outstanding token (they were sent for the old address). If
 * that address was claimed by another account meanwhile, the answer is
 * EMAIL_TAKEN and nothing changes, the token included.
 */
export async function verifyEmail(ctx: AccountContext, input: VerifyEmailInput): Promise<Account> {
  const invalid = () => new AccountError("INVALID_TOKEN", { field: "token" });
  if (!isTokenOf("verification", input.token)) throw invalid();
  const tokenHash = ctx.tokens.hash(input.token);
  const { account, moved } = await inTransaction(ctx, async (tx) => {
    const verification = await tx.tokens.consume("verification", tokenHash);
    if (!verification || !isLive(verification, ctx.clock.now())) throw invalid();
    const user = await tx.accounts.get(verification.accountId);
    if (!user || user.disabled) throw invalid();
    const proved = verification.email ? parseEmail(verification.email) : null;
    if (!proved || proved.key === user.emailKey) {
      await tx.accounts.setVerified(user.id);
      return { account: { ...user, verified: true }, moved: false };
    }
    try {
      await tx.accounts.changeCredentials(user.id, { email: proved, verified: true });
    } catch (error) {
      if (error instanceof DuplicateError) {
        throw new AccountError("EMAIL_TAKEN", { field: "token" });
      }
      throw error;
    }
    await tx.tokens.removeForAccount(user.id);
    const account = {
      ...user,
      email: proved.address,
      emailKey: proved.key,
      verified: true,
      credentialGeneration: user.credentialGeneration + 1,
    };
    return { account, moved: true };
  });
  if (moved) ctx.audit.emit({ type: "email.changed", username: account.username });
  return account;
}
