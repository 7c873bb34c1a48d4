import {
  type Collection,
  MongoClientClosedError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  type OptionalUnlessRequiredId,
} from "mongodb";
import { AccountError } from "../../../core/errors.js";
import { DuplicateError } from "../../../core/ports/account-store.js";
import type { OperationContext } from "./operation.js";

/** Driver errors that mean "the database cannot be reached now" (PoolClearedError is a MongoNetworkError). */
const UNREACHABLE = [
  MongoNetworkError,
  MongoServerSelectionError,
  MongoNotConnectedError,
  MongoTopologyClosedError,
  MongoClientClosedError,
  MongoServerClosedError,
  MongoOperationTimeoutError,
];

/** Driver errors that are not exported as classes. */
const UNREACHABLE_NAMES = new Set(["MongoPoolClosedError", "MongoWaitQueueTimeoutError"]);

/** Server answers of a node that is shutting down, stepping down or not (yet) primary. */
const UNAVAILABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/**
 * Socket errors the driver (7.9) can let through unwrapped: a write to a socket
 * whose peer has just closed it rejects with Node's own EPIPE error ("This socket
 * has been ended by the other party") instead of a MongoNetworkError.
 */
const SOCKET_CODES = new Set(["EPIPE", "ECONNRESET", "ECONNREFUSED", "ECONNABORTED", "ETIMEDOUT"]);

export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (UNREACHABLE.some((type) => error instanceof type)) return true;
  if (UNREACHABLE_NAMES.has(error.name)) return true;
  if (SOCKET_CODES.has(String((error as NodeJS.ErrnoException).code))) return true;
  return error instanceof MongoServerError && UNAVAILABLE_CODES.has(Number(error.code));
}

/** What the core should see: STORE_UNAVAILABLE (UNAVAILABLE on the wire) for an unreachable database, else the error as is. */
export function toStoreError(error: unknown): unknown {
  return isUnavailable(error) ? new AccountError("STORE_UNAVAILABLE", { cause: error }) : error;
}

/** An error `toStoreError` made (or passed on) for an unreachable database. */
export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof AccountError && error.reason === "STORE_UNAVAILABLE";
}

/** WriteConflict: another transaction wrote the same document first. */
const WRITE_CONFLICT = 112;

/**
 * A transaction that lost a write conflict and was not (or no longer) retried:
 * withTransaction re-runs work on errors labelled TransientTransactionError
 * until its time is up, and some servers (the jongodb emulator) send the
 * conflict without the label at all. Either way the change did not happen and a
 * retry may succeed: the caller hears STORE_UNAVAILABLE, never INTERNAL.
 */
export function lostWriteConflict(error: unknown): AccountError | undefined {
  if (!(error instanceof MongoServerError)) return undefined;
  const conflict =
    Number(error.code) === WRITE_CONFLICT || error.hasErrorLabel("TransientTransactionError");
  return conflict ? new AccountError("STORE_UNAVAILABLE", { cause: error }) : undefined;
}

/** Duplicate key; 11001 is what servers before 2.6 (and some compatible ones) still send. */
const DUPLICATE_KEY_CODES = new Set([11000, 11001]);

/**
 * A unique-key violation, however the server phrases it. Only the code is
 * relied on: keyPattern, keyValue and the index name in the message are
 * optional, and MongoDB-compatible servers leave them out.
 */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && DUPLICATE_KEY_CODES.has(Number(error.code));
}

/** Inserts `doc`; false if its `_id` exists already (someone else won), any other error propagates. */
export async function insertUnique<T extends { _id: string }>(
  collection: Collection<T>,
  doc: T,
  op: OperationContext,
): Promise<boolean> {
  try {
    await collection.insertOne(doc as OptionalUnlessRequiredId<T>, op.with);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/**
 * Claims a username or email key for an account, or throws DuplicateError for
 * that field. The claim's collection says which field a duplicate is about, so
 * no error detail needs reading.
 */
export async function claimUnique(
  op: OperationContext,
  field: DuplicateError["field"],
  key: string,
  accountId: string,
): Promise<void> {
  const claims = field === "username" ? op.c.username_claims : op.c.email_claims;
  if (!(await insertUnique(claims, { _id: key, account_id: accountId }, op))) {
    throw new DuplicateError(field);
  }
}
