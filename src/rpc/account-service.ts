import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type AccountService,
  ChangeEmailResponseSchema,
  ChangePasswordResponseSchema,
  DeleteAccountResponseSchema,
  GetCurrentUserResponseSchema,
  GetSessionKeysResponseSchema,
  ListSessionsResponseSchema,
  LoginResponseSchema,
  LogoutAllResponseSchema,
  LogoutResponseSchema,
  RegisterResponseSchema,
  ResendVerificationResponseSchema,
  ResetPasswordResponseSchema,
  RevokeSessionResponseSchema,
  SendPasswordResetResponseSchema,
  VerifyEmailResponseSchema,
  VerifySessionResponseSchema,
} from "@userharbor/client";
import type { Accounts } from "../core/accounts.js";
import { clientInfo } from "./client-context.js";
import { KEY_SET_CACHE_CONTROL } from "./key-set.js";
import { sessionMessage, userMessage } from "./messages.js";

/**
 * AccountService over the core: each handler translates wire <-> domain and
 * nothing else. Errors propagate as AccountError; the errorMapping interceptor
 * turns them into statuses.
 */
export function accountService(accounts: Accounts): ServiceImpl<typeof AccountService> {
  return {
    async register(req, ctx) {
      const user = await accounts.register({
        username: req.username,
        email: req.email,
        password: req.password,
        client: clientInfo(req.client, ctx),
      });
      return create(RegisterResponseSchema, { user: userMessage(user) });
    },

    async verifyEmail(req, ctx) {
      const user = await accounts.verifyEmail({
        token: req.token,
        client: clientInfo(req.client, ctx),
        sessionToken: req.sessionToken,
      });
      return create(VerifyEmailResponseSchema, { user: userMessage(user) });
    },

    async resendVerification(req, ctx) {
      await accounts.resendVerification({ email: req.email, client: clientInfo(req.client, ctx) });
      return create(ResendVerificationResponseSchema);
    },

    async login(req, ctx) {
      const result = await accounts.login({
        username: req.username,
        password: req.password,
        client: clientInfo(req.client, ctx),
      });
      return create(LoginResponseSchema, {
        sessionToken: result.sessionToken,
        expireTime: timestampFromDate(result.expiresAt),
        user: userMessage(result.user),
        deviceToken: result.deviceToken,
        sessionAssertion: result.sessionAssertion,
      });
    },

    async verifySession(req) {
      const check = await accounts.verifySession(req.sessionToken, req.issueAssertion);
      return create(
        VerifySessionResponseSchema,
        check.valid
          ? {
              valid: true,
              userId: check.accountId,
              username: check.username,
              expireTime: timestampFromDate(check.expiresAt),
              sessionAssertion: check.assertion ?? "",
            }
          : { valid: false },
      );
    },

    async getSessionKeys(_req, ctx) {
      ctx.responseHeader.set("cache-control", KEY_SET_CACHE_CONTROL);
      return create(GetSessionKeysResponseSchema, { jwksJson: await accounts.getSessionKeys() });
    },

    async getCurrentUser(req) {
      const user = await accounts.getCurrentUser(req.sessionToken);
      return create(GetCurrentUserResponseSchema, { user: userMessage(user) });
    },

    async logout(req) {
      await accounts.logout(req.sessionToken);
      return create(LogoutResponseSchema);
    },

    async logoutAll(req) {
      const revokedCount = await accounts.logoutAll(req.sessionToken);
      return create(LogoutAllResponseSchema, { revokedCount });
    },

    async changePassword(req) {
      await accounts.changePassword({
        sessionToken: req.sessionToken,
        oldPassword: req.oldPassword,
        newPassword: req.newPassword,
      });
      return create(ChangePasswordResponseSchema);
    },

    async sendPasswordReset(req, ctx) {
      await accounts.sendPasswordReset({ email: req.email, client: clientInfo(req.client, ctx) });
      return create(SendPasswordResetResponseSchema);
    },

    async resetPassword(req, ctx) {
      await accounts.resetPassword({
        token: req.token,
        newPassword: req.newPassword,
        client: clientInfo(req.client, ctx),
      });
      return create(ResetPasswordResponseSchema);
    },

    async deleteAccount(req) {
      await accounts.deleteAccount({ sessionToken: req.sessionToken, password: req.password });
      return create(DeleteAccountResponseSchema);
    },

    async listSessions(req) {
      const sessions = await accounts.listSessions(req.sessionToken);
      return create(ListSessionsResponseSchema, { sessions: sessions.map(sessionMessage) });
    },

    async revokeSession(req) {
      await accounts.revokeSession(req.sessionToken, req.sessionId);
      return create(RevokeSessionResponseSchema);
    },

    async changeEmail(req, ctx) {
      await accounts.changeEmail({
        sessionToken: req.sessionToken,
        password: req.password,
        newEmail: req.newEmail,
        client: clientInfo(req.client, ctx),
      });
      return create(ChangeEmailResponseSchema);
    },
  };
}
