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
import type { DuplicateError } from "../../../core/ports/user-store.js";
import type { Scope } from "./scope.js";

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

const DUPLICATE_KEY = 11000;

/** Inserts `doc`; false if its `_id` exists already (someone else won), any other error propagates. */
export async function insertUnique<T extends { _id: string }>(
  collection: Collection<T>,
  doc: T,
  s: Scope,
): Promise<boolean> {
  try {
    await collection.insertOne(doc as OptionalUnlessRequiredId<T>, s.with);
    return true;
  } catch (error) {
    if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
    throw error;
  }
}

/**
 * The user field a duplicate-key error on `users` is about, or null for any
 * other error. Real servers say which key in keyPattern/keyValue; emulators may
 * only name the index in the message ("... index: email_key_1 dup key: ...").
 */
export function duplicateUserField(error: unknown): DuplicateError["field"] | null {
  if (!(error instanceof MongoServerError) || error.code !== DUPLICATE_KEY) return null;
  const keys = Object.keys(error.keyPattern ?? error.keyValue ?? {});
  const index = /index: (\S+)/.exec(error.message)?.[1] ?? "";
  if (keys.includes("email_key") || index.startsWith("email_key")) return "email";
  if (keys.includes("_id") || index === "_id_") return "username";
  return null;
}
