import {
  type Db,
  type IndexDescriptionInfo,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
} from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { duplicateUserField, toStoreError } from "../../src/adapters/storage/mongodb/errors.js";
import {
  type MongoUserStore,
  openMongoUserStore,
} from "../../src/adapters/storage/mongodb/index.js";
import type { UserToken } from "../../src/core/domain/account.js";
import { AccountError } from "../../src/core/errors.js";
import { DuplicateError, type OutboxMail } from "../../src/core/ports/user-store.js";
import { eventually } from "../support/eventually.js";
import { jongodbBinary } from "../support/jongodb.js";
import { type MongoHandle, snapshotDatabase, startJongodb, startMongo } from "../support/mongo.js";
import { at, HOUR, hash, newMail, newSession, newUser } from "../support/records.js";

/*
 * What only the MongoDB store has to prove: its indexes, its documents, literal
 * matching of hostile strings, transaction edge cases, refusing a standalone
 * server, and failing fast (then recovering) when the database goes away. The
 * UserStore behaviour itself is the shared contract suite's job.
 */

/** Written out, not derived from the code's INDEXES table, so a change to either shows. */
const EXPECTED_INDEXES = {
  users: [{ key: { email_key: 1 }, unique: true }],
  sessions: [
    { key: { expires_at: 1 }, expireAfterSeconds: 0 },
    { key: { public_id: 1 }, unique: true },
    { key: { username: 1 } },
  ],
  email_verifications: [
    { key: { expires_at: 1 }, expireAfterSeconds: 0 },
    { key: { username: 1 } },
  ],
  password_resets: [{ key: { expires_at: 1 }, expireAfterSeconds: 0 }, { key: { username: 1 } }],
  outbox: [
    { key: { dead_lettered: 1, next_attempt_at: 1 } },
    { key: { expires_at: 1 }, expireAfterSeconds: 0 },
  ],
};

/** Each collection's indexes besides `_id`, as key + unique + TTL, in a stable order. */
async function describeIndexes(db: Db) {
  const described: Record<string, object[]> = {};
  for (const name of Object.keys(EXPECTED_INDEXES)) {
    const indexes: IndexDescriptionInfo[] = await db.collection(name).listIndexes().toArray();
    described[name] = indexes
      .filter((index) => index.name !== "_id_")
      .map(({ key, unique, expireAfterSeconds }) => ({
        key,
        ...(unique ? { unique } : {}),
        ...(expireAfterSeconds === undefined ? {} : { expireAfterSeconds }),
      }))
      .sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
  }
  return described;
}

async function expectUnavailable(operation: Promise<unknown>): Promise<void> {
  const error = await operation.then(
    () => new Error("expected STORE_UNAVAILABLE, but the operation succeeded"),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AccountError);
  expect((error as AccountError).reason).toBe("STORE_UNAVAILABLE");
}

