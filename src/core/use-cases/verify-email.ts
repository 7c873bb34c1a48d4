import type { AccountContext, ClientInfo } from "../context.js";
import type { Account } from "../domain/account.js";
import { isLive } from "../domain/expiry.js";
import { parseEmail } from "../domain/identity.js";
import { isTokenOf, newToken } from "../domain/tokens.js";
import { AccountError } from "../errors.js";
import { DuplicateError } from "../ports/account-store.js";
import type { Stores } from "../ports/store.js";
import { revokeOtherAccess } from "./revocation.js";
import { findLiveSession } from "./session-access.js";
import { inTransaction, type PostMail, postCappedMail } from "./transaction.js";

/**
 * Inside a flow's transaction: stores a verification token that proves `address`
 * for the account, and queues the link to that address. `capped`: the link was
 * asked for by someone who may not own the address (a resend, an email change),
 * so it counts against the address's mail ceiling and is held back beyond it.
 */
export async function mailVerificationLink(
  ctx: AccountContext,
  tx: Stores,
  postMail: PostMail,
  account: Pick<Account, "id" | "username">,
  address: string,
  capped: boolean,
): Promise<void> {
  const token = newToken("verification");
  const mail = { kind: "verification", to: address, username: account.username, token } as const;
  if (!capped) await postMail(mail);
  else if (!(await postCappedMail(ctx, postMail, mail))) return;
  await tx.tokens.add("verification", {
    accountId: account.id,
    email: address,
    tokenHash: ctx.tokens.hash(token),
    expiresAt: new Date(ctx.clock.now().getTime() + ctx.settings.verificationTtlMs),
  });
}

export interface VerifyEmailInput {
  token: string;
  client: ClientInfo;
  /** The session of whoever opened the link, if any: a confirmed email change keeps it. */
  sessionToken?: string | undefined;
}

/**
 * Consumes a verification token (single use, atomically). The token names the
 * address it proves: the account's own (Register, ResendVerification) marks it
 * verified; another (ChangeEmail) makes it the account's address, verified.
 * That is a credential change: every other session and every outstanding link
 * ends (only the session that opened the link, if one is given, stays), and the
 * old address is told. If the new address was claimed by another account
 * meanwhile, the answer is EMAIL_TAKEN and nothing changes, the token included.
 */
export async function verifyEmail(ctx: AccountContext, input: VerifyEmailInput): Promise<Account> {
  const invalid = () => new AccountError("INVALID_TOKEN", { field: "token" });
  if (!isTokenOf("verification", input.token)) throw invalid();
  const tokenHash = ctx.tokens.hash(input.token);
  const confirming = input.sessionToken ? await findLiveSession(ctx, input.sessionToken) : null;
  const { account, moved, revoked } = await inTransaction(ctx, async (tx, postMail) => {
    const verification = await tx.tokens.consume("verification", tokenHash);
    if (!verification || !isLive(verification, ctx.clock.now())) throw invalid();
    const user = await tx.accounts.get(verification.accountId);
    if (!user || user.disabled) throw invalid();
    const proved = verification.email ? parseEmail(verification.email) : null;
    if (!proved || proved.key === user.emailKey) {
      await tx.accounts.setVerified(user.id);
      // Its other links (a resent one, a pending change) prove nothing more now: a
      // verification token for a verified address is a token the store need not keep.
      await tx.tokens.removeForAccount(user.id, "verification");
      return { account: { ...user, verified: true }, moved: false, revoked: 0 };
    }
    try {
      await tx.accounts.changeCredentials(user.id, { email: proved, verified: true });
    } catch (error) {
      if (error instanceof DuplicateError) {
        throw new AccountError("EMAIL_TAKEN", { field: "token" });
      }
      throw error;
    }
    const kept = confirming?.accountId === user.id ? confirming.tokenHash : undefined;
    const revoked = await revokeOtherAccess(tx, user.id, kept);
    await postMail({ kind: "email_changed", to: user.email, username: user.username });
    const account = {
      ...user,
      email: proved.address,
      emailKey: proved.key,
      verified: true,
      credentialGeneration: user.credentialGeneration + 1,
    };
    return { account, moved: true, revoked };
  });
  if (moved) {
    ctx.audit.emit({ type: "email.changed", username: account.username });
    ctx.audit.emit({
      type: "sessions.revoked",
      username: account.username,
      count: revoked,
      cause: "email_change",
    });
  }
  return account;
}
