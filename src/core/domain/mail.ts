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
  | { kind: "email_change_attempt"; to: string; username: string }
  /** To the old address, once a change to another one has been confirmed. */
  | { kind: "email_changed"; to: string; username: string };

export type MailKind = MailMessage["kind"];

/** Retrying may deliver the mail (server busy, connection lost), or cannot (mailbox refused). */
export type DeliveryFailureKind = "temporary" | "permanent";
