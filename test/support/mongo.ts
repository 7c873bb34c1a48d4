import { randomBytes } from "node:crypto";
import { type Db, type Document, MongoClient } from "mongodb";
import { COLLECTION_NAMES } from "../../src/adapters/storage/mongodb/collections.js";
import { JONGODB_REPLICA_SET, jongodbBinary, spawnJongodb } from "./jongodb.js";

/**
 * A MongoDB for tests. `startMongo()` picks, in order:
 * 1. `MONGODB_URI`: a real server, a fresh database per call (dropped by stop());
 * 2. mongodb-memory-server's MongoMemoryReplSet, when a mongod binary is already
 *    on this machine (`MONGOMS_SYSTEM_BINARY` or its download cache): it is never
 *    allowed to download one, which here would hang on the network;
 * 3. jongodb, a wire-protocol emulator shipped as an npm binary, as a single-node
 *    replica set on a free 127.0.0.1 port.
 */

export type MongoBackend = "uri" | "mongodb-memory-server" | "jongodb";

/** Where a backend differs from a real replica set; suites skip on these rather than fail. */
export interface MongoTraits {
  /** A TTL monitor deletes expired documents (jongodb never does). */
  deletesExpired: boolean;
  /**
   * Concurrent transactions writing one document conflict as on MongoDB (one is
   * retried, the other's writes never land). jongodb does not: a commit only
   * conflicts with an insert of the same _id, and even a commit that fails on
   * such a conflict can leave some of its writes behind (seen with 10 racing
   * ResetPassword transactions). Worse, two commits at once can overwrite each
   * other: both acknowledged, one's writes gone (and writes made outside
   * transactions meanwhile undone): test/drills/jongodb-commits.test.ts.
   * Single operations outside transactions, and unique inserts, do serialise,
   * which is what the outbox claim relies on.
   */
  isolatesConcurrentWrites: boolean;
  /** kill() and restart() work (not on a server given by MONGODB_URI). */
  canKill: boolean;
  /** Data outlives restart() (jongodb is in memory: it comes back empty, indexes too). */
  keepsDataOnRestart: boolean;
}

export interface MongoHandle {
  /** Server URI (with replicaSet where there is one); pass `dbName` beside it. */
  readonly uri: string;
  readonly backend: MongoBackend;
  /** A fresh database name, unique to this handle. */
  readonly dbName: string;
  readonly traits: MongoTraits;
  /** The test database through a client of the harness's own, for inspecting it. */
  db(): Promise<Db>;
  /** Stops the server (or drops the database, for MONGODB_URI) and closes the inspecting client. */
  stop(): Promise<void>;
  /** SIGKILLs the server process. */
  kill(): Promise<void>;
  /** Starts the server again on the same port, and resolves once it accepts writes. */
  restart(): Promise<void>;
}

export interface StartOptions {
  /** jongodb without the replica-set flags: it then looks standalone (no `setName`). */
  standalone?: boolean;
}

export async function startMongo(): Promise<MongoHandle> {
  const uri = process.env.MONGODB_URI;
  if (uri) return fromUri(uri);
  return (await startMemoryReplSet()) ?? startJongodb();
}

const announced = new Set<string>();
/** Says once per test file which backend ran, so the test output names it. */
function announce(line: string): void {
  if (announced.has(line)) return;
  announced.add(line);
  console.info(`[mongo] backend: ${line}`);
}

const freshDbName = () => `uh_test_${randomBytes(6).toString("hex")}`;

/** An emulator behind MONGODB_URI (jongodb) may lack dropDatabase; its data dies with it. */
function ignoreCommandNotFound(error: { code?: unknown }): void {
  if (error.code !== 59) throw error;
}

const cannotKill = async () => {
  throw new Error("a server given by MONGODB_URI cannot be killed or restarted by tests");
};

interface Parts {
  uri: string;
  backend: MongoBackend;
  traits: MongoTraits;
  kill(): Promise<void>;
  /** Brings the server back; the handle then waits until it accepts writes. */
  start(): Promise<void>;
  /** Tears down the backend (or the handle's database) after the handle has closed its client. */
  stop(dbName: string): Promise<void>;
}

function handle(parts: Parts): MongoHandle {
  const dbName = freshDbName();
  let client: MongoClient | undefined;
  const db = async () => {
    client ??= new MongoClient(parts.uri, { serverSelectionTimeoutMS: 5_000 });
    return client.db(dbName);
  };
  return {
    uri: parts.uri,
    backend: parts.backend,
    dbName,
    traits: parts.traits,
    db,
    kill: parts.kill,
    async restart() {
      await parts.start();
      await waitUntilWritable(parts.uri);
    },
    async stop() {
      await client?.close();
      await parts.stop(dbName);
    },
  };
}

