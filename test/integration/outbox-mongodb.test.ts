import { BSON } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMongoStore } from "../../src/adapters/storage/mongodb/index.js";
import { type MongoHandle, snapshotDatabase, startMongo } from "../support/mongo.js";
import { type SmtpSink, startSmtpSink } from "../support/smtp-sink.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const PASSWORD = "replicated correct horse";
const client = { ip: "192.0.2.90", userAgent: "outbox-test" };
const MAILS = 16;

/** Two server replicas on one MongoDB database share one outbox and one SMTP server. */
describe("the MongoDB outbox under two replicas", () => {
  let mongo: MongoHandle;
  let sink: SmtpSink;
  const replicas: TestServer[] = [];
  const secrets: string[] = [];
  beforeAll(async () => {
    // Each delivery takes 300 ms, so one worker alone needs longer than the other's poll
    // interval for the whole pile: both must take part, however the scheduler favours one.
    [mongo, sink] = await Promise.all([startMongo(), startSmtpSink({ delayMs: 300 })]);
    await sink.stop(); // mail piles up in the outbox first
    const secretKey = "one-secret-key-shared-by-both-replicas-000";
    for (let i = 0; i < 2; i++) {
      const store = await openMongoStore({ uri: mongo.uri, dbName: mongo.dbName });
      replicas.push(
        await startTestServer({
          mail: "configured",
          storeInstance: {
            store,
            mongo,
            isolatesConcurrentTransactions: mongo.traits.isolatesConcurrentWrites,
            snapshot: () => snapshotDatabase(mongo),
            dispose: () => store.close(),
          },
          env: {
            SECRET_KEY: secretKey,
            SMTP_HOST: "127.0.0.1",
            SMTP_PORT: String(sink.port),
            SMTP_REQUIRE_TLS: "false",
            SMTP_TIMEOUT: "500ms",
            MAIL_RETRY_BACKOFF: "100ms",
            MAIL_MAX_ATTEMPTS: "30",
          },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const r of replicas) {
      await r.close();
      await r.store.dispose();
    }
    await sink?.stop();
    await mongo?.stop();
  });

  it("stores only sealed payloads: no token, address or username in the outbox bytes", async () => {
    for (let i = 0; i < MAILS; i++) {
      const replica = replicas[i % 2] as TestServer;
      const username = `replicated-${i}`;
      await replica
        .client("grpc")
        .register({ username, email: `${username}@example.com`, password: PASSWORD, client });
      secrets.push(`${username}@example.com`);
    }
    const outbox = await (await mongo.db()).collection("outbox").find().toArray();
    expect(outbox).toHaveLength(MAILS);
    const bytes = Buffer.concat(outbox.map((doc) => Buffer.from(BSON.serialize(doc)))).toString(
      "latin1",
    );
    expect(bytes).not.toMatch(/uh[vr]_[A-Za-z0-9_-]{43}/);
    for (const secret of [...secrets, "replicated-"]) expect(bytes).not.toContain(secret);
  });

  it("delivers each mail exactly once when both replicas' workers race for it", async () => {
    await sink.start();
    for (const email of secrets) await sink.waitFor(email, 1, 20_000);
    for (const r of replicas) await r.settle();
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for a duplicate to show up
    const recipients = sink.messages.map((m) => [m.to].flat()[0]?.text ?? "").sort();
    expect(recipients).toEqual([...secrets].sort());
    // Both workers took part (each replica logged deliveries).
    for (const r of replicas) expect(r.logs.some((l) => l.includes('"mail.delivered"'))).toBe(true);
  });
});
