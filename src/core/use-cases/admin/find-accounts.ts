import type { AccountContext } from "../../context.js";
import { canonicalUsername, parseEmail } from "../../domain/identity.js";
import type { PageTokens } from "../../domain/page-token.js";
import { AccountError } from "../../errors.js";
import { type AccountView, accountIdOf, viewsOf } from "./account-view.js";
import { audited } from "./audit.js";

/** Admin flows also sign page tokens, under their own SECRET_KEY subkey. */
export interface AdminContext extends AccountContext {
  pageTokens: PageTokens;
}

/** GetAccount's lookup: exactly one of them (none set is an error). */
export type AccountLookup = { id: string } | { username: string } | { email: string } | undefined;

export async function getAccount(ctx: AdminContext, lookup: AccountLookup): Promise<AccountView> {
  return audited(ctx, { action: "GetAccount" }, async (record) => {
    if (!lookup) {
      throw new AccountError("INVALID_ACCOUNT_ID", {
        field: "lookup",
        detail: "set one of id, username or email",
      });
    }
    const accounts = ctx.store.accounts;
    const account =
      "id" in lookup
        ? await accounts.get(accountIdOf(lookup.id, "id"))
        : "username" in lookup
          ? await accounts.findByUsername(canonicalUsername(lookup.username))
          : await accounts.findByEmail(parseEmail(lookup.email).key);
    if (!account) throw new AccountError("ACCOUNT_NOT_FOUND");
    record.accountId = account.id;
    const [view] = await viewsOf(ctx, [account]);
    return view as AccountView;
  });
}

export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_MAX = 1000;

export interface ListAccountsInput {
  /** 0: the default; above the maximum: the maximum (AIP-158). */
  pageSize: number;
  pageToken: string;
  verified?: boolean | undefined;
  disabled?: boolean | undefined;
  createdFrom?: Date | undefined;
  createdBefore?: Date | undefined;
}

export interface AccountPage {
  accounts: AccountView[];
  /** Empty on the last page. */
  nextPageToken: string;
}

/**
 * Pages in id order (UUIDv7: creation order). A token carries the last id
 * returned, so accounts added between pages land after it or before it, never
 * shifting what a later page holds: none is lost or repeated.
 */
export async function listAccounts(
  ctx: AdminContext,
  input: ListAccountsInput,
): Promise<AccountPage> {
  return audited(ctx, { action: "ListAccounts" }, async () => {
    if (!Number.isInteger(input.pageSize) || input.pageSize < 0) {
      throw new AccountError("INVALID_PAGE_SIZE", { field: "page_size" });
    }
    const size = Math.min(input.pageSize || PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
    for (const [field, date] of [
      ["create_time_after", input.createdFrom],
      ["create_time_before", input.createdBefore],
    ] as const) {
      if (date && Number.isNaN(date.getTime())) throw new AccountError("INVALID_FILTER", { field });
    }
    // The filters a token was issued for: a token replayed with others is refused.
    const query = JSON.stringify([
      input.verified ?? null,
      input.disabled ?? null,
      input.createdFrom?.toISOString() ?? null,
      input.createdBefore?.toISOString() ?? null,
    ]);
    let afterId: string | undefined;
    if (input.pageToken !== "") {
      afterId = ctx.pageTokens.read(input.pageToken, query) ?? undefined;
      if (!afterId) throw new AccountError("INVALID_PAGE_TOKEN", { field: "page_token" });
    }
    // One more than asked tells whether another page follows.
    const found = await ctx.store.accounts.list({
      afterId,
      limit: size + 1,
      verified: input.verified,
      disabled: input.disabled,
      createdFrom: input.createdFrom,
      createdBefore: input.createdBefore,
    });
    const page = found.slice(0, size);
    const last = page.at(-1);
    return {
      accounts: await viewsOf(ctx, page),
      nextPageToken: found.length > size && last ? ctx.pageTokens.issue(last.id, query) : "",
    };
  });
}
