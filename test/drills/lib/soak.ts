import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MongoClient } from "mongodb";
import { type CheckReport, checkStore } from "../../../src/ops/store-check/index.js";
import { type Outcome, timed } from "./outcomes.js";
import { type ServerProcess, scrape, startServerProcess } from "./server-process.js";

const client = { ip: "192.0.2.71", userAgent: "soak" };

export interface SoakOptions {
  /** A MongoDB replica set URI and a database name for this run. */
  uri: string;
  dbName: string;
  durationMs: number;
  /** Calls started per second, whatever the answers' pace (open loop). */
  rate: number;
  /** Samples before this are warm-up: growth is measured after it. */
  warmupMs: number;
  sampleEveryMs: number;
  users: number;
  log?: (line: string) => void;
}

export interface SoakSample {
  atS: number;
  rssMiB: number;
  heapMiB: number;
  /** Heap in use after the last major GC (userharbor_heap_after_major_gc_bytes): what is retained. */
  retainedMiB: number;
  /** Event-loop delay p99 over the interval since the previous sample (monitorEventLoopDelay). */
  loopP99Ms: number;
  /**
   * The same measured meanwhile in an idle Node process on the same machine: the delay the
   * machine imposes on any process (CPU contention), which the server's figure includes.
   */
  idleP99Ms: number;
  calls: number;
  errors: number;
}

export interface SoakReport {
  samples: SoakSample[];
  /** Per RPC and outcome ("ok", "error REASON", "no-answer CODE"): counts. */
  outcomes: Map<string, number>;
  unexpected: Array<{ rpc: string; outcome: Outcome }>;
  rssGrowth: number;
  heapGrowth: number;
  loopP99MaxMs: number;
  loopP99MedianMs: number;
  /** Median over intervals of the idle reference process's p99. */
  idleP99MedianMs: number;
  /** Writes skipped because the one writer lane was busy (the reads keep the fixed rate). */
  late: number;
  /** Writes per second the lane did. */
  writesPerS: number;
  check: CheckReport;
}

/** The expected error: a read racing the writer lane's Logout/ChangePassword/ResetPassword of its session. */
const expected = (rpc: string, o: Outcome) =>
  o.kind === "error" && o.reason === "INVALID_SESSION" && rpc === "GetCurrentUser";

