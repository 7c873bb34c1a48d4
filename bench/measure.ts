import { readFileSync } from "node:fs";
import { fmt } from "./figures.js";
import type { LoadReport, LoadSpec, Workload, WorkloadReport } from "./load.js";
import { waitQuiet } from "./machine.js";
import { logFile, type Server, spawnNode } from "./processes.js";
import { API_KEY, args, CLIENT, PASSWORD, plan } from "./settings.js";

/** Other processes' CPU above this (cores) marks a measurement as disturbed. */
const DISTURBED = 0.15;

export interface Measured extends LoadReport {
  /** Cores used by other processes on the machine during the window. */
  other: number;
}

/** Cores used by other processes during each measurement. */
export const backgrounds: number[] = [];

/**
 * Runs one load-generator process (bench/load.ts) and returns its report. This machine may be
 * shared: a measurement that other processes disturbed is taken again (up to plan.attempts in
 * all), and the least disturbed one is kept.
 */
export async function load(
  workloads: Workload[],
  watchPids: Record<string, number>,
  durationMs = plan.durationMs,
): Promise<Measured> {
  let best: Measured | undefined;
  for (let attempt = 1; attempt <= plan.attempts; attempt++) {
    const report = await loadOnce(workloads, watchPids, durationMs);
    if (!best || report.other < best.other) best = report;
    if (report.other <= DISTURBED) break;
    if (attempt < plan.attempts) {
      console.error(`    disturbed by other work (${report.other.toFixed(2)} cores): again`);
      await waitQuiet(60);
    }
  }
  backgrounds.push((best as Measured).other);
  return best as Measured;
}

async function loadOnce(
  workloads: Workload[],
  watchPids: Record<string, number>,
  durationMs: number,
): Promise<Measured> {
  const began = performance.now();
  const spec: LoadSpec = { warmupMs: plan.warmupMs, durationMs, workloads, watchPids };
  const file = logFile(`load-${workloads.map((w) => w.name).join("+")}`);
  const { exited } = spawnNode("bench/load.ts", [JSON.stringify(spec)], {}, file);
  const code = await exited;
  const output = readFileSync(file, "utf8");
  const line = output.trim().split("\n").pop() ?? "";
  if (code !== 0 || !line.startsWith("{")) {
    throw new Error(`load generator failed (exit ${code}):\n${output.slice(-3000)}`);
  }
  const report = JSON.parse(line) as LoadReport;
  // Failures other than the flood's refusals mean the harness is broken (a dead token, a
  // wrong key, a wrong path), not that the server is slow.
  for (const w of report.workloads) {
    const unexpected = Object.keys(w.errors).filter(
      (code) => !(code === "RESOURCE_EXHAUSTED" && w.name.startsWith("Login flood")),
    );
    if (unexpected.length > 0) {
      throw new Error(`${w.name}: unexpected failures ${JSON.stringify(w.errors)}`);
    }
  }
  // CPU that neither the servers under test nor the generator used: other work on the machine.
  const ours = Object.entries(report.cpu)
    .filter(([label]) => label !== "machine")
    .reduce((sum, [, cores]) => sum + cores, report.generator.cpuCores);
  const background = Math.max(0, (report.cpu.machine ?? ours) - ours);
  const calls = report.workloads.reduce((sum, w) => sum + w.sent, 0);
  const serverUs = serverMicrosPerCall(report);
  for (const w of report.workloads) {
    const errors = Object.entries(w.errors).map(([k, v]) => `${k}=${v}`);
    console.error(
      `  ${w.name.padEnd(40)} ${fmt(w.throughput, 1).padStart(8)}/s  p50 ${fmt(w.latency?.p50 ?? Number.NaN, 2)} ms  p99 ${fmt(w.latency?.p99 ?? Number.NaN, 2)} ms${errors.length ? `  errors ${errors.join(" ")}` : ""}`,
    );
  }
  console.error(
    `    cores: server ${report.cpu.server ?? "?"}${report.cpu.jongodb === undefined ? "" : ` jongodb ${report.cpu.jongodb}`} generator ${report.generator.cpuCores} other ${background.toFixed(2)}; server ${fmt(serverUs)} µs CPU per call (${calls} calls); ${fmt((performance.now() - began) / 1000, 1)} s`,
  );
  return { ...report, other: background };
}

