import type { MailKind } from "../domain/mail.js";
import type { BudgetName } from "../limits.js";

/** AdminService RPCs, as the audit log names them. */
export type AdminAction =
  | "GetAccount"
  | "ListAccounts"
  | "DisableAccount"
  | "EnableAccount"
  | "ListAccountSessions"
  | "RevokeAccountSessions"
  | "DeleteAccountAsAdmin"
  | "MarkEmailVerified";

/** Why sessions ended, for the audit trail. */
export type RevocationCause =
  | "logout"
  | "logout_all"
  | "revoke"
  | "password_change"
  | "password_reset"
  | "email_change"
  | "deletion"
  | "admin_revoke"
  | "admin_disable";

/**
 * What happened, for the audit log (log lines) and metrics: not the durable
 * account-event log backends read. Events name accounts by
 * username (a failed login for no account says "<unknown>", never the name as
 * typed). Never a token, a password or an email address.
 */
export type AuditEvent =
  | { type: "account.registered"; username: string; ip: string }
  | { type: "account.deleted"; username: string }
  | { type: "login.succeeded"; username: string; ip: string }
  | {
      type: "login.failed";
      login: string;
      ip: string;
      reason: "invalid_credentials" | "email_not_verified" | "account_disabled";
    }
  | { type: "login.locked"; login: string; ip: string; lockMs: number }
  /** A device token collected too many failures: its logins face the account-wide limit again. */
  | { type: "device.distrusted"; login: string; ip: string }
  | {
      type: "request.rate_limited";
      limit: BudgetName | "login_lockout";
      ip: string;
      retryAfterMs: number;
    }
  | { type: "password.changed"; username: string }
  | { type: "email.change_requested"; username: string; ip: string }
  | { type: "email.changed"; username: string }
  | { type: "password.reset"; username: string; ip: string }
  | { type: "sessions.revoked"; username: string; count: number; cause: RevocationCause }
  | {
      /** One line per AdminService call (the server adds the calling API key's name). */
      type: "admin.action";
      action: AdminAction;
      /** The target account, when the call names or found one. */
      accountId?: string | undefined;
      /** "ok", the error reason the caller got, or "internal". */
      outcome: string;
      /** DisableAccount's operator note. */
      note?: string | undefined;
    }
  /** A mail over its recipient's ceiling (budget mail_sent) was not queued; the caller saw no difference. */
  | { type: "mail.held_back"; kind: MailKind }
  | { type: "mail.delivered"; kind: MailKind; attempts: number }
  | { type: "mail.retry_scheduled"; kind: MailKind; attempts: number; error: string }
  | { type: "mail.dead_lettered"; kind: MailKind; attempts: number; error: string };

export interface AuditLog {
  emit(event: AuditEvent): void;
}
