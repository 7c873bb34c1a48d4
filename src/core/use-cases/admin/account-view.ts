import type { AccountContext } from "../../context.js";
import type { Account } from "../../domain/account.js";
import { parseAccountId } from "../../domain/account-id.js";
import { AccountError } from "../../errors.js";
import type { Stores } from "../../ports/store.js";

/** An account as operators see it: the record plus how many sessions are live now. */
export interface AccountView extends Account {
  liveSessions: number;
}

/** The id an admin request names, or INVALID_ARGUMENT / INVALID_ACCOUNT_ID. */
export function accountIdOf(raw: string, field = "account_id"): string {
  const id = parseAccountId(raw);
  if (!id) throw new AccountError("INVALID_ACCOUNT_ID", { field });
  return id;
}

/** The account, or NOT_FOUND / ACCOUNT_NOT_FOUND. */
export async function requireAccount(stores: Stores, id: string): Promise<Account> {
  const account = await stores.accounts.get(id);
  if (!account) throw new AccountError("ACCOUNT_NOT_FOUND", { field: "account_id" });
  return account;
}

/** Adds live session counts, in one store call for the whole list. */
export async function viewsOf(ctx: AccountContext, accounts: Account[]): Promise<AccountView[]> {
  const counts = await ctx.store.sessions.countLive(
    accounts.map((a) => a.id),
    ctx.clock.now(),
  );
  return accounts.map((a) => ({ ...a, liveSessions: counts.get(a.id) ?? 0 }));
}
