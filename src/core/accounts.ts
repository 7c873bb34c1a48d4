import type { AccountContext } from "./context.js";
import { changeEmail } from "./use-cases/change-email.js";
import { changePassword } from "./use-cases/change-password.js";
import { deleteAccount } from "./use-cases/delete-account.js";
import { login } from "./use-cases/login.js";
import { resetPassword, sendPasswordReset } from "./use-cases/password-reset.js";
import { register } from "./use-cases/register.js";
import { resendVerification } from "./use-cases/resend-verification.js";
import { getSessionKeys } from "./use-cases/session-assertions.js";
import {
  getCurrentUser,
  listSessions,
  logout,
  logoutAll,
  revokeSession,
  verifySession,
} from "./use-cases/sessions.js";
import { verifyEmail } from "./use-cases/verify-email.js";

/** A flow: its context first, then the request's own arguments. */
type Flow<C> = (ctx: C, ...args: never[]) => unknown;
/** The public signature of a flow: its own, minus `ctx`. */
type Bound<C, F> = F extends (ctx: C, ...args: infer A) => infer R ? (...args: A) => R : never;
/** A table of flows with the context applied to each. */
export type BoundFlows<C, T> = { [K in keyof T]: Bound<C, T[K]> };

/** Applies `ctx` to every flow of the table, keeping each one's name and signature. */
export function bindFlows<C, T extends Record<string, Flow<C>>>(
  ctx: C,
  flows: T,
): BoundFlows<C, T> {
  const bound: Record<string, (...args: never[]) => unknown> = {};
  const entries: [string, Flow<C>][] = Object.entries(flows);
  for (const [name, flow] of entries) {
    bound[name] = (...args: never[]) => flow(ctx, ...args);
  }
  // Each entry is the flow of the same name with `ctx` applied: exactly `Bound` of it.
  return bound as BoundFlows<C, T>;
}

/** Every flow the service offers (each lives in use-cases/), named as the API calls it. */
const flows = {
  register,
  verifyEmail,
  resendVerification,
  login,
  verifySession,
  getSessionKeys,
  getCurrentUser,
  logout,
  logoutAll,
  changePassword,
  sendPasswordReset,
  resetPassword,
  deleteAccount,
  listSessions,
  revokeSession,
  changeEmail,
} satisfies Record<string, Flow<AccountContext>>;

/** The UserHarbor domain API: one method per account flow. */
export type Accounts = BoundFlows<AccountContext, typeof flows>;

export function createAccounts(ctx: AccountContext): Accounts {
  return bindFlows(ctx, flows);
}
