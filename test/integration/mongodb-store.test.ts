import {
  type ClientSession,
  type Db,
  type IndexDescriptionInfo,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
} from "mongodb";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Collections } from "../../src/adapters/storage/mongodb/collections.js";
import {
  isDuplicateKey,
  lostWriteConflict,
  toStoreError,
} from "../../src/adapters/storage/mongodb/errors.js";
import { type MongoStore, openMongoStore } from "../../src/adapters/storage/mongodb/index.js";
import { MongoStore as MongoStoreClass } from "../../src/adapters/storage/mongodb/mongo-store.js";
import { newAccountEvent } from "../../src/core/domain/account-event.js";
import type { Session } from "../../src/core/domain/session.js";
import { AccountError } from "../../src/core/errors.js";
import { DuplicateError } from "../../src/core/ports/account-store.js";
import type { OutboxMail } from "../../src/core/ports/outbox-store.js";
import { describeAccountStoreContract } from "../contract/account-store.contract.js";
import { eventually } from "../support/eventually.js";
import { jongodbBinary } from "../support/jongodb.js";
import { type MongoHandle, snapshotDatabase, startJongodb, startMongo } from "../support/mongo.js";
import { at, HOUR, newAccount, newMail, newSession, newToken } from "../support/records.js";
import { mongoHarness, type StoreHarness } from "../support/stores.js";

/*
 * What only the MongoDB store has to prove: its indexes, its documents, literal
 * matching of hostile strings, transaction edge cases, refusing a standalone
 * server, and failing fast (then recovering) when the database goes away. The
 * ports' behaviour itself is the shared contract suites' job.
 */

