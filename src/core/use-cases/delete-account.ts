import type { AccountContext } from "../context.js";
import { AccountError } from "../errors.js";
import { checkPassword } from "./password-check.js";
import { requireSession } from "./session-access.js";
import { inTransaction } from "./transaction.js";

export interface DeleteAccountInput {
  sessionToken: string;
  password: string;
}

/** Removes the account, its sessions and its tokens in one transaction, after re-checking the password. */
export async function deleteAccount(ctx: AccountContext, input: DeleteAccountInput): Promise<void> {
  const { user } = await requireSession(ctx, input.sessionToken);
  if (!(await checkPassword(ctx, user.username, input.password)).ok) {
    throw new AccountError("INVALID_CREDENTIALS", { field: "password" });
  }
  await inTransaction(ctx, async (tx) => {
    await tx.removeAllSessions(user.username);
    await tx.removeUserTokens(user.username);
    await tx.deleteUser(user.username);
  });
}