/** Server CPU time per call started in the window: a cost that contention does not inflate much. */
export function serverMicrosPerCall(report: LoadReport): number {
  const calls = report.workloads.reduce((sum, w) => sum + w.sent, 0);
  const cores = report.cpu.server;
  return cores === undefined || calls === 0
    ? Number.NaN
    : (cores * (report.windowMs / 1000) * 1e6) / calls;
}

export const one = (report: LoadReport, index = 0): WorkloadReport => {
  const w = report.workloads[index];
  if (!w) throw new Error("missing workload report");
  return w;
};

/** A gRPC workload on `server` from the Node load generator. */
export const grpc = (
  server: Pick<Server, "url" | "tokens">,
  name: string,
  call: "check" | "verifySession" | "getCurrentUser" | "login",
  loadShape: { concurrency: number } | { rate: number },
): Workload => ({
  name,
  ...loadShape,
  target: {
    kind: "grpc",
    baseUrl: server.url,
    sessions: plan.http2Sessions,
    call,
    tokens: server.tokens,
    apiKey: API_KEY,
    client: args.grpcClient,
    login: { username: "bench", password: PASSWORD, ...CLIENT },
  },
});

/** A workload and the processes whose CPU to sample while it runs. */
export interface Run {
  workload: Workload;
  watch: Record<string, number>;
}

/** Mean throughput and server CPU per call of one workload over its two runs. */
export interface Interleaved {
  throughput: number;
  cost: number;
  reports: Measured[];
}

/**
 * Throughput of several workloads (on one server or on two side by side), run in order and
 * then in reverse (A B B A, A B C C B A) so drift (CPU boost, JIT, other work on the machine)
 * falls on each alike; each figure is the mean of its two runs. Smoke mode runs them once.
 */
export async function interleaved(runs: Run[]): Promise<Interleaved[]> {
  const half = Math.max(200, Math.round(plan.durationMs / 2));
  const first: Measured[] = [];
  for (const r of runs) first.push(await load([r.workload], r.watch, half));
  const second: Measured[] = [...first];
  if (!args.smoke) {
    for (let i = runs.length - 1; i >= 0; i--) {
      const r = runs[i] as Run;
      second[i] = await load([r.workload], r.watch, half);
    }
  }
  return runs.map((_, i) => {
    const x = first[i] as Measured;
    const y = second[i] as Measured;
    return {
      throughput: (one(x).throughput + one(y).throughput) / 2,
      cost: (serverMicrosPerCall(x) + serverMicrosPerCall(y)) / 2,
      reports: args.smoke ? [x] : [x, y],
    };
  });
}

/** A B B A on one server; A is the baseline. */
export async function pair(server: Server, a: Workload, b: Workload) {
  const [x, y] = (await interleaved([
    { workload: a, watch: server.watch },
    { workload: b, watch: server.watch },
  ])) as [Interleaved, Interleaved];
  return {
    a: x.throughput,
    b: y.throughput,
    /** Server CPU µs per call. */
    aCost: x.cost,
    bCost: y.cost,
    reports: [...x.reports, ...y.reports],
  };
}

export type Pair = Awaited<ReturnType<typeof pair>>;

/** The no-op Check, then VerifySession, on one server (A B B A): the pair most groups report. */
export function checkThenVerify(server: Server, label = ""): Promise<Pair> {
  const shape = { concurrency: plan.throughputConcurrency };
  return pair(
    server,
    grpc(server, `Check (no-op)${label}`, "check", shape),
    grpc(server, `VerifySession${label}`, "verifySession", shape),
  );
}
