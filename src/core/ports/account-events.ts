import type { MailKind } from "../domain/mail.js";

/**
 * What happened, for audit logs and metrics. Events name accounts by username
 * only: never a token, a password or a full email address.
 */
export type AccountEvent =
  | { type: "mail.delivered"; kind: MailKind; attempts: number }
  | { type: "mail.retry_scheduled"; kind: MailKind; attempts: number; error: string }
  | { type: "mail.dead_lettered"; kind: MailKind; attempts: number; error: string };

export interface AccountEvents {
  emit(event: AccountEvent): void;
}

export const noEvents: AccountEvents = { emit: () => {} };
