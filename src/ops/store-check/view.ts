import type { Db, Document } from "mongodb";
import {
  type AccountDoc,
  type ClaimDoc,
  COLLECTION_NAMES,
  type CollectionName,
  type DeviceDoc,
  type OutboxClaimDoc,
  type OutboxDoc,
  type SessionDoc,
  type TokenDoc,
} from "../../adapters/storage/mongodb/collections.js";

/**
 * Everything the rules read, loaded once: each collection's records by `_id`,
 * and each collection's index specs. Read outside any transaction, so a store
 * under load may show a flow half-applied; run the checker on a quiet store
 * (the drills do: after their load stops and the outbox drains).
 */
export interface StoreView {
  accounts: Map<string, AccountDoc>;
  usernameClaims: Map<string, ClaimDoc>;
  emailClaims: Map<string, ClaimDoc>;
  sessions: Map<string, SessionDoc>;
  verifications: Map<string, TokenDoc>;
  resets: Map<string, TokenDoc>;
  devices: Map<string, DeviceDoc>;
  outbox: Map<string, OutboxDoc>;
  outboxClaims: Map<string, OutboxClaimDoc>;
  /** Index specs per collection, as listIndexes returns them (none for a collection not created yet). */
  indexes: Map<CollectionName, Document[]>;
}

async function byId<T extends { _id: string }>(db: Db, name: string): Promise<Map<string, T>> {
  const docs = (await db.collection(name).find().toArray()) as unknown as T[];
  return new Map(docs.map((doc) => [doc._id, doc]));
}

async function indexesOf(db: Db, name: string): Promise<Document[]> {
  try {
    return await db.collection(name).listIndexes().toArray();
  } catch (error) {
    // NamespaceNotFound: the collection does not exist (yet).
    if ((error as { code?: unknown }).code === 26) return [];
    throw error;
  }
}

/** Loads the store's collections from `db`. */
export async function readStore(db: Db): Promise<StoreView> {
  const indexes = new Map<CollectionName, Document[]>();
  for (const name of COLLECTION_NAMES) indexes.set(name, await indexesOf(db, name));
  return {
    accounts: await byId(db, "accounts"),
    usernameClaims: await byId(db, "username_claims"),
    emailClaims: await byId(db, "email_claims"),
    sessions: await byId(db, "sessions"),
    verifications: await byId(db, "email_verifications"),
    resets: await byId(db, "password_resets"),
    devices: await byId(db, "device_tokens"),
    outbox: await byId(db, "outbox"),
    outboxClaims: await byId(db, "outbox_claims"),
    indexes,
  };
}
