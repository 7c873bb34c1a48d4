import { type BoundFlows, bindFlows } from "./accounts.js";
import { listAccountSessions, revokeAccountSessions } from "./use-cases/admin/account-sessions.js";
import {
  disableAccount,
  enableAccount,
  markEmailVerified,
} from "./use-cases/admin/account-status.js";
import { deleteAccountAsAdmin } from "./use-cases/admin/delete-account.js";
import { type AdminContext, getAccount, listAccounts } from "./use-cases/admin/find-accounts.js";

/** Operators' flows (AdminService), named as the API calls them; each writes an audit line. */
const adminFlows = {
  getAccount,
  listAccounts,
  disableAccount,
  enableAccount,
  listAccountSessions,
  revokeAccountSessions,
  deleteAccountAsAdmin,
  markEmailVerified,
} satisfies Record<string, (ctx: AdminContext, ...args: never[]) => unknown>;

export type Admin = BoundFlows<AdminContext, typeof adminFlows>;

export function createAdmin(ctx: AdminContext): Admin {
  return bindFlows(ctx, adminFlows);
}
