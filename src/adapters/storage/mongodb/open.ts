import { MongoClient, type ServerDescriptionChangedEvent, type ServerType } from "mongodb";
import { DEFAULT_EVENT_RETENTION_MS } from "../../../core/domain/account-event.js";
import { AsyncLock } from "../async-lock.js";
import { openCollections } from "./collections.js";
import { toStoreError } from "./errors.js";
import { ensureIndexes, IndexKeeper } from "./indexes.js";
import { MongoStore } from "./mongo-store.js";
import { STANDALONE_REFUSED, supportsTransactions, type TransactionMode } from "./transactions.js";
import { recordWrites } from "./write-log.js";

export interface MongoStoreOptions {
  /** A mongodb:// or mongodb+srv:// connection string. */
  uri: string;
  /** Defaults to the database named in the URI, else "userharbor". */
  dbName?: string | undefined;
  /** Default "required": refuse a standalone server (see TransactionMode). */
  transactions?: TransactionMode;
  /**
   * How long to wait for the database (server selection, connecting, each
   * reply) before failing with STORE_UNAVAILABLE, so an RPC fails fast when the
   * database is gone. Default 2 s. Also bounds a reply to createIndexes: build
   * a new index on a large existing collection before deploying the change.
   */
  timeoutMs?: number;
  /** EVENT_RETENTION: the account-event log's TTL. Default 7 days. */
  eventRetentionMs?: number;
  /** MONGODB_WRITE_LOG: log every write and transaction end to this file (see write-log.ts). */
  writeLog?: string | undefined;
}

/** Used when the caller leaves an option out (the server always passes MONGODB_TRANSACTIONS and MONGODB_TIMEOUT). */
const DEFAULT_TRANSACTIONS: TransactionMode = "required";
const DEFAULT_TIMEOUT_MS = 2_000;

/** Server types that accept writes: reaching one of these again means "reconnected". */
const WRITABLE = new Set<ServerType>(["RSPrimary", "Standalone", "Mongos", "LoadBalancer"]);

/**
 * Connects, checks the deployment can run transactions (unless they are off),
 * creates the indexes idempotently and returns the store. Unreachable: throws
 * AccountError STORE_UNAVAILABLE (the driver error is its cause).
 */
export async function openMongoStore(options: MongoStoreOptions): Promise<MongoStore> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = new MongoClient(options.uri, {
    appName: "userharbor",
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
    ...(options.writeLog && { monitorCommands: true }),
  });
  if (options.writeLog) recordWrites(client, options.writeLog);
  try {
    await client.connect();
    const transactions = options.transactions ?? DEFAULT_TRANSACTIONS;
    const hello = await client.db("admin").command({ hello: 1 });
    if (transactions === "required" && !supportsTransactions(hello)) {
      throw new Error(STANDALONE_REFUSED);
    }
    const db = client.db(options.dbName ?? databaseIn(options.uri) ?? "userharbor");
    const eventRetentionMs = options.eventRetentionMs ?? DEFAULT_EVENT_RETENTION_MS;
    await ensureIndexes(db, eventRetentionMs);
    const indexes = new IndexKeeper(db, eventRetentionMs);
    client.on("serverDescriptionChanged", (event: ServerDescriptionChangedEvent) => {
      if (event.previousDescription.type === "Unknown" && WRITABLE.has(event.newDescription.type)) {
        indexes.markStale();
      }
    });
    return new MongoStore({
      client,
      db,
      collections: openCollections(db),
      indexes,
      transactions,
      appends: new AsyncLock(),
    });
  } catch (error) {
    await client.close();
    throw toStoreError(error);
  }
}

/** The database in the URI's path (`mongodb://host/db?…`), if any. */
function databaseIn(uri: string): string | undefined {
  const path = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]+)/.exec(uri)?.[1];
  return path ? decodeURIComponent(path) : undefined;
}
