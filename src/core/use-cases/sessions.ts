import type { AccountContext } from "../context.js";
import type { Account } from "../domain/account.js";
import { isLive } from "../domain/expiry.js";
import type { Session } from "../domain/session.js";
import { isTokenOf } from "../domain/tokens.js";
import { AccountError } from "../errors.js";
import { revokeEverything } from "./revocation.js";
import { findLiveSession, requireSession } from "./session-access.js";
import { assertionFor } from "./session-assertions.js";
import { inTransaction, RECORDS_EVENTS, recordEvent } from "./transaction.js";

/** Session flows: each takes the caller's session token first. */

export type SessionCheck =
  | { valid: false }
  | {
      valid: true;
      accountId: string;
      username: string;
      expiresAt: Date;
      /** A fresh session assertion; only when asked for. */
      assertion?: string;
    };

/**
 * A dead or unknown token is an answer (`valid: false`), not an error. With
 * `issueAssertion`, a live session's answer carries a fresh assertion; without
 * it nothing is signed and nothing beyond the session is read.
 */
export async function verifySession(
  ctx: AccountContext,
  token: string,
  issueAssertion = false,
): Promise<SessionCheck> {
  const session = await findLiveSession(ctx, token);
  if (!session) return { valid: false };
  if (issueAssertion) {
    const signed = await assertionFor(ctx, session);
    return signed
      ? {
          valid: true,
          accountId: session.accountId,
          username: signed.account.username,
          expiresAt: session.expiresAt,
          assertion: signed.assertion,
        }
      : { valid: false };
  }
  // One read on the hot path: usernames never change, and every flow that takes an
  // account away ends its sessions in the same transaction (revocation.ts), so a live
  // session's copy is the account's. Older sessions without one read the account.
  const username = session.username ?? (await ctx.store.accounts.get(session.accountId))?.username;
  return username
    ? { valid: true, accountId: session.accountId, username, expiresAt: session.expiresAt }
    : { valid: false };
}

export async function getCurrentUser(ctx: AccountContext, token: string): Promise<Account> {
  return (await requireSession(ctx, token)).user;
}

/** Idempotent: logging out a dead, unknown or malformed token is fine. */
export async function logout(ctx: AccountContext, token: string): Promise<void> {
  if (!isTokenOf("session", token)) return;
  const tokenHash = ctx.tokens.hash(token);
  const session = await ctx.store.sessions.get(tokenHash);
  if (session && (await ctx.store.sessions.remove(tokenHash))) {
    const user = await ctx.store.accounts.get(session.accountId);
    ctx.audit.emit({
      type: "sessions.revoked",
      username: user?.username ?? "<deleted>",
      count: 1,
      cause: "logout",
    });
  }
}

/**
 * Signs the account out everywhere: every session (the caller's included), every
 * pending link (an email change or reset asked for by whoever held a session)
 * and every trusted device (account.sessions_revoked). Returns how many sessions ended.
 */
export async function logoutAll(ctx: AccountContext, token: string): Promise<number> {
  const { user } = await requireSession(ctx, token);
  const count = await inTransaction(
    ctx,
    async (tx) => {
      const removed = await revokeEverything(tx, user.id);
      await recordEvent(ctx, tx, "account.sessions_revoked", user);
      return removed;
    },
    RECORDS_EVENTS,
  );
  ctx.audit.emit({
    type: "sessions.revoked",
    username: user.username,
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
  return (await ctx.store.sessions.list(session.accountId))
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
  const { user } = await requireSession(ctx, token);
  if (!sessionId || !(await ctx.store.sessions.removeById(user.id, sessionId))) {
    throw new AccountError("SESSION_NOT_FOUND", { field: "session_id" });
  }
  ctx.audit.emit({
    type: "sessions.revoked",
    username: user.username,
    count: 1,
    cause: "revoke",
  });
}
