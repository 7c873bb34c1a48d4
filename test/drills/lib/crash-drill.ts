import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ParsedMail } from "mailparser";
import type { Db } from "mongodb";
import type { MongoHandle } from "../../support/mongo.js";
import { freePort } from "../../support/processes.js";
import type { SmtpSink } from "../../support/smtp-sink.js";
import { type Outcome, timed } from "./outcomes.js";
import { type ServerProcess, startServerProcess } from "./server-process.js";
import { has, readWriteLog, type WriteLog } from "./write-log.js";

const PASSWORD = "crash drill correct horse";
const client = { ip: "192.0.2.41", userAgent: "crash-drill" };

export interface CrashDrillOptions {
  mongo: MongoHandle;
  sink: SmtpSink;
  registrations: number;
  resets: number;
  /** Accounts made before the burst, whose addresses the resets go to. */
  seeded: number;
  /** Kill once this many registrations were acknowledged (and a mail reply is held). */
  killAfter: number;
  concurrency: number;
}

interface Op {
  kind: "register" | "reset" | "register-taken";
  username: string;
  email: string;
  outcome?: Outcome;
  accountId?: string;
  /** Sent to the server that was killed. */
  beforeKill?: boolean;
}

export interface CrashReport {
  backend: string;
  ops: Op[];
  log: WriteLog;
  /** Acknowledged Registers whose account is in the store. */
  durable: string[];
  /** Acknowledged Registers with no account: committed per the write log and never deleted by us? */
  lost: Array<{ email: string; id: string; committed: boolean; deletedByUs: boolean }>;
  /** Mails the sink took whole while the server was killed (their 250 never reached it). */
  inFlightAtKill: ParsedMail[];
  /** Message-IDs of outbox mails committed per the write log. */
  committedMail: Set<string>;
  /** Per Message-ID, copies the sink acknowledged with 250. */
  delivered: Map<string, ParsedMail[]>;
  /** Committed outbox mail never delivered: deleted by our code (a bug) or gone without a delete (the database). */
  undelivered: Array<{ id: string; deletedByUs: boolean }>;
  deadLettered: number;
  /** The killed server's answers: seconds from start to kill. */
  killedAtMs: number;
  restartMs: number;
}

/** `<outbox id@domain>` -> outbox id. */
const mailIdOf = (mail: ParsedMail) => /^<([^@>]+)@/.exec(mail.messageId ?? "")?.[1] ?? "";

