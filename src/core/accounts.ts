import type { AccountContext } from "./context.js";
import { changeEmail } from "./use-cases/change-email.js";
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

/** Binds a flow to the context: the public signature is the flow's, minus `ctx`. */
type Bound<F> = F extends (ctx: AccountContext, ...args: infer A) => infer R
  ? (...args: A) => R
  : never;
const bind =
  <A extends unknown[], R>(ctx: AccountContext, flow: (ctx: AccountContext, ...args: A) => R) =>
  (...args: A): R =>
    flow(ctx, ...args);

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
  changeEmail,
};

/** The UserHarbor domain API: one method per account flow (each lives in use-cases/). */
export type Accounts = { [K in keyof typeof flows]: Bound<(typeof flows)[K]> };

export function createAccounts(ctx: AccountContext): Accounts {
  return {
    register: bind(ctx, register),
    verifyEmail: bind(ctx, verifyEmail),
    resendVerification: bind(ctx, resendVerification),
    login: bind(ctx, login),
    verifySession: bind(ctx, verifySession),
    getCurrentUser: bind(ctx, getCurrentUser),
    logout: bind(ctx, logout),
    logoutAll: bind(ctx, logoutAll),
    changePassword: bind(ctx, changePassword),
    sendPasswordReset: bind(ctx, sendPasswordReset),
    resetPassword: bind(ctx, resetPassword),
    deleteAccount: bind(ctx, deleteAccount),
    listSessions: bind(ctx, listSessions),
    revokeSession: bind(ctx, revokeSession),
    changeEmail: bind(ctx, changeEmail),
  };
}
