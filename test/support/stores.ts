import { MemoryUserStore } from "../../src/adapters/storage/memory/memory-user-store.js";
import { openMongoUserStore } from "../../src/adapters/storage/mongodb/index.js";
import type { StoreLifecycle, UserStore } from "../../src/core/ports/user-store.js";
import { type MongoHandle, snapshotDatabase, startMongo } from "./mongo.js";

export type TestStore = UserStore & StoreLifecycle;

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

/** One entry per UserStore implementation; suites parametrise over this list. */
export interface StoreHarness {
  name: string;
  create(): Promise<StoreInstance>;
}

export const memoryHarness: StoreHarness = {
  name: "memory",
  async create() {
    const store = new MemoryUserStore();
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
    const store = await openMongoUserStore({ uri: mongo.uri, dbName: mongo.dbName });
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
