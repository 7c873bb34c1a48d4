import type { MailKind } from "../domain/mail.js";

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

/** Mail queued in the transaction that made its token, delivered by a worker. */
export interface OutboxStore {
  add(mail: OutboxMail): Promise<void>;
  /** Atomically leases one due mail (not leased, or lease passed) until `leaseUntil`. */
  claim(now: Date, leaseUntil: Date): Promise<OutboxMail | null>;
  /** Delivered: forget it (the sealed token goes with it). */
  remove(id: string): Promise<void>;
  /** Failed for now: release the lease and try again at `nextAttemptAt`. */
  reschedule(id: string, attempts: number, nextAttemptAt: Date): Promise<void>;
  /** Failed for good: keep a payload-free tombstone (for counting) until it expires. */
  deadLetter(id: string, attempts: number): Promise<void>;
  count(): Promise<OutboxCounts>;
}