interface User {
  name: string;
  password: string;
  tokens: string[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * A mixed workload at a fixed rate against a server process on MongoDB: mostly
 * VerifySession and GetCurrentUser (concurrent), some Login, Register,
 * ChangePassword, Logout, SendPasswordReset, ResetPassword. The writes run one at a
 * time in their own lane: jongodb loses commits made concurrently (see
 * test/drills/jongodb-commits.test.ts), which would be the emulator's failing, not
 * the service's. Samples RSS, heap and event-loop delay from the server's /metrics.
 */
export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const say = o.log ?? (() => {});
  const mailbox = join(mkdtempSync(join(tmpdir(), "uh-soak-")), "mail.jsonl");
  const server: ServerProcess = await startServerProcess(
    { LOG_LEVEL: "warn", MONGODB_URI: o.uri, MONGODB_DB: o.dbName, DEV_MAILBOX_FILE: mailbox },
    undefined,
    ["--expose-gc", "--import", "./test/drills/lib/gc-on-signal.ts"],
  );
  const pid = server.proc.child.pid as number;
  const idle = idleLoopReference();
  const api = server.api;
  try {
    const users: User[] = [];
    for (let i = 0; i < o.users; i++) {
      const user = {
        name: `soak-${i}`,
        password: `soak password number ${i}`,
        tokens: [] as string[],
      };
      await api.register({
        username: user.name,
        email: `${user.name}@soak.example`,
        password: user.password,
        client,
      });
      user.tokens.push(
        (await api.login({ username: user.name, password: user.password, client })).sessionToken,
      );
      users.push(user);
    }
    const outcomes = new Map<string, number>();
    const unexpected: SoakReport["unexpected"] = [];
    let calls = 0;
    let errors = 0;
    const note = (rpc: string, outcome: Outcome) => {
      calls++;
      const key = `${rpc} ${outcome.kind === "ok" ? "ok" : outcome.kind === "error" ? `error ${outcome.reason}` : `no-answer ${outcome.code}`}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      if (outcome.kind !== "ok") {
        errors++;
        if (!expected(rpc, outcome)) unexpected.push({ rpc, outcome });
      }
    };
    const pick = () => users[Math.floor(Math.random() * users.length)] as User;
    const anyToken = (u: User) => u.tokens[Math.floor(Math.random() * u.tokens.length)];
    let registered = 0;
    let resetsAsked = 0;
    const usedTokens = new Set<string>();

    const writes: Array<() => Promise<void>> = [];
    const write = {
      async login() {
        const u = pick();
        const r = await timed(() => api.login({ username: u.name, password: u.password, client }));
        note("Login", r.outcome);
        if (r.value) u.tokens.push(r.value.sessionToken);
      },
      async logout() {
        const u = pick();
        if (u.tokens.length < 2) return write.login();
        const token = u.tokens.shift() as string;
        note("Logout", (await timed(() => api.logout({ sessionToken: token }))).outcome);
      },
      async register() {
        const name = `soak-new-${registered++}`;
        const r = await timed(() =>
          api.register({
            username: name,
            email: `${name}@soak.example`,
            password: `${name} password`,
            client,
          }),
        );
        note("Register", r.outcome);
      },
      async changePassword() {
        const u = pick();
        const token = anyToken(u);
        if (!token) return write.login();
        const next = `${u.password}+`;
        const r = await timed(() =>
          api.changePassword({ sessionToken: token, oldPassword: u.password, newPassword: next }),
        );
        note("ChangePassword", r.outcome);
        if (r.outcome.kind === "ok") {
          u.password = next;
          u.tokens = [token];
        }
      },
      async reset() {
        const u = pick();
        const to = `${u.name}@soak.example`;
        note(
          "SendPasswordReset",
          (await timed(() => api.sendPasswordReset({ email: to, client }))).outcome,
        );
        resetsAsked++;
        // This request's token: the first reset mail to `to` not used yet, once the worker "sent" it.
        const deadline = Date.now() + 5_000;
        let token: string | undefined;
        while (!token && Date.now() < deadline) {
          const lines = existsSync(mailbox) ? readFileSync(mailbox, "utf8").trim().split("\n") : [];
          token = lines
            .map((l) => JSON.parse(l) as { kind: string; to: string; token?: string })
            .find(
              (m) =>
                m.kind === "password_reset" && m.to === to && m.token && !usedTokens.has(m.token),
            )?.token;
          if (!token) await new Promise((resolve) => setTimeout(resolve, 10));
        }
        if (!token) return;
        usedTokens.add(token);
        const next = `${u.password}#`;
        const r = await timed(() =>
          api.resetPassword({ token: token as string, newPassword: next, client }),
        );
        note("ResetPassword", r.outcome);
        if (r.outcome.kind === "ok") {
          u.password = next;
          u.tokens = [];
          await write.login();
        }
      },
    };
    // Per 1,000 calls: 600 VerifySession, 320 GetCurrentUser, then the writer lane's share.
    const weights: Array<[number, () => void]> = [
      [600, () => void read("VerifySession")],
      [320, () => void read("GetCurrentUser")],
      [30, () => writes.push(write.login)],
      [20, () => writes.push(write.logout)],
      [15, () => writes.push(write.register)],
      [10, () => writes.push(write.changePassword)],
      [5, () => writes.push(write.reset)],
    ];
    const inFlight = new Set<Promise<unknown>>();
    const read = (rpc: "VerifySession" | "GetCurrentUser") => {
      const u = pick();
      const token = anyToken(u);
      if (!token) return;
      const call = timed<unknown>(() =>
        rpc === "VerifySession"
          ? api.verifySession({ sessionToken: token })
          : api.getCurrentUser({ sessionToken: token }),
      ).then((r) => note(rpc, r.outcome));
      inFlight.add(call);
      void call.finally(() => inFlight.delete(call));
    };
    let stopped = false;
    let late = 0;
    const writer = (async () => {
      while (!stopped || writes.length > 0) {
        const next = writes.shift();
        if (next) await next();
        else await new Promise((resolve) => setTimeout(resolve, 5));
        // Writes past what one lane keeps up with are skipped (counted), so the lane never falls behind.
        if (writes.length > 20) late += writes.splice(0, writes.length - 20).length;
      }
    })();

    const samples: SoakSample[] = [];
    const started = performance.now();
    await scrape(server); // starts the first event-loop delay interval
    let nextSample = started + o.sampleEveryMs;
    let issued = 0;
    while (performance.now() - started < o.durationMs) {
      const due = Math.floor(((performance.now() - started) / 1000) * o.rate);
      for (; issued < due; issued++) {
        let roll = Math.random() * 1000;
        for (const [weight, start] of weights) {
          roll -= weight;
          if (roll < 0) {
            start();
            break;
          }
        }
      }
      if (performance.now() >= nextSample) {
        nextSample += o.sampleEveryMs;
        process.kill(pid, "SIGUSR2"); // a full collection first (lib/gc-on-signal.ts)
        await new Promise((resolve) => setTimeout(resolve, 250));
        const m = await scrape(server);
        const mib = (name: string) => (m.get(name) ?? Number.NaN) / 2 ** 20;
        const sample: SoakSample = {
          atS: (performance.now() - started) / 1000,
          rssMiB: mib("userharbor_process_resident_memory_bytes"),
          heapMiB: mib("userharbor_nodejs_heap_size_used_bytes"),
          retainedMiB: mib("userharbor_heap_after_major_gc_bytes"),
          loopP99Ms: (m.get("userharbor_nodejs_eventloop_lag_p99_seconds") ?? Number.NaN) * 1000,
          idleP99Ms: idle.p99(),
          calls,
          errors,
        };
        samples.push(sample);
        say(
          `  ${sample.atS.toFixed(0).padStart(4)} s  RSS ${sample.rssMiB.toFixed(1)} MiB  heap ${sample.heapMiB.toFixed(1)} MiB (retained ${sample.retainedMiB.toFixed(1)})  loop p99 ${sample.loopP99Ms.toFixed(1)} ms  ${calls} calls  ${errors} errors`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    stopped = true;
    await writer;
    await Promise.all(inFlight);

    // Quiet: let the outbox drain, then check the store.
    const inspector = new MongoClient(o.uri);
    let check: CheckReport;
    try {
      const db = inspector.db(o.dbName);
      const deadline = Date.now() + 20_000;
      while (
        (await db.collection("outbox").countDocuments({ dead_lettered: false })) > 0 &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      check = await checkStore(db);
    } finally {
      await inspector.close();
    }
    const after = samples.filter((s) => s.atS * 1000 >= o.warmupMs);
    const third = Math.max(1, Math.floor(after.length / 3));
    const first = after.slice(0, third);
    const last = after.slice(-third);
    // RSS: medians of the first and last third after warm-up. Heap: the heap retained after the
    // full collection run before each sample (heap used at a random moment swings with garbage).
    const rssGrowth = median(last.map((s) => s.rssMiB)) / median(first.map((s) => s.rssMiB)) - 1;
    const heapGrowth =
      median(last.map((s) => s.retainedMiB)) / median(first.map((s) => s.retainedMiB)) - 1;
    const written = [...outcomes]
      .filter(([k]) => !k.startsWith("VerifySession") && !k.startsWith("GetCurrentUser"))
      .reduce((n, [, c]) => n + c, 0);
    say(`  resets asked ${resetsAsked}, registrations ${registered}`);
    return {
      samples,
      outcomes,
      unexpected,
      rssGrowth,
      heapGrowth,
      loopP99MaxMs: Math.max(...after.map((s) => s.loopP99Ms)),
      loopP99MedianMs: median(after.map((s) => s.loopP99Ms)),
      idleP99MedianMs: median(after.map((s) => s.idleP99Ms)),
      late,
      writesPerS: written / (o.durationMs / 1000),
      check,
    };
  } finally {
    idle.stop();
    await server.stop();
  }
}

/**
 * An idle Node process measuring its own event-loop delay p99 (same resolution as the
 * server's prom-client monitor, 10 ms); `p99()` is the delay since the previous call.
 */
function idleLoopReference(): { p99(): number; stop(): void } {
  const script = `
    const { monitorEventLoopDelay } = require("node:perf_hooks");
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    process.stdin.on("data", () => { process.stdout.write(\`\${h.percentile(99) / 1e6}\\n\`); h.reset(); });`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "ignore"] });
  let last = Number.NaN;
  child.stdout.on("data", (chunk: Buffer) => {
    last = Number(chunk.toString().trim().split("\n").at(-1));
  });
  const ask = () => child.stdin.write("?\n");
  ask();
  return {
    p99() {
      const value = last;
      ask(); // the next interval starts now; its answer arrives before the next sample
      return value;
    },
    stop: () => child.kill(),
  };
}

/** The samples as a Markdown table (bench output, docs/performance.md). */
export function soakTable(samples: SoakSample[]): string {
  const rows = samples.map(
    (s) =>
      `| ${s.atS.toFixed(0)} | ${s.rssMiB.toFixed(1)} | ${s.heapMiB.toFixed(1)} | ${s.retainedMiB.toFixed(1)} | ${s.loopP99Ms.toFixed(1)} | ${s.idleP99Ms.toFixed(1)} | ${s.calls} | ${s.errors} |`,
  );
  return [
    "| t (s) | RSS (MiB) | heap used (MiB) | heap after major GC (MiB) | event-loop p99 (ms) | idle process's p99 (ms) | calls | errors |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** A small SVG line chart of RSS and heap over time. */
export function soakSvg(samples: SoakSample[], title: string): string {
  const w = 640;
  const h = 240;
  const pad = 40;
  const maxT = Math.max(...samples.map((s) => s.atS), 1);
  const maxY = Math.max(...samples.map((s) => s.rssMiB), 1) * 1.1;
  const x = (t: number) => pad + ((w - 2 * pad) * t) / maxT;
  const y = (v: number) => h - pad - ((h - 2 * pad) * v) / maxY;
  const line = (pick: (s: SoakSample) => number, color: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${samples.map((s) => `${x(s.atS).toFixed(1)},${y(pick(s)).toFixed(1)}`).join(" ")}"/>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="11">`,
    `<title>${title}: RSS, heap used and heap after a full GC (MiB) over time</title>`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${pad}" y="16">${title}</text>`,
    `<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="black"/>`,
    `<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}" stroke="black"/>`,
    `<text x="${w - pad}" y="${h - pad + 16}" text-anchor="end">${maxT.toFixed(0)} s</text>`,
    `<text x="${pad - 4}" y="${pad}" text-anchor="end">${maxY.toFixed(0)}</text>`,
    `<text x="${pad - 4}" y="${h - pad}" text-anchor="end">0 MiB</text>`,
    line((s) => s.rssMiB, "#1f77b4"),
    line((s) => s.heapMiB, "#d62728"),
    line((s) => s.retainedMiB, "#2ca02c"),
    `<text x="${w - pad}" y="${pad}" text-anchor="end" fill="#1f77b4">RSS</text>`,
    `<text x="${w - pad}" y="${pad + 14}" text-anchor="end" fill="#d62728">heap used</text>`,
    `<text x="${w - pad}" y="${pad + 28}" text-anchor="end" fill="#2ca02c">heap after major GC</text>`,
    "</svg>",
  ].join("\n");
}