describe("MongoUserStore on MongoDB", () => {
  let mongo: MongoHandle;
  let store: MongoUserStore;

  beforeAll(async () => {
    mongo = await startMongo();
    store = await openMongoUserStore({ uri: mongo.uri, dbName: mongo.dbName });
  });
  afterAll(async () => {
    await store?.close();
    await mongo?.stop();
  });

  describe("start-up", () => {
    it("creates the unique, lookup and TTL indexes", async () => {
      expect(await describeIndexes(await mongo.db())).toEqual(EXPECTED_INDEXES);
    });

    it("changes nothing when it starts again against an existing database", async () => {
      const user = newUser();
      await store.createUser(user);
      await store.addSession(newSession(user.username));
      await store.addOutboxMail(newMail());
      const db = await mongo.db();
      const before = { indexes: await describeIndexes(db), records: await snapshotDatabase(mongo) };

      const second = await openMongoUserStore({ uri: mongo.uri, dbName: mongo.dbName });
      await second.close();

      expect({
        indexes: await describeIndexes(db),
        records: await snapshotDatabase(mongo),
      }).toEqual(before);
      expect((await store.getUserByUsername(user.username))?.username).toBe(user.username);
    });
  });

  describe("documents", () => {
    it("are snake_case, keyed by username, token hash and mail id, and hold token hashes only", async () => {
      const user = newUser();
      const session = newSession(user.username);
      const token: UserToken = { username: user.username, tokenHash: hash(), expiresAt: at(HOUR) };
      const mail = newMail();
      await store.createUser(user);
      await store.addSession(session);
      await store.setEmailVerification(token);
      await store.addOutboxMail(mail);

      const db = await mongo.db();
      expect(await db.collection("users").findOne({ _id: user.username as never })).toEqual({
        _id: user.username,
        email: user.email,
        email_key: user.emailKey,
        verified: false,
        created_at: user.createdAt,
        password_hash: user.passwordHash,
      });
      expect(await db.collection("sessions").findOne({ _id: session.tokenHash as never })).toEqual({
        _id: session.tokenHash,
        public_id: session.id,
        username: user.username,
        created_at: session.createdAt,
        last_active_at: session.lastActiveAt,
        absolute_expires_at: session.absoluteExpiresAt,
        expires_at: session.expiresAt,
        ip: session.ip,
        user_agent: session.userAgent,
      });
      expect(
        await db.collection("email_verifications").findOne({ _id: token.tokenHash as never }),
      ).toEqual({ _id: token.tokenHash, username: user.username, expires_at: token.expiresAt });
      const stored = await db.collection("outbox").findOne({ _id: mail.id as never });
      expect(Object.keys(stored ?? {}).sort()).toEqual(
        [
          "_id",
          "attempts",
          "created_at",
          "dead_lettered",
          "expires_at",
          "kind",
          "lease_until",
          "next_attempt_at",
          "payload",
        ].sort(),
      );
    });

    it("hand back a payload as a plain Uint8Array, and drop it when dead-lettered", async () => {
      const mail = newMail({ nextAttemptAt: at(-1_000 * HOUR) });
      await store.addOutboxMail(mail);
      let claimed: OutboxMail | null;
      do claimed = await store.claimOutboxMail(at(-1_000 * HOUR), at(0));
      while (claimed && claimed.id !== mail.id);
      expect(claimed?.payload).toStrictEqual(mail.payload);
      await store.deadLetterOutboxMail(mail.id, 3);
      const db = await mongo.db();
      const tombstone = await db.collection("outbox").findOne({ _id: mail.id as never });
      expect(tombstone).toMatchObject({ dead_lettered: true, attempts: 3, lease_until: null });
      expect(tombstone).not.toHaveProperty("payload");
    });
  });

  describe("hostile input", () => {
    const hostile = ['{"$gt": ""}', "$where", "$ne", "a.b", "$", "..", "a\u0000b", "{}"];

    it("stores operator- and path-like strings as they are and matches them literally", async () => {
      for (const value of hostile) {
        const user = newUser({ username: value, emailKey: value });
        await store.createUser(user);
        expect((await store.getUserByUsername(value))?.username).toBe(value);
        expect((await store.getUserByEmail(value))?.username).toBe(value);
        expect(await store.getPasswordHash(value)).toBe(user.passwordHash);

        const session = newSession(value, { tokenHash: value, id: value });
        await store.addSession(session);
        expect(await store.getSession(value)).toEqual(session);
        expect(await store.listSessions(value)).toEqual([session]);
        expect(await store.removeAllSessions(value, value)).toBe(0);
        expect(await store.removeSessionById(value, value)).toBe(true);

        const token: UserToken = { username: value, tokenHash: value, expiresAt: at(HOUR) };
        await store.setPasswordReset(token);
        expect(await store.consumePasswordReset(value)).toEqual(token);
        expect(await store.consumePasswordReset(value)).toBeNull();
      }
      const db = await mongo.db();
      const stored = await db
        .collection("users")
        .find({ _id: { $in: hostile as never[] } })
        .toArray();
      expect(stored.map((doc) => doc._id).sort()).toEqual([...hostile].sort());
    });

    it("refuses a non-string query value instead of reading it as an operator", async () => {
      const victim = newUser();
      await store.createUser(victim);
      await store.addSession(newSession(victim.username));
      const operator = { $gt: "" } as unknown as string;
      const attempts = [
        store.getUserByUsername(operator),
        store.getUserByEmail(operator),
        store.getSession(operator),
        store.consumeEmailVerification(operator),
        store.removeAllSessions(operator),
        store.removeSessionById(victim.username, { $ne: null } as unknown as string),
        store.removeAllSessions(victim.username, { $exists: true } as unknown as string),
      ];
      for (const attempt of attempts) await expect(attempt).rejects.toThrow(TypeError);
      expect(await store.getUserByUsername(victim.username)).not.toBeNull();
      expect(await store.listSessions(victim.username)).toHaveLength(1);
    });
  });

  describe("transactions", () => {
    it("refuse every operation after one fails, and commit nothing", async () => {
      // MongoDB aborts a transaction whose statement fails; carrying on must not look like it worked.
      const taken = newUser();
      await store.createUser(taken);
      const session = newSession(taken.username);
      const attempt = store.transaction(async (tx) => {
        await tx.createUser(newUser({ username: taken.username })).catch(() => "ignored");
        await tx.addSession(session);
      });
      await expect(attempt).rejects.toThrow(/transaction already failed/);
      expect(await store.getSession(session.tokenHash)).toBeNull();
    });

    it("run operations started together on one handle one after another", async () => {
      const users = Array.from({ length: 5 }, () => newUser());
      await store.transaction((tx) => Promise.all(users.map((user) => tx.createUser(user))));
      for (const user of users) expect(await store.getUserByUsername(user.username)).not.toBeNull();
    });
  });
});

