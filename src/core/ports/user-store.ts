import type { Session, User, UserToken } from "../domain/account.js";
import type { MailKind } from "../domain/mail.js";

/** A user to create: the seed protocol's CreateUserRequest, minus the token (stored separately). */
export interface NewUser extends User {
  passwordHash: string;
}

/** A sealed (encrypted) mail waiting in the outbox. The store never sees its contents. */
export interface OutboxMail {
  id: string;
  kind: MailKind;
  payload: Uint8Array;
  attempts: number;
  nextAttemptAt: Date;
  /** Set while a worker holds the mail; another worker may take it once this passes. */
  leaseUntil: Date | null;
  createdAt: Date;
  /** Leftovers (undeliverable, dead-lettered) are dropped after this. */
  expiresAt: Date;
}

export interface OutboxCounts {
  pending: number;
  deadLettered: number;
}

/** Thrown by `createUser` when a unique field is taken. */
export class DuplicateError extends Error {
  constructor(readonly field: "username" | "email") {
    super(`duplicate ${field}`);
    this.name = "DuplicateError";
  }
}

/**
 * Persistence port. The seed protocol's shape (create/get/set/remove per record
 * kind, transaction()) plus what atomic single-use tokens, session listing and
 * the mail outbox need. Rules every implementation keeps:
 * - it is handed token hashes only, never raw tokens;
 * - `transaction(work)` commits when `work` resolves and persists nothing when it
 *   throws; inside, use only the `tx` handle it passes;
 * - `consume*` are atomic find-and-delete: of N concurrent calls for one hash,
 *   exactly one gets the record;
 * - it may return expired records (TTL deletion is lazy): the core checks expiry.
 */
export interface UserStore {
  transaction<T>(work: (tx: UserStore) => Promise<T>): Promise<T>;

  /** Throws DuplicateError when the username or email key is taken. */
  createUser(user: NewUser): Promise<void>;
  setUserVerified(username: string): Promise<void>;
  /** Removes the user record only; flows remove sessions and tokens in the same transaction. */
  deleteUser(username: string): Promise<void>;
  getUserByUsername(username: string): Promise<User | null>;
  getUserByEmail(emailKey: string): Promise<User | null>;
  getPasswordHash(username: string): Promise<string | null>;
  setPasswordHash(username: string, passwordHash: string): Promise<void>;

  setEmailVerification(verification: UserToken): Promise<void>;
  getEmailVerification(tokenHash: string): Promise<UserToken | null>;
  consumeEmailVerification(tokenHash: string): Promise<UserToken | null>;
  removeEmailVerification(tokenHash: string): Promise<void>;

  setPasswordReset(reset: UserToken): Promise<void>;
  getPasswordReset(tokenHash: string): Promise<UserToken | null>;
  consumePasswordReset(tokenHash: string): Promise<UserToken | null>;
  removePasswordReset(tokenHash: string): Promise<void>;

  /** Removes every verification and reset token of the user; returns how many. */
  removeUserTokens(username: string): Promise<number>;

  addSession(session: Session): Promise<void>;
  getSession(tokenHash: string): Promise<Session | null>;
  /** Records activity; returns false if the session is gone. */
  touchSession(tokenHash: string, lastActiveAt: Date, expiresAt: Date): Promise<boolean>;
  /** Returns false if there was no such session. */
  removeSession(tokenHash: string): Promise<boolean>;
  /** Removes the session with this public id if it belongs to `username`. */
  removeSessionById(username: string, id: string): Promise<boolean>;
  /** Removes all of the user's sessions, except one if given; returns how many. */
  removeAllSessions(username: string, exceptTokenHash?: string): Promise<number>;
  /** All stored sessions of the user (expired ones included; the core filters). */
  listSessions(username: string): Promise<Session[]>;

  addOutboxMail(mail: OutboxMail): Promise<void>;
  /** Atomically leases one due mail (not leased, or lease passed) until `leaseUntil`. */
  claimOutboxMail(now: Date, leaseUntil: Date): Promise<OutboxMail | null>;
  /** Delivered: forget it (the sealed token goes with it). */
  removeOutboxMail(id: string): Promise<void>;
  /** Failed for now: release the lease and try again at `nextAttemptAt`. */
  rescheduleOutboxMail(id: string, attempts: number, nextAttemptAt: Date): Promise<void>;
  /** Failed for good: keep a payload-free tombstone (for counting) until it expires. */
  deadLetterOutboxMail(id: string, attempts: number): Promise<void>;
  countOutbox(): Promise<OutboxCounts>;
}

/** What the composition root needs beyond the port: health and shutdown. */
export interface StoreLifecycle {
  /** Resolves when the store answers; throws AccountError STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
