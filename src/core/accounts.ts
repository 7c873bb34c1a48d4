import type { AccountContext } from "./context.js";
import { changePassword } from "./use-cases/change-password.js";
import { deleteAccount } from "./use-cases/delete-account.js";
import { login } from "./use-cases/login.js";
import { resetPassword, sendPasswordReset } from "./use-cases/password-reset.js";
import { register } from "./use-cases/register.js";
import { resendVerification } from "./use-cases/resend-verification.js";
import {
  getCurrentUser,
  listSessions,
  logout,
  logoutAll,
  revokeSession,
  verifySession,
} from "./use-cases/sessions.js";
import { verifyEmail } from "./use-cases/verify-email.js";

/** A flow: the account context first, then the request's own arguments. */
type Flow = (ctx: AccountContext, ...args: never[]) => unknown;
/** The public signature of a flow: its own, minus `ctx`. */
type Bound<F> = F extends (ctx: AccountContext, ...args: infer A) => infer R
  ? (...args: A) => R
  : never;

/** Every flow the service offers (each lives in use-cases/), named as the API calls it. */
const flows = {
  register,
  verifyEmail,
  resendVerification,
  login,
  verifySession,
  getCurrentUser,
  logout,
  logoutAll,
  changePassword,
  sendPasswordReset,
  resetPassword,
  deleteAccount,
  listSessions,
  revokeSession,
} satisfies Record<string, Flow>;

/** The UserHarbor domain API: one method per account flow. */
export type Accounts = { [K in keyof typeof flows]: Bound<(typeof flows)[K]> };

export function createAccounts(ctx: AccountContext): Accounts {
  const bound: Record<string, (...args: never[]) => unknown> = {};
  const entries: [string, Flow][] = Object.entries(flows);
  for (const [name, flow] of entries) {
    bound[name] = (...args: never[]) => flow(ctx, ...args);
  }
  // Each entry is the flow of the same name with `ctx` applied: exactly `Bound` of it.
  return bound as Accounts;
}
