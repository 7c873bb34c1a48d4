import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AccountService } from "@userharbor/client";
import { AdminService } from "@userharbor/client/userharbor/v1/admin_pb.js";
import { AccountEventsService } from "@userharbor/client/userharbor/v1/events_pb.js";
import { figure, fmt, latencies, phase, raw } from "../figures.js";
import { type Server, startMongo, startUserHarbor } from "../processes.js";
import { API_KEY, args, CLIENT, PASSWORD } from "../settings.js";

const headers = { authorization: `Bearer ${API_KEY}` };

/**
 * Account events: how long an event takes from its commit to an open watcher,
 * when the watcher is on the replica that wrote it (woken in-process) and on
 * another replica of the same MongoDB (it polls the log's head every 200 ms),
 * and how many event-writing changes per second the one head document lets
 * through. The changes are an operator's DisableAccount and EnableAccount, in
 * turn (each writes one event and hashes nothing). Latency is measured from the event's own time (stamped inside the
 * transaction, so just before commit) to its arrival at the watcher, on one
 * machine's clock.
 */
export async function eventsGroup(): Promise<void> {
  const count = args.smoke ? 15 : 300;
  phase("account events: memory store, watcher on the writing replica");
  const memory = await startUserHarbor("events-memory", {}, 0);
  try {
    const local = await commitToWatcher(memory, memory, count);
    raw.eventsLocal = local;
    latencyFigure("event_latency_local", "event commit -> Watch, same replica (memory)", local);
    const rate = await writeRate(memory, args.smoke ? 1 : 5);
    raw.eventsWriteRate = rate;
    figure({
      id: "event_writes_memory",
      metric: "event-writing changes/s (Disable/EnableAccount x8 in flight, memory)",
      ours: `${fmt(rate)}/s`,
      baseline: "-",
      ratio: null,
      target: "informational",
      met: null,
    });
  } finally {
    await memory.stop();
  }

  const mongo = await startMongo();
  phase(`account events: two replicas on one MongoDB (${mongo.backend})`);
  const db = { MONGODB_URI: mongo.uri, MONGODB_DB: `uh_bench_events_${process.pid}` };
  try {
    const writer = await startUserHarbor("events-writer", db, 0, "writer");
    const reader = await startUserHarbor("events-reader", db, 0, "reader");
    try {
      const cross = await commitToWatcher(writer, reader, args.smoke ? 10 : 100);
      raw.eventsCrossReplica = cross;
      latencyFigure(
        "event_latency_cross_replica",
        `event commit -> Watch, other replica (MongoDB: ${mongo.backend})`,
        cross,
      );
      // jongodb fails conflicting transactions instead of retrying them: one writer at a time there.
      const inFlight = mongo.backend === "jongodb" ? 1 : 8;
      const rate = await writeRate(writer, args.smoke ? 1 : 5, inFlight);
      raw.eventsWriteRateMongo = { rate, inFlight };
      figure({
        id: "event_writes_mongodb",
        metric: `event-writing changes/s (Disable/EnableAccount x${inFlight} in flight, MongoDB: ${mongo.backend})`,
        ours: `${fmt(rate)}/s`,
        baseline: "-",
        ratio: null,
        target: "informational",
        met: null,
        note: "every event-writing transaction increments the one head document",
      });
    } finally {
      await reader.stop();
      await writer.stop();
    }
  } finally {
    await mongo.stop();
  }
}

function latencyFigure(id: string, metric: string, ms: number[]) {
  const l = latencies(ms);
  figure({
    id,
    metric,
    ours: l ? `p50 ${fmt(l.p50, 1)} ms, p99 ${fmt(l.p99, 1)} ms (${ms.length} events)` : "-",
    baseline: "-",
    ratio: null,
    target: "p99 < 1000 ms",
    met: l ? l.p99 < 1000 : null,
  });
}

function clients(server: Server) {
  const transport = createGrpcTransport({ baseUrl: server.url });
  return {
    accounts: createClient(AccountService, transport),
    admin: createClient(AdminService, transport),
    events: createClient(AccountEventsService, transport),
  };
}

/** One event at a time on `writer` (an operator's DisableAccount or EnableAccount), each timed to its arrival at `reader`'s watcher. */
async function commitToWatcher(writer: Server, reader: Server, count: number): Promise<number[]> {
  const w = clients(writer);
  const r = clients(reader);
  const [id] = await accountsOn(writer, 1);
  const controller = new AbortController();
  const arrivals: number[] = [];
  let arrived: (() => void) | undefined;
  const stream = r.events.watchAccountEvents(
    { types: ["account.disabled", "account.enabled"] },
    { headers, signal: controller.signal },
  );
  const reading = (async () => {
    for await (const { event } of stream) {
      if (!event?.time) continue;
      const committed = Number(event.time.seconds) * 1000 + event.time.nanos / 1e6;
      arrivals.push(Date.now() - committed);
      arrived?.();
    }
  })().catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, 300)); // the stream is open
  for (let i = 0; i < count; i++) {
    const next = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    await flip(w, id as string, i);
    await Promise.race([next, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    // Spread the writes over the cross-replica poll interval instead of chasing it.
    await new Promise((resolve) => setTimeout(resolve, 7 + (i % 13) * 17));
  }
  controller.abort();
  await reading;
  return arrivals;
}

/** The i-th change of an account: disable on even turns, enable on odd ones (each writes an event). */
function flip(c: ReturnType<typeof clients>, accountId: string, i: number) {
  return i % 2 === 0
    ? c.admin.disableAccount({ accountId, reason: "bench" }, { headers })
    : c.admin.enableAccount({ accountId }, { headers });
}

/** `n` fresh accounts on `server`, by id (one at a time: each Register hashes a password). */
async function accountsOn(server: Server, n: number): Promise<string[]> {
  const c = clients(server);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const username = `${server.username}-ev${i}-${Math.random().toString(36).slice(2, 8)}`;
    const { user } = await c.accounts.register(
      { username, email: `${username}@example.com`, password: PASSWORD, client: CLIENT },
      { headers },
    );
    ids.push(user?.id as string);
  }
  return ids;
}

/** Event-writing changes per second for `seconds`, `inFlight` at a time (one account each). */
async function writeRate(server: Server, seconds: number, inFlight = 8): Promise<number> {
  const c = clients(server);
  const ids = await accountsOn(server, inFlight);
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    ids.map(async (id) => {
      for (let i = 0; performance.now() < until; i++) {
        await flip(c, id, i);
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}
