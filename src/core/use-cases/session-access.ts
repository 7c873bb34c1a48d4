import type { AccountContext } from "../context.js";
import type { Account } from "../domain/account.js";
import { isLive } from "../domain/expiry.js";
import type { Session } from "../domain/session.js";
import { isTokenOf } from "../domain/tokens.js";
import { AccountError } from "../errors.js";

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
  const expiresAt = new Date(
    Math.min(session.absoluteExpiresAt.getTime(), now.getTime() + ctx.settings.sessionIdleTtlMs),
  );
  if (!(await ctx.store.sessions.touch(tokenHash, now, expiresAt))) return null;
  return { ...session, lastActiveAt: now, expiresAt };
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
