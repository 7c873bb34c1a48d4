import type { ClientSession, Db } from "mongodb";
import type { AccountDoc, Collections, SessionDoc } from "./collections.js";
import type { PointReads } from "./point-reads.js";

/**
 * What one store operation runs against: the database, its collections, and
 * the driver options that put it in a transaction (or not).
 */
export interface OperationContext {
  readonly db: Db;
  readonly c: Collections;
  /** Passed to every driver call: `{ session }` inside a transaction, `{}` outside. */
  readonly with: { session?: ClientSession };
  /** Outside a transaction only: point reads that share one find with their neighbours. */
  readonly batched?: BatchedReads;
}

/** The hot path's reads (VerifySession, GetCurrentUser): a session, then its account. */
export interface BatchedReads {
  readonly sessions: PointReads<SessionDoc>;
  readonly accounts: PointReads<Omit<AccountDoc, "password_hash">, AccountDoc>;
}
