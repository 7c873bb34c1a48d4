import http2 from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { VerifySessionRequestSchema } from "@userharbor/client";
import { atLeast, figure, fmt, type Latencies, median, phase, ratioOf, raw } from "../figures.js";
import { findH2load, h2load } from "../h2load.js";
import { envelope, processCpuSeconds } from "../load.js";
import { grpc, load, one, serverMicrosPerCall } from "../measure.js";
import { type Child, startBaseline, startUserHarbor } from "../processes.js";
import { API_KEY, args, plan } from "../settings.js";

/**
 * gRPC unary against its own floor (issue 15): in one run, alternating servers, the same
 * request frame to
 *  - bare node:http2 answering a fixed gRPC frame (the floor),
 *  - @grpc/grpc-js with a no-op handler,
 *  - this service: Check (no-op), VerifySession, GetCurrentUser (memory store), served by
 *    the direct gRPC path, and the same three through connect-node (GRPC_FAST_PATH=false,
 *    the path every call took before),
 * driven by h2load (-c 4 -m 32 for throughput, -c 1 -m 1 for latency), or by the Node load
 * generator when h2load is missing.
 */

interface Target {
  name: string;
  url: string;
  path: string;
  frame: Uint8Array;
  call: "check" | "verifySession" | "getCurrentUser";
  tokens: string[];
  watch: Record<string, number>;
  /** Body bytes of one good answer, from the call `assertAnswersOk` makes first. */
  answerBytes?: number;
}

interface Result {
  name: string;
  callsPerSecond: number[];
  /** Server CPU µs per call, per run (h2load runs only; NaN where /proc is missing). */
  cpuMicros: number[];
  latency: Latencies | null;
}

const PATHS: Record<Target["call"], string> = {
  check: "/grpc.health.v1.Health/Check",
  verifySession: "/userharbor.v1.AccountService/VerifySession",
  getCurrentUser: "/userharbor.v1.AccountService/GetCurrentUser",
};

export async function transportGroup(): Promise<void> {
  const bin = findH2load();
  phase(
    bin
      ? `gRPC unary vs its floor: h2load (${bin}), ${plan.h2load.throughputMs / 1000} s at -c 4 -m 32 per server and round, latency ${plan.h2load.latencyMs / 1000} s at -c 1 -m 1`
      : "gRPC unary vs its floor: h2load NOT FOUND (Debian: apt-get install nghttp2-client); FALLING BACK to the Node load generator, figures not comparable with h2load's",
  );
  const started: Child[] = [];
  try {
    const floor = await startBaseline("h2-floor");
    started.push(floor);
    const grpcJs = await startBaseline("grpc-js-noop");
    started.push(grpcJs);
    const fast = await startUserHarbor("transport-fast", {}, 1);
    started.push(fast);
    const before = await startUserHarbor("transport-connect", { GRPC_FAST_PATH: "false" }, 1);
    started.push(before);
    // The same request frame for VerifySession and GetCurrentUser (session_token = 1).
    const tokenFrame = (token: string) =>
      envelope(
        toBinary(
          VerifySessionRequestSchema,
          create(VerifySessionRequestSchema, { sessionToken: token }),
        ),
      );
    const on = (
      name: string,
      s: { url: string; watch: Record<string, number>; tokens?: string[] },
      call: Target["call"],
    ): Target => {
      const tokens = s.tokens ?? ["x"];
      return {
        name,
        url: s.url,
        path: PATHS[call],
        frame: call === "check" ? envelope(new Uint8Array()) : tokenFrame(tokens[0] ?? ""),
        call,
        tokens,
        watch: s.watch,
      };
    };
    const service = (label: string, s: typeof fast): Target[] => [
      on(`${label} Check (no-op)`, s, "check"),
      on(`${label} VerifySession`, s, "verifySession"),
      on(`${label} GetCurrentUser`, s, "getCurrentUser"),
    ];
    const targets: Target[] = [
      on("floor: node:http2, fixed frame", floor, "verifySession"),
      on("grpc-js no-op", grpcJs, "verifySession"),
      ...service("ours", fast),
      ...service("ours via connect-node", before),
    ];
    const results = new Map<string, Result>(
      targets.map((t) => [
        t.name,
        { name: t.name, callsPerSecond: [], cpuMicros: [], latency: null },
      ]),
    );
    for (const t of targets) await assertAnswersOk(t);
    // In order, reversed, in order, reversed: each server's runs spread over the whole window.
    const reversed = [...targets].reverse();
    const rounds = args.smoke ? [targets] : [targets, reversed, targets, reversed];
    for (const round of rounds) {
      for (const t of round) {
        const r = results.get(t.name) as Result;
        const { callsPerSecond, cpuMicros } = await throughput(bin, t);
        r.callsPerSecond.push(callsPerSecond);
        r.cpuMicros.push(cpuMicros);
      }
    }
    for (const t of targets) (results.get(t.name) as Result).latency = await latency(bin, t);
    report([...results.values()], Boolean(bin));
  } finally {
    for (const child of started.reverse()) await child.stop();
  }
}

