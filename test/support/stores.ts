import { MemoryStore } from "../../src/adapters/storage/memory/memory-store.js";
import { openMongoStore } from "../../src/adapters/storage/mongodb/index.js";
import type { Store, StoreLifecycle } from "../../src/core/ports/store.js";
import { type MongoHandle, snapshotDatabase, startMongo } from "./mongo.js";

export type TestStore = Store & StoreLifecycle;

export interface StoreInstance {
  store: TestStore;
  /** Every record, comparable with toEqual: proves "nothing changed". */
  snapshot(): Promise<unknown>;
  dispose(): Promise<void>;
  /** The database behind a MongoDB store (for fault tests and raw reads). */
  mongo?: MongoHandle;
  /**
   * False where the backend cannot show transaction isolation under concurrency
   * (the jongodb emulator: no write-conflict detection, and a losing commit can
   * leave writes behind). Suites that race transactions skip there, saying why.
   */
  isolatesConcurrentTransactions: boolean;
}

export const NO_ISOLATION_NOTE =
  "this MongoDB backend (jongodb) does not isolate concurrent transactions; set MONGODB_URI to a real replica set to run it";

/** One entry per Store implementation; suites parametrise over this list. */
export interface StoreHarness {
  name: string;
  create(): Promise<StoreInstance>;
}

export const memoryHarness: StoreHarness = {
  name: "memory",
  async create() {
    const store = new MemoryStore();
    return {
      store,
      snapshot: () => store.snapshot(),
      dispose: () => store.close(),
      isolatesConcurrentTransactions: true,
    };
  },
};

/** A MongoDB store on the harness's backend (MONGODB_URI, mongodb-memory-server or jongodb). */
export const mongoHarness: StoreHarness = {
  name: "mongodb",
  async create() {
    const mongo = await startMongo();
    const store = await openMongoStore({ uri: mongo.uri, dbName: mongo.dbName });
    return {
      store,
      mongo,
      isolatesConcurrentTransactions: mongo.traits.isolatesConcurrentWrites,
      snapshot: () => snapshotDatabase(mongo),
      async dispose() {
        await store.close();
        await mongo.stop();
      },
    };
  },
};

export const storeHarnesses: StoreHarness[] = [memoryHarness, mongoHarness];
