import type { AccountContext } from "../../context.js";
import { AccountError } from "../../errors.js";
import type { AdminAction } from "../../ports/audit-log.js";
import { accountIdOf } from "./account-view.js";

/** What the audit line says about the target; a flow fills `accountId` in once it knows it. */
export interface AuditRecord {
  action: AdminAction;
  accountId?: string | undefined;
  note?: string | undefined;
}

/**
 * Runs an admin flow and writes its audit line whatever the outcome: "ok", the
 * reason the caller got, or "internal". Who called is added where the event is
 * logged (the API key's name lives at the edge, not in the core).
 */
export async function audited<T>(
  ctx: AccountContext,
  record: AuditRecord,
  work: (record: AuditRecord) => Promise<T>,
): Promise<T> {
  let outcome = "internal";
  try {
    const result = await work(record);
    outcome = "ok";
    return result;
  } catch (error) {
    if (error instanceof AccountError) outcome = error.reason;
    throw error;
  } finally {
    ctx.audit.emit({ type: "admin.action", ...record, outcome });
  }
}

/** An audited flow on the account `rawId` names (INVALID_ACCOUNT_ID if it names none). */
export function onAccount<T>(
  ctx: AccountContext,
  action: AdminAction,
  rawId: string,
  work: (id: string) => Promise<T>,
  note?: string,
): Promise<T> {
  return audited(ctx, { action, note }, (record) => {
    const id = accountIdOf(rawId);
    record.accountId = id;
    return work(id);
  });
}
