import type { Stores } from "../ports/store.js";

/**
 * The one place that says what ends when access to an account is taken back.
 * Every flow that signs anyone out calls one of these two inside its
 * transaction, so a new kind of credential is revoked everywhere by adding it here.
 *
 * Links (verification and reset tokens) end with the sessions because a
 * pending link is access too: an email change someone else asked for moves
 * the account when its link is used, and a reset link takes it.
 */

/**
 * Everything that lets anyone act as the account: every session, every pending
 * link, every trusted device. For "sign out everywhere" (LogoutAll, an
 * operator's RevokeAccountSessions), a reset, disabling and deletion.
 * Returns how many sessions ended.
 */
export async function revokeEverything(tx: Stores, accountId: string): Promise<number> {
  const sessions = await tx.sessions.removeAll(accountId);
  await tx.tokens.removeForAccount(accountId);
  await tx.devices.removeForAccount(accountId);
  return sessions;
}

/**
 * After the owner changed a credential themselves (ChangePassword, a confirmed
 * ChangeEmail): every other session and every pending link end; the session
 * that made the change (if any) and the trusted devices stay, since the owner
 * on their own device is who device trust protects. Returns how many sessions ended.
 */
export async function revokeOtherAccess(
  tx: Stores,
  accountId: string,
  keepSessionHash?: string,
): Promise<number> {
  const sessions = await tx.sessions.removeAll(accountId, keepSessionHash);
  await tx.tokens.removeForAccount(accountId);
  return sessions;
}
