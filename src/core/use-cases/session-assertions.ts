import type { AccountContext } from "../context.js";
import type { Account } from "../domain/account.js";
import type { Session } from "../domain/session.js";
import type { AssertionSubject } from "../domain/session-assertions.js";

/**
 * Session assertions in the flows: Login always returns one, VerifySession only
 * when asked (then it reads the account, for `email_verified`; the plain check
 * stays one read), and the public key set that verifies them.
 */

export function assertionSubject(session: Session, account: Account): AssertionSubject {
  return {
    accountId: account.id,
    sessionId: session.id,
    username: account.username,
    emailVerified: account.verified,
    sessionExpiresAt: session.expiresAt,
  };
}

/**
 * A fresh assertion for a live session and the account it names, or null if the
 * account is gone or disabled (flows that take an account away end its sessions
 * in the same transaction, so this is a guard, not a path).
 */
export async function assertionFor(
  ctx: AccountContext,
  session: Session,
): Promise<{ assertion: string; account: Account } | null> {
  const account = await ctx.store.accounts.get(session.accountId);
  if (!account || account.disabled) return null;
  const assertion = await ctx.assertions.issue(assertionSubject(session, account), ctx.clock.now());
  return { assertion, account };
}

/** The published key set (an RFC 7517 JWK Set as JSON text): public keys only. */
export function getSessionKeys(ctx: AccountContext): Promise<string> {
  return ctx.assertions.keySet(ctx.clock.now());
}
