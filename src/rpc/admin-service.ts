import { create } from "@bufbuild/protobuf";
import { type Timestamp, timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type Account as AccountMessage,
  AccountSchema,
  type AdminService,
  DeleteAccountAsAdminResponseSchema,
  DisableAccountResponseSchema,
  EnableAccountResponseSchema,
  type GetAccountRequest,
  GetAccountResponseSchema,
  ListAccountSessionsResponseSchema,
  ListAccountsResponseSchema,
  MarkEmailVerifiedResponseSchema,
  RevokeAccountSessionsResponseSchema,
} from "@userharbor/client/userharbor/v1/admin_pb.js";
import type { Admin } from "../core/admin.js";
import type { AccountView } from "../core/use-cases/admin/account-view.js";
import type { AccountLookup } from "../core/use-cases/admin/find-accounts.js";
import { sessionMessage } from "./messages.js";

/**
 * AdminService over the core's admin flows: wire <-> domain and nothing else.
 * Only `admin`-scoped keys get here (api-keys.ts); the flows write the audit lines.
 */
export function adminService(admin: Admin): ServiceImpl<typeof AdminService> {
  return {
    async getAccount(req) {
      const account = await admin.getAccount(lookupOf(req.lookup));
      return create(GetAccountResponseSchema, { account: accountMessage(account) });
    },

    async listAccounts(req) {
      const page = await admin.listAccounts({
        pageSize: req.pageSize,
        pageToken: req.pageToken,
        verified: req.verified,
        disabled: req.disabled,
        createdFrom: req.createTimeAfter && dateOf(req.createTimeAfter),
        createdBefore: req.createTimeBefore && dateOf(req.createTimeBefore),
      });
      return create(ListAccountsResponseSchema, {
        accounts: page.accounts.map(accountMessage),
        nextPageToken: page.nextPageToken,
      });
    },

    async disableAccount(req) {
      const account = await admin.disableAccount(req.accountId, req.reason);
      return create(DisableAccountResponseSchema, { account: accountMessage(account) });
    },

    async enableAccount(req) {
      const account = await admin.enableAccount(req.accountId);
      return create(EnableAccountResponseSchema, { account: accountMessage(account) });
    },

    async listAccountSessions(req) {
      const sessions = await admin.listAccountSessions(req.accountId);
      return create(ListAccountSessionsResponseSchema, { sessions: sessions.map(sessionMessage) });
    },

    async revokeAccountSessions(req) {
      const revokedCount = await admin.revokeAccountSessions(req.accountId);
      return create(RevokeAccountSessionsResponseSchema, { revokedCount });
    },

    async deleteAccountAsAdmin(req) {
      await admin.deleteAccountAsAdmin(req.accountId);
      return create(DeleteAccountAsAdminResponseSchema);
    },

    async markEmailVerified(req) {
      const account = await admin.markEmailVerified(req.accountId);
      return create(MarkEmailVerifiedResponseSchema, { account: accountMessage(account) });
    },
  };
}

function lookupOf(lookup: GetAccountRequest["lookup"]): AccountLookup {
  switch (lookup.case) {
    case "id":
      return { id: lookup.value };
    case "username":
      return { username: lookup.value };
    case "email":
      return { email: lookup.value };
    default:
      return undefined;
  }
}

/** google.protobuf.Timestamp's range: 0001-01-01 to 9999-12-31, nanos below a second. */
const MIN_SECONDS = -62_135_596_800n;
const MAX_SECONDS = 253_402_300_799n;

/** A Timestamp outside its documented range becomes an invalid Date, which the flow refuses. */
function dateOf(ts: Timestamp): Date {
  const valid =
    ts.seconds >= MIN_SECONDS &&
    ts.seconds <= MAX_SECONDS &&
    ts.nanos >= 0 &&
    ts.nanos < 1_000_000_000;
  return valid ? timestampDate(ts) : new Date(Number.NaN);
}

/** Domain -> wire. Only public fields cross: no hashes, no email keys, no generation. */
function accountMessage(account: AccountView): AccountMessage {
  return create(AccountSchema, {
    id: account.id,
    username: account.username,
    email: account.email,
    emailVerified: account.verified,
    disabled: account.disabled,
    createTime: timestampFromDate(account.createdAt),
    ...(account.lastLoginAt && { lastLoginTime: timestampFromDate(account.lastLoginAt) }),
    liveSessionCount: account.liveSessions,
  });
}
