import { readFileSync } from "node:fs";
import type { AssertionReport, AssertionSpec, WayReport } from "../assertion-check.js";
import { figure, fmt, phase, ratioOf, raw } from "../figures.js";
import { logFile, spawnNode, startUserHarbor } from "../processes.js";
import { API_KEY, plan } from "../settings.js";

/**
 * Session assertions (issue 28): what a backend pays per session check, three ways, measured
 * by one backend process (bench/assertion-check.ts) against the real server in its own
 * process: (a) a VerifySession RPC (backend + server CPU), (b) a local verify of a fresh
 * assertion with the TypeScript verifier, cache off, (c) a repeated check its cache answers.
 */
export async function assertionGroup(): Promise<void> {
  phase("session assertions: VerifySession RPC vs local verification (@userharbor/sdk)");
  const server = await startUserHarbor("assertion", {}, plan.seedSessions);
  try {
    const spec: AssertionSpec = {
      url: server.url,
      apiKey: API_KEY,
      tokens: server.tokens,
      serverPid: server.pid,
      warmupMs: plan.warmupMs,
      durationMs: plan.durationMs,
      concurrency: 16,
    };
    const file = logFile("assertion-check");
    const { exited } = spawnNode("bench/assertion-check.ts", [JSON.stringify(spec)], {}, file);
    const code = await exited;
    const output = readFileSync(file, "utf8");
    const line = output.trim().split("\n").pop() ?? "";
    if (code !== 0 || !line.startsWith("{")) {
      throw new Error(`assertion-check failed (exit ${code}):\n${output.slice(-3000)}`);
    }
    const report = JSON.parse(line) as AssertionReport;
    raw.assertion = report;
    for (const [name, way] of Object.entries({
      "(a) VerifySession RPC": report.rpc,
      "(b) local verify, no cache": report.local,
      "(c) cached check": report.cached,
    })) {
      console.error(
        `  ${name.padEnd(28)} ${fmt(way.checks).padStart(9)} checks  CPU ${fmt(way.totalUs, 2)} µs/check (backend ${fmt(way.clientUs, 2)}, server ${fmt(way.serverUs, 2)})  p50 ${fmt(way.latency?.p50 ?? Number.NaN, 3)} ms  p99 ${fmt(way.latency?.p99 ?? Number.NaN, 3)} ms  other work ${fmt(way.otherCores, 2)} cores`,
      );
    }
    figures(report);
  } finally {
    await server.stop();
  }
}

const cpu = (w: WayReport) => `${fmt(w.totalUs, w.totalUs < 10 ? 2 : 1)} µs CPU`;
const lat = (w: WayReport) =>
  `p50 ${fmt(w.latency?.p50 ?? Number.NaN, 3)} / p99 ${fmt(w.latency?.p99 ?? Number.NaN, 3)} ms`;

function figures({ rpc, local, cached, freshChecks }: AssertionReport): void {
  const rpcNote = `backend ${fmt(rpc.clientUs, 1)} + server ${fmt(rpc.serverUs, 1)} µs, connect-node gRPC client, 16 in flight, API key on`;
  const cachedRatio = ratioOf(rpc.totalUs, cached.totalUs);
  figure({
    id: "assertion_cached_vs_rpc",
    metric: "session check CPU: VerifySession RPC ÷ cached assertion check",
    ours: `${cpu(cached)} (c)`,
    baseline: `${cpu(rpc)} (a)`,
    ratio: cachedRatio,
    target: ">= 50",
    met: (cachedRatio ?? 0) >= 50,
    note: `(a) ${rpcNote}; (c) check() answered by the verifier's cache, no signature check`,
  });
  const localRatio = ratioOf(rpc.totalUs, local.totalUs);
  figure({
    id: "assertion_local_vs_rpc",
    metric: "session check CPU: VerifySession RPC ÷ local verify (no cache)",
    ours: `${cpu(local)} (b)`,
    baseline: `${cpu(rpc)} (a)`,
    ratio: localRatio,
    target: "reported",
    met: null,
    note: "(b) one Ed25519 signature check per call (jose), key set held in memory",
  });
  figure({
    id: "assertion_server_calls_fresh",
    metric: "server calls per backend check while assertions are fresh",
    ours: `${fmt(freshChecks.serverCalls / Math.max(1, freshChecks.checks), 3)} (${freshChecks.serverCalls} in ${fmt(freshChecks.checks)} checks)`,
    baseline: "1 (VerifySession per check)",
    ratio: null,
    target: "0",
    met: freshChecks.serverCalls === 0 && freshChecks.checks > 0,
  });
  const latencyRatio = ratioOf(rpc.latency?.p50 ?? Number.NaN, local.latency?.p50 ?? Number.NaN);
  figure({
    id: "assertion_latency",
    metric: "session check latency, one at a time: local verify (b) vs RPC (a)",
    ours: lat(local),
    baseline: lat(rpc),
    ratio: latencyRatio,
    target: "reported",
    met: null,
    note: "ratio: p50 of (a) ÷ p50 of (b); both over loopback on this machine, a real network adds its round trip to (a) only",
  });
}
