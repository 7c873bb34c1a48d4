import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Binary, type Db } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INDEXES } from "../../src/adapters/storage/mongodb/collections.js";
import { openMongoStore } from "../../src/adapters/storage/mongodb/index.js";
import {
  type CheckReport,
  checkStore,
  RULES,
  type RuleId,
} from "../../src/ops/store-check/index.js";
import { type MongoHandle, snapshotDatabase, startMongo } from "../support/mongo.js";
import { expectCleanStore } from "../support/store-check.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const PASSWORD = "checker correct horse";
const client = { ip: "192.0.2.31", userAgent: "store-check-test" };
const HOUR = 3_600_000;

/**
 * The invariant checker against a real MongoDB-protocol server: a store the
 * flows wrote is clean; each kind of breakage, seeded by hand, is reported with
 * the record it is about, and nothing else is.
 */
describe("store invariant checker (src/ops/store-check)", () => {
  let mongo: MongoHandle;
  let t: TestServer;
  let db: Db;
  let clean: CheckReport;
  const ids: Record<string, string> = {};
  const id = (name: string): string => ids[name] ?? "";

  beforeAll(async () => {
    mongo = await startMongo();
    const store = await openMongoStore({ uri: mongo.uri, dbName: mongo.dbName });
    t = await startTestServer({
      storeInstance: {
        store,
        mongo,
        isolatesConcurrentTransactions: mongo.traits.isolatesConcurrentWrites,
        snapshot: () => snapshotDatabase(mongo),
        dispose: () => store.close(),
      },
    });
    db = await mongo.db();
    const api = t.client("grpc");
    // Every record kind the flows write: accounts and claims, sessions, device tokens,
    // verification and reset tokens, outbox mail; one account verified, one password changed.
    for (const name of ["alice", "bob", "carol", "dave", "erin"]) {
      const email = `${name}@example.com`;
      const token = await t.mailbox.tokenFrom(email, "verification", () =>
        api.register({ username: name, email, password: PASSWORD, client }),
      );
      const user = (await api.verifyEmail({ token, client })).user;
      ids[name] = user?.id ?? "";
    }
    const login = await api.login({ username: "alice", password: PASSWORD, client });
    await api.changePassword({
      sessionToken: login.sessionToken,
      oldPassword: PASSWORD,
      newPassword: `${PASSWORD} 2`,
    });
    await api.login({ username: "bob", password: PASSWORD, client });
    await api.login({ username: "carol", password: PASSWORD, client });
    await api.sendPasswordReset({ email: "dave@example.com", client });
    const frank = await api.register({
      username: "frank",
      email: "frank@example.com",
      password: PASSWORD,
      client,
    });
    ids.frank = frank.user?.id ?? "";
    await t.settle();
  });
  afterAll(async () => {
    await t?.close();
    await t?.store.dispose();
    await mongo?.stop();
  });

  it("finds nothing broken in a store the flows wrote, having read every record kind", async () => {
    clean = await expectCleanStore(db, "clean store");
    for (const name of [
      "accounts",
      "username_claims",
      "email_claims",
      "sessions",
      "device_tokens",
      "password_resets",
      "email_verifications",
    ]) {
      expect(clean.counts[name], name).toBeGreaterThan(0);
    }
    expect(clean.state.generations[id("alice")]).toBe(1);
  });

  it("reports each seeded breakage, on the record it is about, and nothing else", async () => {
    const now = new Date();
    const later = new Date(now.getTime() + HOUR);
    const ghost = randomUUID();
    const session = await db
      .collection<{ _id: string; account_id: string }>("sessions")
      .findOne({ account_id: id("bob") });
    const session2 = await db
      .collection<{ _id: string; account_id: string }>("sessions")
      .findOne({ account_id: id("carol") });
    const outboxId = randomUUID();
    const deadId = randomUUID();
    const sessionDoc = (id: string) => ({
      _id: id as never,
      public_id: randomUUID(),
      account_id: ghost,
      created_at: now,
      last_active_at: now,
      absolute_expires_at: later,
      expires_at: later,
      ip: client.ip,
      user_agent: "x",
    });
    // One breakage per rule, each on a record of its own.
    await db
      .collection("accounts")
      .updateOne({ _id: id("frank") as never }, { $set: { password_hash: "plain" } });
    await db.collection("username_claims").deleteOne({ _id: "bob" as never });
    await db.collection("email_claims").deleteOne({ _id: "carol@example.com" as never });
    await db.collection("username_claims").insertOne({ _id: "ghost" as never, account_id: ghost });
    await db
      .collection("email_claims")
      .insertOne({ _id: "ghost@example.com" as never, account_id: ghost });
    await db.collection("sessions").insertOne(sessionDoc("orphan-session-hash"));
    const token = (id: string, accountId: string, extra = {}) => ({
      _id: id as never,
      account_id: accountId,
      expires_at: later,
      ...extra,
    });
    await db.collection("email_verifications").insertOne(token("orphan-verification-hash", ghost));
    await db.collection("password_resets").insertOne(token("orphan-reset-hash", ghost));
    await db
      .collection("device_tokens")
      .insertOne({ ...token("orphan-device-hash", ghost), created_at: now, failures: 0 });
    await db
      .collection("sessions")
      .updateOne(
        { _id: session?._id as never },
        { $set: { expires_at: new Date(later.getTime() + 365 * 24 * HOUR) } },
      );
    await db
      .collection("sessions")
      .updateOne({ _id: session2?._id as never }, { $set: { username: "not-carol" } });
    await db
      .collection("email_verifications")
      .insertOne(token("verified-address-hash", id("erin"), { email: "erin@example.com" }));
    await db
      .collection("password_resets")
      .insertOne({ _id: "no-expiry-hash" as never, account_id: id("dave") });
    const mail = (id: string, deadLettered: boolean) => ({
      _id: id as never,
      kind: "verification",
      payload: new Binary(Buffer.from("sealed")),
      attempts: 1,
      next_attempt_at: new Date(now.getTime() - 2 * HOUR),
      lease_until: null,
      created_at: now,
      expires_at: later,
      dead_lettered: deadLettered,
    });
    await db.collection("outbox").insertMany([mail(outboxId, false), mail(deadId, true)]);
    const lapsed = new Date(now.getTime() - HOUR);
    await db
      .collection("outbox_claims")
      .insertOne({ _id: outboxId as never, lease_until: lapsed, expires_at: later });
    await db
      .collection("accounts")
      .updateOne({ _id: id("alice") as never }, { $set: { credential_generation: 0 } });

    const report = await checkStore(db, { previous: clean.state, now });
    const found = report.violations.map((v) => `${v.rule} ${v.collection}/${v.key}`).sort();
    const expected: Record<Exclude<RuleId, "missing-index">, string> = {
      "account-record": `accounts/${id("frank")}`,
      "account-username-claim": `accounts/${id("bob")}`,
      "account-email-claim": `accounts/${id("carol")}`,
      "username-claim-orphan": "username_claims/ghost",
      "email-claim-orphan": "email_claims/(email key)",
      "orphan-session": "sessions/orphan-session-hash",
      "orphan-verification": "email_verifications/orphan-verification-hash",
      "orphan-reset": "password_resets/orphan-reset-hash",
      "orphan-device": "device_tokens/orphan-device-hash",
      "session-times": `sessions/${session?._id}`,
      "session-username": `sessions/${session2?._id}`,
      "verification-of-verified-address": "email_verifications/verified-address-hash",
      "missing-expiry": "password_resets/no-expiry-hash",
      "outbox-dead-lease": `outbox_claims/${outboxId}`,
      "outbox-payload": `outbox/${deadId}`,
      "generation-backwards": `accounts/${id("alice")}`,
    };
    // Every rule has its seeded case (a new rule needs one here too); indexes are the next test's.
    expect([...Object.keys(expected), "missing-index"].sort()).toEqual(
      RULES.map((r) => r.id).sort(),
    );
    expect(found).toEqual(
      Object.entries(expected)
        .map(([rule, at]) => `${rule} ${at}`)
        .sort(),
    );
  });

  it("reports every index start-up would create that is missing (jongodb has no dropIndexes: a database whose collections were made without them)", async () => {
    const bare = (await mongo.db()).client.db(`${mongo.dbName}_bare`);
    await bare
      .collection("device_tokens")
      .insertOne({ _id: "x" as never, account_id: "y", expires_at: new Date() });
    await bare.collection("accounts").createIndex({ disabled: 1, _id: 1 });
    const report = await checkStore(bare);
    const missing = report.violations.filter((v) => v.rule === "missing-index");
    expect(missing.map((v) => `${v.collection}/${v.key}`)).toContain(
      'device_tokens/{"expires_at":1}',
    );
    expect(missing.map((v) => v.collection)).not.toContain("accounts");
    // One per spec in collections.ts INDEXES but the one made above.
    expect(missing).toHaveLength(
      Object.values(INDEXES).reduce((n, specs) => n + specs.length, 0) - 1,
    );
  });

  it("the script prints the violations and exits 1; --state keeps generations for the next run", () => {
    const state = join(mkdtempSync(join(tmpdir(), "uh-check-")), "state.json");
    const run = () =>
      spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "src/ops/check-store.ts",
          mongo.uri,
          "--db",
          mongo.dbName,
          "--state",
          state,
        ],
        { encoding: "utf8", timeout: 60_000 },
      );
    const first = run();
    expect(first.status, first.stderr).toBe(1);
    expect(first.stdout).toMatch(/VIOLATION orphan-session sessions\/orphan-session-hash/);
    // 16 rules broken above, less generation-backwards: the first run has no earlier state.
    expect(first.stdout).toMatch(/store check: 15 violation/);
    expect(JSON.parse(readFileSync(state, "utf8")).generations[id("alice")]).toBe(0);
  });
});