describe.skipIf(!jongodbBinary)("a standalone server (jongodb without replica-set flags)", () => {
  let mongo: MongoHandle;
  beforeAll(async () => {
    mongo = await startJongodb({ standalone: true });
  });
  afterAll(() => mongo?.stop());

  it("is refused while transactions are required, with a message that says what to do", async () => {
    const opening = openMongoUserStore({ uri: mongo.uri, dbName: mongo.dbName });
    await expect(opening).rejects.toThrow(/standalone server.*replica set.*transactions to "off"/s);
  });

  it('is accepted with transactions "off", where transaction() gives up atomicity', async () => {
    const store = await openMongoUserStore({
      uri: mongo.uri,
      dbName: mongo.dbName,
      transactions: "off",
    });
    try {
      const user = newUser();
      const failing = store.transaction(async (tx) => {
        await tx.createUser(user);
        throw new Error("fails half-way");
      });
      await expect(failing).rejects.toThrow("fails half-way");
      // Nothing rolls back: the write before the failure stays.
      expect((await store.getUserByUsername(user.username))?.username).toBe(user.username);
    } finally {
      await store.close();
    }
  });
});

describe("when the database goes away", () => {
  const timeoutMs = 1_000;
  // Generous on purpose (a fault test, not a benchmark): the point is "seconds",
  // against the 30 s a default driver waits, or withTransaction's 120 s of retries.
  const failFastMs = 5 * timeoutMs;
  let mongo: MongoHandle;
  let store: MongoUserStore;

  beforeAll(async () => {
    mongo = await startMongo();
    store = await openMongoUserStore({ uri: mongo.uri, dbName: mongo.dbName, timeoutMs });
  });
  afterAll(async () => {
    await store?.close();
    await mongo?.stop();
  });

  async function timed(operation: () => Promise<unknown>): Promise<number> {
    const started = performance.now();
    await expectUnavailable(operation());
    return performance.now() - started;
  }

  it("fails fast with STORE_UNAVAILABLE, then the same store works again after a restart", async ({
    skip,
  }) => {
    if (!mongo.traits.canKill) skip();
    const before = newUser();
    await store.createUser(before);

    await mongo.kill();
    expect(await timed(() => store.getUserByUsername(before.username))).toBeLessThan(failFastMs);
    expect(await timed(() => store.createUser(newUser()))).toBeLessThan(failFastMs);
    expect(await timed(() => store.transaction((tx) => tx.createUser(newUser())))).toBeLessThan(
      failFastMs,
    );
    expect(await timed(() => store.ping())).toBeLessThan(failFastMs);

    await mongo.restart();
    await eventually(() => store.ping());
    const survivor = await store.getUserByUsername(before.username);
    expect(survivor?.username ?? null).toBe(
      mongo.traits.keepsDataOnRestart ? before.username : null,
    );
    // The store re-creates its indexes after reconnecting (jongodb comes back empty):
    // the unique email key holds again.
    expect(await describeIndexes(await mongo.db())).toEqual(EXPECTED_INDEXES);
    const fresh = newUser();
    await store.createUser(fresh);
    await expect(store.createUser(newUser({ emailKey: fresh.emailKey }))).rejects.toEqual(
      new DuplicateError("email"),
    );
  });

  it("fails a transaction cut off half-way fast, and commits none of it", async ({ skip }) => {
    if (!mongo.traits.canKill) skip();
    const [first, second] = [newUser(), newUser()];
    const elapsed = await timed(() =>
      store.transaction(async (tx) => {
        await tx.createUser(first);
        await mongo.kill();
        await tx.createUser(second);
      }),
    );
    expect(elapsed).toBeLessThan(failFastMs);
    await mongo.restart();
    await eventually(() => store.ping());
    expect(await store.getUserByUsername(first.username)).toBeNull();
  });
});

