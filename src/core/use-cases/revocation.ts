import type { Stores } from "../ports/store.js";

/**
 * Inside a flow's transaction, ends everything that lets anyone act as the
 * account: its sessions, its verification and reset tokens, and its device
 * tokens. The flows that take an account back or away (password reset,
 * disabling, deletion by the user or an operator) all call this one function,
 * so a new kind of credential is revoked everywhere by adding it here.
 * Returns how many sessions ended.
 */
export async function revokeEverything(tx: Stores, accountId: string): Promise<number> {
  const sessions = await tx.sessions.removeAll(accountId);
  await tx.tokens.removeForAccount(accountId);
  await tx.devices.removeForAccount(accountId);
  return sessions;
}
