import { pathToFileURL } from "node:url";
import { createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AccountService } from "@userharbor/client";
import { createSessionVerifier } from "@userharbor/sdk";
import { type Latencies, latencies } from "./figures.js";
import { machineBusySeconds, processCpuSeconds } from "./load.js";

/**
 * The assertion group's backend, as its own process (`node --import tsx
 * bench/assertion-check.ts '<spec JSON>'`): a Node backend checking sessions three
 * ways, each for the same window, its own CPU read with process.cpuUsage and the
 * server's from /proc:
 * - rpc:    one VerifySession per check (a connect-node gRPC client, API key sent);
 * - local:  @userharbor/sdk verify() of an assertion, cache off (a signature check each time);
 * - cached: @userharbor/sdk check() of an assertion it verified before (the cache answers).
 * Prints one JSON line (AssertionReport).
 */

export interface AssertionSpec {
  url: string;
  apiKey: string;
  tokens: string[];
  serverPid: number;
  warmupMs: number;
  durationMs: number;
  /** VerifySession calls in flight while measuring its CPU (a busy backend). */
  concurrency: number;
}

export interface WayReport {
  checks: number;
  /** CPU µs per check: this process's, the server's (rpc only), and both. */
  clientUs: number;
  serverUs: number;
  totalUs: number;
  /** One check at a time. */
  latency: Latencies | null;
  /** Cores other processes on the machine used during the CPU window. */
  otherCores: number;
}

export interface AssertionReport {
  rpc: WayReport;
  local: WayReport;
  cached: WayReport;
  /** VerifySession calls made by check() while its assertions were fresh, and the checks made. */
  freshChecks: { checks: number; serverCalls: number };
}

async function run(spec: AssertionSpec): Promise<AssertionReport> {
  let serverCalls = 0;
  const count: Interceptor = (next) => (req) => {
    serverCalls++;
    req.header.set("authorization", `Bearer ${spec.apiKey}`);
    return next(req);
  };
  const accounts = createClient(
    AccountService,
    createGrpcTransport({ baseUrl: spec.url, interceptors: [count] }),
  );
  const assertions = await Promise.all(
    spec.tokens.map(
      async (sessionToken) =>
        (await accounts.verifySession({ sessionToken, issueAssertion: true })).sessionAssertion,
    ),
  );
  const pick = <T>(items: T[], i: number) => items[i % items.length] as T;
  const verifierOptions = {
    jwksUrl: `${spec.url}/.well-known/jwks.json`,
    issuer: "userharbor",
    client: accounts,
  };

  const rpc = await measure(spec, (i) =>
    accounts.verifySession({ sessionToken: pick(spec.tokens, i) }).then((answer) => {
      if (!answer.valid) throw new Error("a bench session died");
    }),
  );
  const uncached = createSessionVerifier({ ...verifierOptions, cacheMaxEntries: 0 });
  const local = await measure({ ...spec, concurrency: 1, serverPid: 0 }, (i) =>
    uncached.verify(pick(assertions, i)).then(() => {}),
  );
  const cachedVerifier = createSessionVerifier(verifierOptions);
  const callsBefore = serverCalls;
  let checks = 0;
  const cached = await measure({ ...spec, concurrency: 1, serverPid: 0 }, async (i) => {
    checks++;
    const result = await cachedVerifier.check(pick(spec.tokens, i), pick(assertions, i));
    if (!result || result.fromServer) throw new Error("a fresh assertion went to the server");
  });
  return { rpc, local, cached, freshChecks: { checks, serverCalls: serverCalls - callsBefore } };
}

/**
 * `check(i)` in a closed loop of `spec.concurrency` for the window (after a warm-up):
 * CPU per check; then one at a time for the latency percentiles.
 */
async function measure(
  spec: AssertionSpec,
  check: (i: number) => Promise<void>,
): Promise<WayReport> {
  let i = 0;
  const loop = async (until: number) => {
    while (performance.now() < until) await check(i++);
  };
  const closed = (ms: number) => {
    const until = performance.now() + ms;
    return Promise.all(Array.from({ length: spec.concurrency }, () => loop(until)));
  };
  await closed(spec.warmupMs);
  const first = i;
  const cpu = process.cpuUsage();
  const server = spec.serverPid ? processCpuSeconds(spec.serverPid) : null;
  const machine = machineBusySeconds();
  const began = performance.now();
  await closed(spec.durationMs);
  const used = process.cpuUsage(cpu);
  const serverAfter = spec.serverPid ? processCpuSeconds(spec.serverPid) : null;
  const machineAfter = machineBusySeconds();
  const windowS = (performance.now() - began) / 1000;
  const checks = i - first;
  const clientUs = (used.user + used.system) / checks;
  const serverS = server !== null && serverAfter !== null ? serverAfter - server : 0;
  const serverUs = (serverS * 1e6) / checks;
  const ownS = (used.user + used.system) / 1e6 + serverS;
  const otherCores =
    machine !== null && machineAfter !== null
      ? Math.max(0, (machineAfter - machine - ownS) / windowS)
      : 0;
  const timings: number[] = [];
  const until = performance.now() + spec.durationMs / 2;
  while (performance.now() < until) {
    const started = performance.now();
    await check(i++);
    timings.push(performance.now() - started);
  }
  return {
    checks,
    clientUs,
    serverUs,
    totalUs: clientUs + serverUs,
    latency: latencies(timings),
    otherCores,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const report = await run(JSON.parse(process.argv[2] ?? "{}") as AssertionSpec);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(0); // HTTP/2 sessions would keep the process alive
}