describe("driver error mapping", () => {
  it("names the user field of a duplicate key from keyPattern, or else from the index in the message", () => {
    const duplicate = (message: string, extra: object = {}) =>
      new MongoServerError({ message, code: 11000, ...extra });
    const real = "E11000 duplicate key error collection: uh.users index:";
    expect(
      duplicateUserField(
        duplicate(`${real} email_key_1 dup key: { email_key: "a" }`, {
          keyPattern: { email_key: 1 },
          keyValue: { email_key: "a" },
        }),
      ),
    ).toBe("email");
    expect(
      duplicateUserField(
        duplicate(`${real} _id_ dup key: { _id: "a" }`, { keyPattern: { _id: 1 } }),
      ),
    ).toBe("username");
    // jongodb sends neither keyPattern nor keyValue.
    const emulated = "E11000 duplicate key error index: email_key_1 dup key: { email_key: a@x }";
    expect(duplicateUserField(duplicate(emulated))).toBe("email");
    expect(duplicateUserField(new MongoServerError({ message: "write conflict", code: 112 }))).toBe(
      null,
    );
  });

  it("turns unreachable-database errors into STORE_UNAVAILABLE and leaves others alone", () => {
    const unreachable = [
      new MongoNetworkError("connection reset"),
      new MongoNotConnectedError("not connected"),
      new MongoServerError({ message: "shutting down", code: 91 }),
      // What driver 7.9 lets through when the server has just closed the socket.
      Object.assign(new Error("This socket has been ended by the other party"), { code: "EPIPE" }),
    ];
    for (const error of unreachable) {
      const mapped = toStoreError(error);
      expect(mapped).toBeInstanceOf(AccountError);
      expect(mapped).toMatchObject({ reason: "STORE_UNAVAILABLE", cause: error });
    }
    const others = [
      new MongoServerError({ message: "write conflict", code: 112 }),
      new TypeError(),
    ];
    for (const error of others) expect(toStoreError(error)).toBe(error);
  });
});