async function waitDrained(db: Db, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await db.collection("outbox").countDocuments({ dead_lettered: false })) > 0) {
    if (Date.now() > deadline) throw new Error(`outbox not drained in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * A burst of Register and SendPasswordReset calls; SIGKILL to the server once
 * `killAfter` registrations were acknowledged while the SMTP sink holds the
 * reply to a DATA (so a mail is in flight at every kill); restart on the same
 * database; the rest of the burst; drain the outbox. Returns what happened;
 * the test (or the bench) judges it.
 */
export async function runCrashDrill(o: CrashDrillOptions): Promise<CrashReport> {
  const writeLog = join(mkdtempSync(join(tmpdir(), "uh-crash-")), "writes.jsonl");
  const port = await freePort();
  const env = {
    MONGODB_URI: o.mongo.uri,
    MONGODB_DB: o.mongo.dbName,
    MONGODB_WRITE_LOG: writeLog,
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(o.sink.port),
    SMTP_REQUIRE_TLS: "false",
    SMTP_TIMEOUT: "5s",
    MAIL_FROM: "Accounts <accounts@drill.example>",
    MAIL_LEASE: "2s",
    MAIL_RETRY_BACKOFF: "200ms",
    MAIL_MAX_ATTEMPTS: "50",
    METRICS_ENABLED: "false",
  };
  let server: ServerProcess = await startServerProcess(env, port);
  const started = performance.now();
  const seededEmails = Array.from({ length: o.seeded }, (_, i) => `seed-${i}@drill.example`);
  for (const [i, email] of seededEmails.entries()) {
    await server.api.register({ username: `seed-${i}`, email, password: PASSWORD, client });
  }
  for (const email of seededEmails) await o.sink.waitFor(email, 1, 20_000);

  const ops: Op[] = [];
  for (let i = 0; i < Math.max(o.registrations, o.resets); i++) {
    if (i < o.registrations) {
      // Every tenth registration reuses a seeded username: answered USERNAME_TAKEN, must write nothing.
      const taken = i % 10 === 9;
      ops.push({
        kind: taken ? "register-taken" : "register",
        username: taken ? `seed-${i % o.seeded}` : `burst-${i}`,
        email: `burst-${i}@drill.example`,
      });
    }
    if (i < o.resets)
      ops.push({ kind: "reset", username: "", email: seededEmails[i % o.seeded] ?? "" });
  }

  const release = o.sink.holdReplies();
  let next = 0;
  let killing = false;
  const acked = () =>
    ops.filter((op) => op.kind === "register" && op.outcome?.kind === "ok").length;
  const worker = async () => {
    while (!killing && next < ops.length) {
      const op = ops[next++] as Op;
      op.beforeKill = true;
      const api = server.api;
      const r = await timed(async () => {
        if (op.kind === "reset") {
          await api.sendPasswordReset({ email: op.email, client });
          return "";
        }
        const answer = { username: op.username, email: op.email, password: PASSWORD, client };
        return (await api.register(answer)).user?.id ?? "";
      });
      op.outcome = r.outcome;
      if (r.value) op.accountId = r.value;
    }
  };
  const workers = Array.from({ length: o.concurrency }, worker);
  const deadline = Date.now() + 60_000;
  while ((acked() < o.killAfter || o.sink.held.length === 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (o.sink.held.length === 0) throw new Error("no mail reply was held at the kill");
  killing = true;
  await server.kill();
  const killedAtMs = performance.now() - started;
  await Promise.all(workers);
  // The killed server's connection is gone: what the sink was holding was never acknowledged.
  await new Promise((resolve) => setTimeout(resolve, 300));
  release();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const inFlightAtKill = [...o.sink.unacknowledged];

  const restarting = performance.now();
  server = await startServerProcess(env, port);
  const restartMs = performance.now() - restarting;
  killing = false;
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const db = await o.mongo.db();
  await waitDrained(db, 60_000);
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // room for a late copy
  await server.stop();

  const log = readWriteLog(writeLog);
  const ids = new Set(
    (
      await db
        .collection("accounts")
        .find({}, { projection: { _id: 1 } })
        .toArray()
    ).map((d) => d._id as unknown as string),
  );
  const durable: string[] = [];
  const lost: CrashReport["lost"] = [];
  for (const op of ops) {
    if (op.kind !== "register" || op.outcome?.kind !== "ok" || !op.accountId) continue;
    if (ids.has(op.accountId)) durable.push(op.accountId);
    else
      lost.push({
        email: op.email,
        id: op.accountId,
        committed: has(log.committedInserts, "accounts", op.accountId),
        deletedByUs: has(log.deletes, "accounts", op.accountId),
      });
  }
  const delivered = new Map<string, ParsedMail[]>();
  for (const mail of o.sink.messages) {
    const id = mailIdOf(mail);
    delivered.set(id, [...(delivered.get(id) ?? []), mail]);
  }
  const committedMail = log.committedInserts.get("outbox") ?? new Set<string>();
  const undelivered = [...committedMail]
    .filter((id) => !delivered.has(id))
    .map((id) => ({ id, deletedByUs: has(log.deletes, "outbox", id) }));
  return {
    backend: o.mongo.backend,
    ops,
    log,
    durable,
    lost,
    inFlightAtKill,
    committedMail,
    delivered,
    undelivered,
    deadLettered: await db.collection("outbox").countDocuments({ dead_lettered: true }),
    killedAtMs,
    restartMs,
  };
}

export { mailIdOf };