/**
 * One h2load run of `t`'s frame at the given shape; every call must get HTTP 200 and, on
 * average, a body as long as the good answer's: gRPC errors travel as HTTP 200 without one
 * (and VerifySession's "not valid" answer is 5 bytes), so a run of refusals cannot pass
 * for calls. The slack covers calls still in flight when h2load stops.
 */
async function h2Run(
  bin: string,
  t: Target,
  shape: { durationMs: number; clients: number; streams: number; warmupMs?: number },
  check = true,
) {
  const run = await h2load(bin, {
    url: `${t.url}${t.path}`,
    frame: t.frame,
    warmupMs: plan.h2load.warmupMs,
    headers: { authorization: `Bearer ${API_KEY}` },
    ...shape,
  });
  if (check && (run.failed > 0 || run.succeeded === 0)) {
    throw new Error(
      `${t.name}: h2load calls failed (${run.failed} of ${run.succeeded + run.failed})`,
    );
  }
  const expected = (t.answerBytes ?? 0) * run.succeeded;
  if (check && run.dataBytes < 0.9 * expected) {
    throw new Error(
      `${t.name}: answers carried ${run.dataBytes} body bytes, ${expected} expected for ${run.succeeded} good answers (gRPC errors under load?)`,
    );
  }
  return run;
}

/**
 * h2load counts HTTP statuses only, and gRPC errors travel as HTTP 200: one call first, read
 * with node:http2, must end with grpc-status 0, or the run would time error answers.
 */
async function assertAnswersOk(t: Target): Promise<void> {
  const session = http2.connect(t.url);
  try {
    const { status, bytes } = await new Promise<{ status: string | undefined; bytes: number }>(
      (resolve, reject) => {
        const req = session.request({
          ":method": "POST",
          ":path": t.path,
          "content-type": "application/grpc",
          te: "trailers",
          authorization: `Bearer ${API_KEY}`,
        });
        let status: string | undefined;
        let bytes = 0;
        req.on("response", (h) => {
          status = (h["grpc-status"] as string | undefined) ?? status;
        });
        req.on("trailers", (h) => {
          status = (h["grpc-status"] as string | undefined) ?? status;
        });
        req.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        req.on("error", reject);
        req.on("close", () => resolve({ status, bytes }));
        req.end(t.frame);
      },
    );
    if (status !== "0") throw new Error(`${t.name}: answered grpc-status ${status}, not 0`);
    if (bytes < 5) throw new Error(`${t.name}: answered grpc-status 0 without a message`);
    t.answerBytes = bytes;
  } finally {
    session.close();
  }
}

/**
 * Calls per second at -c 4 -m 32, and the server's CPU time per call over the same window: the
 * throughput ratio moves with what else the shared cores run, the CPU per call much less.
 */
async function throughput(
  bin: string | undefined,
  t: Target,
): Promise<{ callsPerSecond: number; cpuMicros: number }> {
  if (bin) {
    const shape = { clients: 4, streams: 32 };
    await h2Run(bin, t, { ...shape, durationMs: plan.h2load.warmupMs, warmupMs: 0 }, false);
    const pid = t.watch.server as number;
    const cpuSeconds = () => processCpuSeconds(pid) ?? Number.NaN; // NaN where /proc is missing
    const before = cpuSeconds();
    const run = await h2Run(bin, t, {
      ...shape,
      durationMs: plan.h2load.throughputMs,
      warmupMs: 0,
    });
    const cpuMicros = ((cpuSeconds() - before) * 1e6) / (run.succeeded || Number.NaN);
    console.error(
      `  ${t.name.padEnd(40)} ${fmt(run.callsPerSecond).padStart(8)}/s  ${fmt(cpuMicros).padStart(5)} µs server CPU per call`,
    );
    return { callsPerSecond: run.callsPerSecond, cpuMicros };
  }
  const measured = await load(
    [grpc(t, t.name, t.call, { concurrency: 4 * 32 })],
    t.watch,
    Math.round(plan.durationMs / 2),
  );
  return { callsPerSecond: one(measured).throughput, cpuMicros: serverMicrosPerCall(measured) };
}

async function latency(bin: string | undefined, t: Target): Promise<Latencies | null> {
  if (bin) {
    const run = await h2Run(bin, t, { durationMs: plan.h2load.latencyMs, clients: 1, streams: 1 });
    return run.latency;
  }
  const measured = await load(
    [grpc(t, `${t.name} @1`, t.call, { concurrency: 1 })],
    t.watch,
    Math.round(plan.durationMs / 4),
  );
  return one(measured).latency;
}

