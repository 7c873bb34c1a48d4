import { v7 } from "uuid";

/** Every account event type, as the API spells them (events.proto, AccountEvent.type). */
export const ACCOUNT_EVENT_TYPES = [
  "account.registered",
  "account.email_verified",
  "account.email_changed",
  "account.password_changed",
  "account.password_reset",
  "account.sessions_revoked",
  "account.disabled",
  "account.enabled",
  "account.deleted",
] as const;

export type AccountEventType = (typeof ACCOUNT_EVENT_TYPES)[number];

const KNOWN = new Set<string>(ACCOUNT_EVENT_TYPES);

/** How long a store keeps events when it is not told (EVENT_RETENTION's default). */
export const DEFAULT_EVENT_RETENTION_MS = 7 * 86_400_000;

export function isAccountEventType(type: string): type is AccountEventType {
  return KNOWN.has(type);
}

/**
 * One thing that happened to one account, as a flow records it inside the
 * transaction that made the change. `email` is the address after the event.
 * Never a token, a password or a hash: backends read these.
 */
export interface NewAccountEvent {
  /** "evt_" + UUIDv7: stable for de-duplication (webhook-id too). */
  id: string;
  type: AccountEventType;
  accountId: string;
  username: string;
  email: string;
  /** When the flow made the change; the log may stamp a later time (see AccountEventLog.append). */
  at: Date;
}

/** An event as the log holds it: numbered in commit order, timed no earlier than its predecessor. */
export interface AccountEvent extends Omit<NewAccountEvent, "at"> {
  /** 1, 2, 3, ...: one gap-free sequence in commit order, shared by every replica. */
  sequence: number;
  time: Date;
  /** The sequence of the event of the same type before this one (0: none), for expiry checks. */
  previousOfType: number;
}

export function newAccountEvent(
  type: AccountEventType,
  account: { id: string; username: string; email: string },
  at: Date,
): NewAccountEvent {
  return {
    id: `evt_${v7()}`,
    type,
    accountId: account.id,
    username: account.username,
    email: account.email,
    at,
  };
}
