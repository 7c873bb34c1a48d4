import type { AccountContext } from "../context.js";
import type { Account } from "../domain/account.js";
import { isLive } from "../domain/expiry.js";
import type { Session } from "../domain/session.js";
import { isTokenOf } from "../domain/tokens.js";
import { AccountError } from "../errors.js";
import type { Stores } from "../ports/store.js";

/**
 * The live session a token names, or null. Records activity at most once per
 * touch interval, sliding the idle expiry but never past the absolute one.
 */
export async function findLiveSession(ctx: AccountContext, token: string): Promise<Session | null> {
  if (!isTokenOf("session", token)) return null;
  const tokenHash = ctx.tokens.hash(token);
  const session = await ctx.store.sessions.get(tokenHash);
  const now = ctx.clock.now();
  if (!session || !isLive(session, now)) return null;
  if (now.getTime() - session.lastActiveAt.getTime() < ctx.settings.sessionTouchIntervalMs) {
    return session;
  }
  const expiresAt = slidingExpiry(ctx, session, now);
  if (!(await ctx.store.sessions.touch(tokenHash, now, expiresAt))) return null;
  return { ...session, lastActiveAt: now, expiresAt };
}

/** Activity at `now` moves the idle expiry on, never past the absolute one. */
function slidingExpiry(ctx: AccountContext, session: Session, now: Date): Date {
  return new Date(
    Math.min(session.absoluteExpiresAt.getTime(), now.getTime() + ctx.settings.sessionIdleTtlMs),
  );
}

/**
 * Inside the transaction of a flow that acts in a session (ChangePassword,
 * ChangeEmail, DeleteAccount): records the session's use there, a write to its
 * record, so a sign-out committing meanwhile conflicts with the flow (MongoDB
 * retries it, and it then finds the session gone) instead of slipping past a
 * read. False when the session is gone: the flow must change nothing.
 */
export async function holdSession(
  ctx: AccountContext,
  tx: Stores,
  session: Session,
): Promise<boolean> {
  const now = ctx.clock.now();
  return tx.sessions.touch(session.tokenHash, now, slidingExpiry(ctx, session, now));
}

/** The live session and its account, or UNAUTHENTICATED / INVALID_SESSION. */
export async function requireSession(
  ctx: AccountContext,
  token: string,
): Promise<{ session: Session; user: Account }> {
  const session = await findLiveSession(ctx, token);
  const user = session && (await ctx.store.accounts.get(session.accountId));
  if (!session || !user) throw new AccountError("INVALID_SESSION", { field: "session_token" });
  return { session, user };
}
