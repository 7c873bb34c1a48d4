import type { AccountContext } from "../context.js";
import { isLive, type Session, type User } from "../domain/account.js";
import { isTokenOf } from "../domain/tokens.js";
import { AccountError } from "../errors.js";
import { findLiveSession, requireSession } from "./session-access.js";

/** Session flows: each takes the caller's session token first. */

export type SessionCheck = { valid: false } | { valid: true; username: string; expiresAt: Date };

/** A dead or unknown token is an answer (`valid: false`), not an error. */
export async function verifySession(ctx: AccountContext, token: string): Promise<SessionCheck> {
  const session = await findLiveSession(ctx, token);
  return session
    ? { valid: true, username: session.username, expiresAt: session.expiresAt }
    : { valid: false };
}

export async function getCurrentUser(ctx: AccountContext, token: string): Promise<User> {
  return (await requireSession(ctx, token)).user;
}

/** Idempotent: logging out a dead, unknown or malformed token is fine. */
export async function logout(ctx: AccountContext, token: string): Promise<void> {
  if (!isTokenOf("session", token)) return;
  const tokenHash = ctx.tokens.hash(token);
  const session = await ctx.store.getSession(tokenHash);
  if (session && (await ctx.store.removeSession(tokenHash))) {
    ctx.events.emit({
      type: "sessions.revoked",
      username: session.username,
      count: 1,
      cause: "logout",
    });
  }
}

/** Revokes every session of the account, the caller's included. */
export async function logoutAll(ctx: AccountContext, token: string): Promise<number> {
  const { session } = await requireSession(ctx, token);
  const count = await ctx.store.removeAllSessions(session.username);
  ctx.events.emit({
    type: "sessions.revoked",
    username: session.username,
    count,
    cause: "logout_all",
  });
  return count;
}

export interface SessionView extends Session {
  current: boolean;
}

/** Live sessions of the caller's account, newest first. */
export async function listSessions(ctx: AccountContext, token: string): Promise<SessionView[]> {
  const { session } = await requireSession(ctx, token);
  const now = ctx.clock.now();
  return (await ctx.store.listSessions(session.username))
    .filter((s) => isLive(s, now))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .map((s) => ({ ...s, current: s.id === session.id }));
}

/** Another account's session id is "not found", exactly like an unknown one. */
export async function revokeSession(
  ctx: AccountContext,
  token: string,
  sessionId: string,
): Promise<void> {
  const { session } = await requireSession(ctx, token);
  if (!sessionId || !(await ctx.store.removeSessionById(session.username, sessionId))) {
    throw new AccountError("SESSION_NOT_FOUND", { field: "session_id" });
  }
  ctx.events.emit({
    type: "sessions.revoked",
    username: session.username,
    count: 1,
    cause: "revoke",
  });
}
