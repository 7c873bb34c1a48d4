/**
 * Mail the core asks to have sent. Tokens ride in the message because the link
 * needs them; messages are sealed (encrypted) before any store sees them.
 */
export type MailMessage =
  | { kind: "verification"; to: string; username: string; token: string }
  | { kind: "password_reset"; to: string; username: string; token: string }
  | { kind: "password_changed"; to: string; username: string }
  | { kind: "registration_attempt"; to: string; username: string }
  /** To the current address: a move to another one was asked for. */
  | { kind: "email_change_requested"; to: string; username: string }
  /** To the owner of an address another account asked to move to. */
  | { kind: "email_change_attempt"; to: string; username: string };

export type MailKind = MailMessage["kind"];

/**
 * Marks a delivery failure that retrying cannot fix. A symbol, not a plain
 * `permanent` property: libraries set such properties by their own rules
 * (nodemailer flags every 5xx, even an authentication failure).
 */
export const PERMANENT_FAILURE: unique symbol = Symbol("userharbor.permanent-mail-failure");

export function isPermanentFailure(error: unknown): boolean {
  return typeof error === "object" && error !== null && PERMANENT_FAILURE in error;
}