/** Medians of the rounds: a burst of outside work on the shared cores moves one run, not them. */
function report(results: Result[], h2: boolean): void {
  const by = (name: string) => results.find((r) => r.name === name) as Result;
  const floor = median(by("floor: node:http2, fixed frame").callsPerSecond);
  const grpcJs = median(by("grpc-js no-op").callsPerSecond);
  const floorCpu = median(by("floor: node:http2, fixed frame").cpuMicros);
  const grpcJsCpu = median(by("grpc-js no-op").cpuMicros);
  const cpu = (name: string) => median(by(name).cpuMicros);
  const rows = results.map((r) => {
    const rate = median(r.callsPerSecond);
    return {
      server: r.name,
      callsPerSecond: Math.round(rate),
      runs: r.callsPerSecond.map(Math.round),
      cpuMicrosPerCall: median(r.cpuMicros),
      vsFloor: ratioOf(rate, floor),
      vsGrpcJs: ratioOf(rate, grpcJs),
      p50Ms: r.latency?.p50 ?? null,
      p99Ms: r.latency?.p99 ?? null,
    };
  });
  raw.transport = { generator: h2 ? "h2load" : "bench/load.ts (h2load missing)", rows };
  console.error(
    `\n  ${"server".padEnd(40)} ${"calls/s".padStart(8)}  ÷floor  ÷grpc-js  CPU µs/call  p50 ms  p99 ms (concurrency 1)`,
  );
  for (const r of rows) {
    console.error(
      `  ${r.server.padEnd(40)} ${fmt(r.callsPerSecond).padStart(8)}  ${fmt(r.vsFloor ?? Number.NaN, 2).padStart(6)}  ${fmt(r.vsGrpcJs ?? Number.NaN, 2).padStart(8)}  ${fmt(r.cpuMicrosPerCall).padStart(11)}  ${fmt(r.p50Ms ?? Number.NaN, 3).padStart(6)}  ${fmt(r.p99Ms ?? Number.NaN, 3).padStart(6)}`,
    );
  }
  const generator = h2 ? "h2load" : "Node generator (h2load missing)";
  for (const rpc of ["VerifySession", "GetCurrentUser"]) {
    const ours = median(by(`ours ${rpc}`).callsPerSecond);
    const old = median(by(`ours via connect-node ${rpc}`).callsPerSecond);
    const lat = by(`ours ${rpc}`).latency;
    const ourCpu = cpu(`ours ${rpc}`);
    const oldCpu = cpu(`ours via connect-node ${rpc}`);
    const costs = `server CPU per call ${fmt(ourCpu)} µs vs grpc-js ${fmt(grpcJsCpu)} µs, floor ${fmt(floorCpu)} µs (cost ratios ${fmt(grpcJsCpu / ourCpu, 2)} and ${fmt(floorCpu / ourCpu, 2)}); before ${fmt(oldCpu)} µs`;
    const note = `${generator}; ${costs}; before (connect-node) ${fmt(old)}/s = ${fmt(ratioOf(old, grpcJs) ?? Number.NaN, 2)}x grpc-js, ${fmt(ratioOf(old, floor) ?? Number.NaN, 2)}x floor; at concurrency 1 p50 ${fmt(lat?.p50 ?? Number.NaN, 3)} ms, p99 ${fmt(lat?.p99 ?? Number.NaN, 3)} ms`;
    atLeast(
      {
        id: `grpc_${rpc.toLowerCase()}_vs_grpcjs`,
        metric: `${rpc} (gRPC, memory) ÷ grpc-js no-op`,
        ours: `${fmt(ours)}/s`,
        baseline: `${fmt(grpcJs)}/s`,
        a: ours,
        b: grpcJs,
        note,
      },
      0.5,
    );
    atLeast(
      {
        id: `grpc_${rpc.toLowerCase()}_vs_floor`,
        metric: `${rpc} (gRPC, memory) ÷ node:http2 floor`,
        ours: `${fmt(ours)}/s`,
        baseline: `${fmt(floor)}/s`,
        a: ours,
        b: floor,
      },
      0.35,
    );
  }
  const check = median(by("ours Check (no-op)").callsPerSecond);
  figure({
    id: "grpc_check_vs_grpcjs",
    metric: "Check (gRPC no-op) ÷ grpc-js no-op",
    ours: `${fmt(check)}/s`,
    baseline: `${fmt(grpcJs)}/s`,
    ratio: ratioOf(check, grpcJs),
    target: "(info)",
    met: null,
  });
}