/** Written out, not derived from the code's INDEXES table, so a change to either shows. */
const EXPECTED_INDEXES = {
  // Keyed by id, unique by claim documents: no unique secondary index anywhere (it would
  // not hold across shards). ListAccounts of disabled accounts walks { disabled, _id }.
  accounts: [{ key: { disabled: 1, _id: 1 } }],
  username_claims: [],
  email_claims: [],
  sessions: [{ key: { account_id: 1 } }, { key: { expires_at: 1 }, expireAfterSeconds: 0 }],
  email_verifications: [
    { key: { account_id: 1 } },
    { key: { expires_at: 1 }, expireAfterSeconds: 0 },
  ],
  password_resets: [{ key: { account_id: 1 } }, { key: { expires_at: 1 }, expireAfterSeconds: 0 }],
  device_tokens: [{ key: { account_id: 1 } }, { key: { expires_at: 1 }, expireAfterSeconds: 0 }],
  outbox: [
    { key: { dead_lettered: 1, next_attempt_at: 1 } },
    { key: { expires_at: 1 }, expireAfterSeconds: 0 },
  ],
  // EVENT_RETENTION (default 7 days) as a TTL on the event's time; type filters walk { type, _id }.
  account_events: [
    { key: { time: 1 }, expireAfterSeconds: 7 * 86_400 },
    { key: { type: 1, _id: 1 } },
  ],
  webhook_leases: [{ key: { expires_at: 1 }, expireAfterSeconds: 0 }],
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

describe("MongoStore on MongoDB", () => {
  let mongo: MongoHandle;
  let store: MongoStore;
  const parts = () => (store as unknown as MongoStoreClass).parts;

  beforeAll(async () => {
    mongo = await startMongo();
    store = await openMongoStore({ uri: mongo.uri, dbName: mongo.dbName });
  });
  afterAll(async () => {
    await store?.close();
    await mongo?.stop();
  });

  describe("start-up", () => {
    it("creates the lookup and TTL indexes, and no unique secondary index", async () => {
      expect(await describeIndexes(await mongo.db())).toEqual(EXPECTED_INDEXES);
    });

    it("changes nothing when it starts again against an existing database", async () => {
      const account = newAccount();
      await store.accounts.create(account);
      await store.sessions.add(newSession(account.id));
      await store.outbox.add(newMail());
      const db = await mongo.db();
      const before = { indexes: await describeIndexes(db), records: await snapshotDatabase(mongo) };

      const second = await openMongoStore({ uri: mongo.uri, dbName: mongo.dbName });
      await second.close();

      expect({
        indexes: await describeIndexes(db),
        records: await snapshotDatabase(mongo),
      }).toEqual(before);
      expect((await store.accounts.findByUsername(account.username))?.id).toBe(account.id);
    });

    it("EVENT_RETENTION is the event TTL index's lifetime, and a changed setting changes it in place", async (ctx) => {
      if (mongo.backend === "jongodb") ctx.skip("jongodb has neither collMod nor dropIndexes");
      const db = await mongo.db();
      const ttl = async () =>
        (await db.collection("account_events").listIndexes().toArray()).find(
          (index) => index.name === "time_1",
        )?.expireAfterSeconds;
      expect(await ttl()).toBe(7 * 86_400);
      const logId = (await store.events.head()).logId;
      const shorter = await openMongoStore({
        uri: mongo.uri,
        dbName: mongo.dbName,
        eventRetentionMs: 36 * 3_600_000,
      });
      expect(await ttl()).toBe(36 * 3_600);
      // The log is the same log: cursors issued before the restart still resume.
      expect((await shorter.events.head()).logId).toBe(logId);
      await shorter.close();
      const back = await openMongoStore({ uri: mongo.uri, dbName: mongo.dbName });
      await back.close();
      expect(await ttl()).toBe(7 * 86_400);
    });
  });

  describe("documents", () => {
    it("are snake_case, keyed by account id, claimed key, token hash and mail id, and hold token hashes only", async () => {
      const account = newAccount();
      const session = newSession(account.id, { username: account.username });
      const token = newToken(account.id, { email: "Moved@Example.com" });
      const mail = newMail();
      await store.accounts.create(account);
      await store.sessions.add(session);
      await store.tokens.add("verification", token);
      await store.outbox.add(mail);

      const db = await mongo.db();
      expect(await db.collection("accounts").findOne({ _id: account.id as never })).toEqual({
        _id: account.id,
        username: account.username,
        email: account.email,
        email_key: account.emailKey,
        verified: false,
        disabled: false,
        created_at: account.createdAt,
        password_hash: account.passwordHash,
        credential_generation: 0,
        last_login_at: null,
      });
      expect(
        await db.collection("username_claims").findOne({ _id: account.username as never }),
      ).toEqual({ _id: account.username, account_id: account.id });
      expect(
        await db.collection("email_claims").findOne({ _id: account.emailKey as never }),
      ).toEqual({ _id: account.emailKey, account_id: account.id });
      expect(await db.collection("sessions").findOne({ _id: session.tokenHash as never })).toEqual({
        _id: session.tokenHash,
        public_id: session.id,
        account_id: account.id,
        username: account.username,
        created_at: session.createdAt,
        last_active_at: session.lastActiveAt,
        absolute_expires_at: session.absoluteExpiresAt,
        expires_at: session.expiresAt,
        ip: session.ip,
        user_agent: session.userAgent,
      });
      expect(
        await db.collection("email_verifications").findOne({ _id: token.tokenHash as never }),
      ).toEqual({
        _id: token.tokenHash,
        account_id: account.id,
        email: "Moved@Example.com",
        expires_at: token.expiresAt,
      });
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
      await store.outbox.add(mail);
      let claimed: OutboxMail | null;
      do claimed = await store.outbox.claim(at(-1_000 * HOUR), at(0));
      while (claimed && claimed.id !== mail.id);
      expect(claimed?.payload).toStrictEqual(mail.payload);
      await store.outbox.deadLetter(mail.id, 3);
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
        const account = newAccount({ id: value, username: value, emailKey: value });
        await store.accounts.create(account);
        expect((await store.accounts.findByUsername(value))?.id).toBe(value);
        expect((await store.accounts.findByEmail(value))?.id).toBe(value);
        expect((await store.accounts.getCredentials(value))?.passwordHash).toBe(
          account.passwordHash,
        );

        const session = newSession(value, { tokenHash: value, id: value });
        await store.sessions.add(session);
        expect(await store.sessions.get(value)).toEqual(session);
        expect(await store.sessions.list(value)).toEqual([session]);
        expect(await store.sessions.removeAll(value, value)).toBe(0);
        expect(await store.sessions.removeById(value, value)).toBe(true);

        const token = newToken(value, { tokenHash: value });
        await store.tokens.add("reset", token);
        expect(await store.tokens.consume("reset", value)).toEqual(token);
        expect(await store.tokens.consume("reset", value)).toBeNull();
      }
      const db = await mongo.db();
      const stored = await db
        .collection("accounts")
        .find({ _id: { $in: hostile as never[] } })
        .toArray();
      expect(stored.map((doc) => doc._id).sort()).toEqual([...hostile].sort());
    });

    it("refuses a non-string query value instead of reading it as an operator", async () => {
      const victim = newAccount();
      await store.accounts.create(victim);
      await store.sessions.add(newSession(victim.id));
      const operator = { $gt: "" } as unknown as string;
      const attempts = [
        store.accounts.get(operator),
        store.accounts.findByUsername(operator),
        store.accounts.findByEmail(operator),
        store.accounts.recordLogin(operator, 0, at(0)),
        store.sessions.get(operator),
        store.tokens.consume("verification", operator),
        store.sessions.removeAll(operator),
        store.sessions.removeById(victim.id, { $ne: null } as unknown as string),
        store.sessions.removeAll(victim.id, { $exists: true } as unknown as string),
      ];
      for (const attempt of attempts) await expect(attempt).rejects.toThrow(TypeError);
      expect(await store.accounts.get(victim.id)).not.toBeNull();
      expect(await store.sessions.list(victim.id)).toHaveLength(1);
    });
  });

  describe("point reads outside a transaction", () => {
    afterEach(() => vi.restoreAllMocks());
    /** The `find` commands sent to one collection while `work` runs. */
    async function findsOn<T>(collection: string, work: () => Promise<T>) {
      const command = vi.spyOn(parts().db, "command");
      try {
        const result = await work();
        const finds = command.mock.calls
          .map(([sent]) => sent)
          .filter((sent) => sent.find === collection);
        return { result, finds };
      } finally {
        command.mockRestore();
      }
    }

    it("made in the same turn go out as one find per collection, each caller getting its own record", async () => {
      const accounts = [newAccount(), newAccount(), newAccount()];
      const sessions = accounts.map((a) => newSession(a.id));
      for (const a of accounts) await store.accounts.create(a);
      for (const s of sessions) await store.sessions.add(s);
      const [s0, s1, s2] = sessions as [Session, Session, Session];
      const asked = [s0.tokenHash, s1.tokenHash, s0.tokenHash, "no-such-hash", s2.tokenHash];
      const ids = [...accounts.map((a) => a.id), "no-such-id"];

      const { result, finds } = await findsOn("sessions", () =>
        Promise.all([
          Promise.all(asked.map((h) => store.sessions.get(h))),
          Promise.all(ids.map((id) => store.accounts.get(id))),
        ]),
      );
      const [found, users] = result;
      expect(found).toEqual([s0, s1, s0, null, s2]);
      expect(users.map((u) => u?.username ?? null)).toEqual([
        ...accounts.map((a) => a.username),
        null,
      ]);
      expect(finds).toHaveLength(1);
      expect(finds[0]?.filter).toEqual({
        _id: { $in: [s0.tokenHash, s1.tokenHash, "no-such-hash", s2.tokenHash] },
      });
      const accountFinds = await findsOn("accounts", () => store.accounts.get(ids[0] as string));
      expect(accountFinds.finds[0]?.projection).toEqual({ password_hash: 0 });
    });

    it("fall back to the driver's retrying cursor when the find command fails", async () => {
      const account = newAccount();
      const session = newSession(account.id);
      await store.sessions.add(session);
      const command = vi
        .spyOn(parts().db, "command")
        .mockRejectedValueOnce(new MongoNetworkError("connection reset"));
      const cursor = vi.spyOn(parts().collections.sessions, "find");
      expect(await store.sessions.get(session.tokenHash)).toEqual(session);
      expect(command).toHaveBeenCalledTimes(1);
      expect(cursor).toHaveBeenCalledTimes(1);
    });

    it("do not retry through the cursor when no server could be selected (that waited the timeout already)", async () => {
      const command = vi
        .spyOn(parts().db, "command")
        .mockRejectedValueOnce(new MongoServerSelectionError("no primary", {} as never));
      const cursor = vi.spyOn(parts().collections.sessions, "find");
      await expectUnavailable(store.sessions.get("a"));
      expect(command).toHaveBeenCalledTimes(1);
      expect(cursor).not.toHaveBeenCalled();
    });

    it("fail together, as STORE_UNAVAILABLE, when the command and the cursor both fail", async () => {
      const command = vi
        .spyOn(parts().db, "command")
        .mockRejectedValueOnce(new MongoNetworkError("connection reset"));
      vi.spyOn(parts().collections.sessions, "find").mockImplementationOnce(() => {
        throw new MongoNetworkError("connection reset");
      });
      const reads = ["a", "b", "c"].map((h) => store.sessions.get(h));
      for (const read of reads) await expectUnavailable(read);
      expect(command).toHaveBeenCalledTimes(1);
      // The one-off failures are spent: the next read goes through.
      expect(await store.sessions.get("a")).toBeNull();
    });
  });

  describe("transactions", () => {
    it("refuse every operation after one fails, and commit nothing", async () => {
      // MongoDB aborts a transaction whose statement fails; carrying on must not look like it worked.
      const taken = newAccount();
      await store.accounts.create(taken);
      const session = newSession(taken.id);
      const attempt = store.transaction(async (tx) => {
        await tx.accounts.create(newAccount({ username: taken.username })).catch(() => "ignored");
        await tx.sessions.add(session);
      });
      await expect(attempt).rejects.toThrow(/transaction already failed/);
      expect(await store.sessions.get(session.tokenHash)).toBeNull();
    });

    it("never pass a session whose transaction failed for an unreachable database on to the next", async () => {
      // Its abort may never have reached the server, which may still hold the transaction
      // open; jongodb then refuses the session's next transaction ("already in progress").
      const sessions: ClientSession[] = [];
      const client = parts().client;
      const startSession = client.startSession.bind(client);
      vi.spyOn(client, "startSession").mockImplementation((options) => {
        const session = startSession(options);
        sessions.push(session);
        return session;
      });
      const lsid = (n: number) => sessions[n]?.serverSession.id.id.toString("hex");
      try {
        await store.transaction((tx) => tx.accounts.create(newAccount()));
        await store.transaction((tx) => tx.accounts.create(newAccount()));
        expect(lsid(1)).toBe(lsid(0)); // a clean one is reused, so the check below can fail
        await expectUnavailable(
          store.transaction(async (tx) => {
            await tx.accounts.create(newAccount());
            throw new AccountError("STORE_UNAVAILABLE");
          }),
        );
        await store.transaction((tx) => tx.accounts.create(newAccount()));
        expect(lsid(3)).not.toBe(lsid(2));
      } finally {
        vi.restoreAllMocks();
      }
    });

    it("run operations started together on one handle one after another", async () => {
      const accounts = Array.from({ length: 5 }, () => newAccount());
      await store.transaction((tx) => Promise.all(accounts.map((a) => tx.accounts.create(a))));
      for (const a of accounts)
        expect(await store.accounts.findByUsername(a.username)).not.toBeNull();
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
    const opening = openMongoStore({ uri: mongo.uri, dbName: mongo.dbName });
    await expect(opening).rejects.toThrow(/standalone server.*replica set.*transactions to "off"/s);
  });

  it('is accepted with transactions "off", where transaction() gives up atomicity', async () => {
    const store = await openMongoStore({
      uri: mongo.uri,
      dbName: mongo.dbName,
      transactions: "off",
    });
    try {
      const account = newAccount();
      const failing = store.transaction(async (tx) => {
        await tx.accounts.create(account);
        throw new Error("fails half-way");
      });
      await expect(failing).rejects.toThrow("fails half-way");
      // Nothing rolls back: the write before the failure stays.
      expect((await store.accounts.findByUsername(account.username))?.id).toBe(account.id);
      // A single create still writes all or nothing: its own claims are taken back.
      const sameName = newAccount({ username: account.username, emailKey: `${account.id}@x.org` });
      await expect(store.accounts.create(sameName)).rejects.toEqual(new DuplicateError("username"));
      const sameEmail = newAccount({ email: account.email, emailKey: account.emailKey });
      await expect(store.accounts.create(sameEmail)).rejects.toEqual(new DuplicateError("email"));
      expect(await store.accounts.findByUsername(sameEmail.username)).toBeNull();
      expect(await store.accounts.findByEmail(sameName.emailKey)).toBeNull();
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
  let store: MongoStore;

  beforeAll(async () => {
    mongo = await startMongo();
    store = await openMongoStore({ uri: mongo.uri, dbName: mongo.dbName, timeoutMs });
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
    const before = newAccount();
    await store.accounts.create(before);

    await mongo.kill();
    expect(await timed(() => store.accounts.findByUsername(before.username))).toBeLessThan(
      failFastMs,
    );
    expect(await timed(() => store.accounts.create(newAccount()))).toBeLessThan(failFastMs);
    // A batched point read: its command, then (once) the driver's cursor, both within the limit.
    expect(await timed(() => store.sessions.get("any-token-hash"))).toBeLessThan(failFastMs);
    expect(
      await timed(() => store.transaction((tx) => tx.accounts.create(newAccount()))),
    ).toBeLessThan(failFastMs);
    expect(await timed(() => store.ping())).toBeLessThan(failFastMs);

    await mongo.restart();
    await eventually(() => store.ping());
    const survivor = await store.accounts.findByUsername(before.username);
    expect(survivor?.id ?? null).toBe(mongo.traits.keepsDataOnRestart ? before.id : null);
    // The store re-creates its indexes after reconnecting (jongodb comes back empty).
    expect(await describeIndexes(await mongo.db())).toEqual(EXPECTED_INDEXES);
    const fresh = newAccount();
    await store.accounts.create(fresh);
    await expect(store.accounts.create(newAccount({ emailKey: fresh.emailKey }))).rejects.toEqual(
      new DuplicateError("email"),
    );
  });

  it("fails a transaction cut off half-way fast, and commits none of it", async ({ skip }) => {
    if (!mongo.traits.canKill) skip();
    const [first, second] = [newAccount(), newAccount()];
    const elapsed = await timed(() =>
      store.transaction(async (tx) => {
        await tx.accounts.create(first);
        await mongo.kill();
        await tx.accounts.create(second);
      }),
    );
    expect(elapsed).toBeLessThan(failFastMs);
    await mongo.restart();
    await eventually(() => store.ping());
    expect(await store.accounts.findByUsername(first.username)).toBeNull();
  });
});

describe("transactions that lose a write conflict", () => {
  it("answer STORE_UNAVAILABLE once withTransaction stops retrying, never a raw driver error", async () => {
    const mongo = await startMongo();
    // Two replicas' stores: event appends of each take turns in their own process
    // only, so across them they race for the log's head document.
    const stores = await Promise.all(
      [1, 2].map(() => openMongoStore({ uri: mongo.uri, dbName: mongo.dbName })),
    );
    try {
      const account = { id: "acct-conflicts", username: "conflicts", email: "c@example.com" };
      const outcomes = await Promise.all(
        Array.from({ length: 24 }, (_, n) =>
          (stores[n % 2] as MongoStore)
            .transaction(
              (tx) => tx.events.append([newAccountEvent("account.enabled", account, new Date())]),
              { appendsEvents: true },
            )
            .then(
              () => "committed",
              (error: unknown) =>
                error instanceof AccountError ? error.reason : `raw ${String(error)}`,
            ),
        ),
      );
      // A real replica set retries every conflict (all commit); jongodb sends some
      // without the label that asks for a retry: those must still be a clean answer.
      expect(outcomes.filter((o) => o !== "committed" && o !== "STORE_UNAVAILABLE")).toEqual([]);
      expect(outcomes).toContain("committed");
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await mongo.stop();
    }
  });

  it("recognises the conflict by its code or by the retry label alone", () => {
    const labelled = new MongoServerError({ message: "conflict", code: 251 });
    labelled.addErrorLabel("TransientTransactionError");
    for (const error of [
      new MongoServerError({ message: "write conflict", code: 112 }),
      labelled,
    ]) {
      expect(lostWriteConflict(error)).toMatchObject({ reason: "STORE_UNAVAILABLE", cause: error });
    }
    expect(lostWriteConflict(new MongoServerError({ message: "duplicate", code: 11000 }))).toBe(
      undefined,
    );
    expect(lostWriteConflict(new Error("write conflict"))).toBe(undefined);
  });
});

describe("driver error mapping", () => {
  it("recognises a duplicate key by its code alone, whatever else the server sends", () => {
    const bare = new MongoServerError({ message: "duplicate", code: 11000 });
    expect(isDuplicateKey(bare)).toBe(true);
    expect(isDuplicateKey(new MongoServerError({ message: "legacy", code: 11001 }))).toBe(true);
    expect(isDuplicateKey(new MongoServerError({ message: "write conflict", code: 112 }))).toBe(
      false,
    );
    expect(isDuplicateKey(new Error("E11000 duplicate key"))).toBe(false);
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

/**
 * A store double: the MongoDB store over collections whose duplicate-key errors
 * say nothing but the code (no keyPattern, no keyValue, no index name), as some
 * MongoDB-compatible servers answer. The claim's collection still names the
 * field, so the whole AccountStore contract holds, and a taken username is
 * never an INTERNAL error.
 */
const terseDuplicates: StoreHarness = {
  name: "mongodb, duplicate-key errors without key details",
  async create() {
    const instance = await mongoHarness.create();
    const parts = (instance.store as MongoStore).parts;
    const terse = <C extends object>(collection: C): C =>
      new Proxy(collection, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (prop !== "insertOne" || typeof value !== "function") return value;
          return (...args: unknown[]) =>
            value.apply(target, args).catch((error: unknown) => {
              throw isDuplicateKey(error)
                ? new MongoServerError({ message: "duplicate", code: 11000 })
                : error;
            });
        },
      });
    const collections: Collections = {
      ...parts.collections,
      username_claims: terse(parts.collections.username_claims),
      email_claims: terse(parts.collections.email_claims),
    };
    return { ...instance, store: new MongoStoreClass({ ...parts, collections }) };
  },
};
describeAccountStoreContract(terseDuplicates);
