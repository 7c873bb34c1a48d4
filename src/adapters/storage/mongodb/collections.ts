import type { Binary, Collection, Db, IndexDescription } from "mongodb";
import type { MailKind } from "../../../core/domain/mail.js";

/*
 * The documents as stored: snake_case fields, and the record's key as `_id`
 * (account id, claimed username or email key, token hash, mail id). `_id` is
 * unique and indexed on every collection already, and it is what each
 * collection is meant to be sharded on (docs/scaling.md). No collection has a
 * unique secondary index: on a sharded cluster one holds only within a shard
 * unless it starts with the shard key, so uniqueness of usernames and emails
 * comes from claim documents keyed by the claimed value instead.
 */

export interface AccountDoc {
  /** UUIDv7: the account's identity, never reused. */
  _id: string;
  username: string;
  email: string;
  email_key: string;
  verified: boolean;
  /** Absent on accounts stored before AdminService existed: read as false. */
  disabled?: boolean;
  created_at: Date;
  password_hash: string;
  /** Moves on with every password/email change; Login writes this record checking it. */
  credential_generation: number;
  last_login_at: Date | null;
}

/** A username or email held by an account: inserted, moved and removed in the account's transaction. */
export interface ClaimDoc {
  /** The normalised username, or the lower-cased email address. */
  _id: string;
  account_id: string;
}

/** Email verification and password reset tokens share one shape. */
export interface TokenDoc {
  /** HMAC of the token: the store never sees a raw token. */
  _id: string;
  account_id: string;
  /** Verification tokens: the address the link proves. */
  email?: string;
  expires_at: Date;
}

export interface SessionDoc {
  /** HMAC of the session token. */
  _id: string;
  public_id: string;
  account_id: string;
  /** The account's (immutable) username; absent on sessions stored before it was kept. */
  username?: string;
  created_at: Date;
  last_active_at: Date;
  absolute_expires_at: Date;
  expires_at: Date;
  ip: string;
  user_agent: string;
}

/** A trusted device (Login's device token). */
export interface DeviceDoc {
  /** HMAC of the account id and the device token: the store never sees a raw token. */
  _id: string;
  account_id: string;
  created_at: Date;
  expires_at: Date;
  /** Failed logins made with this token. */
  failures: number;
}

export interface OutboxDoc {
  _id: string;
  kind: MailKind;
  /** Sealed mail; removed when the mail is dead-lettered. */
  payload?: Binary | Uint8Array;
  attempts: number;
  next_attempt_at: Date;
  /** Informational: the lease itself is the outbox_claims record. */
  lease_until: Date | null;
  created_at: Date;
  expires_at: Date;
  dead_lettered: boolean;
}

/**
 * The lease on one outbox mail (`_id` = mail id), held by the worker sending it.
 * Whoever inserts it holds the lease: a unique insert is atomic on every
 * engine, unlike a conditional update (jongodb's findAndModify is not).
 */
export interface OutboxClaimDoc {
  _id: string;
  lease_until: Date;
  /** TTL: a claim left by a worker that died is gone a while after its lease. */
  expires_at: Date;
}

/**
 * A rate-limit record (core/limits.ts decides what each means): a counter
 * (`count`), a lock (`until`, `level`) or a lock claim (`_id` alone). `_id` is
 * the limit's name and a keyed hash of its subject, never a name in clear.
 */
export interface LimitDoc {
  _id: string;
  count?: number;
  until?: Date;
  level?: number;
  /** TTL: the end of the counter's window, of the lock, or of the claim. */
  expires_at: Date;
}

interface Documents {
  accounts: AccountDoc;
  username_claims: ClaimDoc;
  email_claims: ClaimDoc;
  sessions: SessionDoc;
  email_verifications: TokenDoc;
  password_resets: TokenDoc;
  device_tokens: DeviceDoc;
  outbox: OutboxDoc;
  outbox_claims: OutboxClaimDoc;
  limits: LimitDoc;
}

export type CollectionName = keyof Documents;

export type Collections = { readonly [C in CollectionName]: Collection<Documents[C]> };

/** TTL index: MongoDB removes a record once `expires_at` has passed (lazily; the core checks too). */
const expiry: IndexDescription = { key: { expires_at: 1 }, expireAfterSeconds: 0 };
const byAccount: IndexDescription = { key: { account_id: 1 } };

/**
 * Every index besides `_id`, per collection: start-up creates exactly these
 * (idempotently), so a new index, or the indexes of a new collection (say
 * `limits: [expiry]`), is one line here. Names are left
 * to the server's default (`field_1`), so an index made by hand under the same
 * spec is recognised rather than duplicated.
 */
export const INDEXES: { readonly [C in CollectionName]: readonly IndexDescription[] } = {
  // ListAccounts pages by `_id` (UUIDv7: creation order) on the `_id` index; listing
  // the few disabled accounts walks this one instead of every account.
  accounts: [{ key: { disabled: 1, _id: 1 } }],
  username_claims: [],
  email_claims: [],
  sessions: [expiry, byAccount],
  email_verifications: [expiry, byAccount],
  password_resets: [expiry, byAccount],
  device_tokens: [expiry, byAccount],
  outbox: [expiry, { key: { dead_lettered: 1, next_attempt_at: 1 } }],
  outbox_claims: [expiry],
  limits: [expiry],
};

export const COLLECTION_NAMES = Object.keys(INDEXES) as CollectionName[];

export function openCollections(db: Db): Collections {
  const open = <C extends CollectionName>(name: C) => db.collection<Documents[C]>(name);
  return {
    accounts: open("accounts"),
    username_claims: open("username_claims"),
    email_claims: open("email_claims"),
    sessions: open("sessions"),
    email_verifications: open("email_verifications"),
    password_resets: open("password_resets"),
    device_tokens: open("device_tokens"),
    outbox: open("outbox"),
    outbox_claims: open("outbox_claims"),
    limits: open("limits"),
  };
}