function fromUri(uri: string): MongoHandle {
  announce("MONGODB_URI (fresh database per suite)");
  return handle({
    uri,
    backend: "uri",
    traits: {
      deletesExpired: true,
      isolatesConcurrentWrites: true,
      canKill: false,
      keepsDataOnRestart: true,
    },
    kill: cannotKill,
    start: cannotKill,
    async stop(dbName) {
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
      try {
        await client.db(dbName).dropDatabase().catch(ignoreCommandNotFound);
      } finally {
        await client.close();
      }
    },
  });
}

/** MongoMemoryReplSet if a mongod is already on this machine, else null (never a download). */
async function startMemoryReplSet(): Promise<MongoHandle | null> {
  const { DryMongoBinary, MongoMemoryReplSet } = await import("mongodb-memory-server");
  const wanted = await DryMongoBinary.generateOptions();
  // Undefined when none is cached; throws when MONGOMS_SYSTEM_BINARY names no file.
  const binary = await DryMongoBinary.locateBinary(wanted);
  if (!binary) return null;
  const replSet = await MongoMemoryReplSet.create({
    replSet: { count: 1, storageEngine: "wiredTiger" },
  }).catch((error: Error) => {
    throw new Error(
      `mongodb-memory-server could not start ${binary} (without MONGOMS_SYSTEM_BINARY ` +
        `or a cached mongod, jongodb runs instead): ${error.message}`,
      { cause: error },
    );
  });
  const server = replSet.servers[0];
  if (!server) throw new Error("MongoMemoryReplSet started no server");
  announce(`mongodb-memory-server (MongoMemoryReplSet, ${binary})`);
  return handle({
    uri: replSet.getUri(),
    backend: "mongodb-memory-server",
    traits: {
      deletesExpired: true,
      isolatesConcurrentWrites: true,
      canKill: true,
      keepsDataOnRestart: true,
    },
    async kill() {
      const mongod = server.instanceInfo?.instance.mongodProcess;
      if (!mongod || mongod.exitCode !== null || mongod.signalCode !== null) return;
      const gone = new Promise((resolve) => mongod.once("exit", resolve));
      mongod.kill("SIGKILL");
      await gone;
    },
    // Same port and dbPath: the data and the replica set config come back with it.
    async start() {
      await server.stop({ doCleanup: false, force: false });
      await server.start(true);
    },
    stop: () => replSet.stop().then(() => undefined),
  });
}

/** jongodb; `standalone` leaves out the replica-set flags (for testing the refusal). */
export async function startJongodb(options: StartOptions = {}): Promise<MongoHandle> {
  if (!jongodbBinary)
    throw new Error("no MongoDB: set MONGODB_URI (jongodb runs on linux-x64 only)");
  const replicaSet = !options.standalone;
  let server = await spawnJongodb(0, replicaSet);
  // Polling monitors: jongodb answers the streaming (exhaust) hello without
  // moreToCome, and the driver then clears the pool, failing operations in flight.
  const replicaSetParam = replicaSet ? `&replicaSet=${JONGODB_REPLICA_SET}` : "";
  const uri = `mongodb://127.0.0.1:${server.port}/?serverMonitoringMode=poll${replicaSetParam}`;
  await waitUntilWritable(uri).catch(async (error: unknown) => {
    await server.kill();
    throw error;
  });
  announce(
    `jongodb ${jongodbBinary.version} (${replicaSet ? "single-node replica set emulation" : "standalone"})`,
  );
  return handle({
    uri,
    backend: "jongodb",
    traits: {
      deletesExpired: false,
      isolatesConcurrentWrites: false,
      canKill: true,
      keepsDataOnRestart: false,
    },
    kill: () => server.kill(),
    async start() {
      await server.kill();
      server = await spawnJongodb(server.port, replicaSet);
    },
    stop: () => server.kill("SIGTERM"),
  });
}

/** Polls `hello` until the server answers as a writable primary (or standalone). */
async function waitUntilWritable(uri: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500 });
  try {
    for (;;) {
      const hello: Document | null = await client
        .db("admin")
        .command({ hello: 1 })
        .catch(() => null);
      if (hello?.isWritablePrimary) return;
      if (Date.now() > deadline)
        throw new Error(`MongoDB at ${uri} not writable in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await client.close();
  }
}

/**
 * Every record of the store's collections, sorted by _id: compare two to prove "nothing
 * changed". Rate-limit counters are left out, as the memory store's snapshot leaves them out:
 * every request counts against them, failed or not, by design.
 */
export async function snapshotDatabase(mongo: MongoHandle): Promise<Record<string, Document[]>> {
  const db = await mongo.db();
  const snapshot: Record<string, Document[]> = {};
  for (const name of COLLECTION_NAMES.filter((n) => n !== "limits")) {
    snapshot[name] = await db.collection(name).find().sort({ _id: 1 }).toArray();
  }
  return snapshot;
}
