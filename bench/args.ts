import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";

/** Benchmark groups, in the order they run. */
export const GROUPS = [
  "transport",
  "memory",
  "login",
  "logging",
  "mongodb",
  "peer",
  "rss",
  "capacity",
  "hostile",
  "soak",
  "assertion",
] as const;
export type Group = (typeof GROUPS)[number];
/** Without --only: every group but the 10-minute soak (ask for it by name; --smoke runs it briefly). */
const DEFAULT_GROUPS = GROUPS.filter((g) => g !== "soak");

export interface BenchArgs {
  /** Every code path in a few seconds, figures meaningless (CI runs this). */
  smoke: boolean;
  only: Set<Group>;
  /** Wait up to this many seconds for other work on the machine to stop first. */
  waitQuietS: number;
  /** Extra server environment, to try a setting. */
  extraEnv: Record<string, string>;
  /** gRPC load from the raw node:http2 client (default) or connect-node's. */
  grpcClient: "raw" | "connect";
  /** Servers write V8 CPU profiles to bench/results/profiles. */
  cpuProf: boolean;
  /** How long the soak runs (default 600). */
  soakSeconds: number;
}

export const USAGE = `npm run bench -- [--smoke] [--only a,b] [--wait-quiet s] [--env KEY=VALUE]... [--client connect] [--cpu-prof]
  --smoke              every code path in a few seconds, figures meaningless (CI runs this)
  --only a,b           groups: ${GROUPS.join(", ")} (the peer runs beside the memory-store
                       server, interleaved with it)
  --wait-quiet s       first wait (up to s seconds) for other work on the machine to stop
  --env KEY=VALUE      extra server environment, to try a setting (repeatable)
  --client connect     Node-driven gRPC load through connect-node's client (default: raw node:http2)
  --cpu-prof           servers write V8 CPU profiles to bench/results/profiles
                       (summarise with \`npx tsx bench/profile.ts\`)
  --soak-seconds n     how long the soak group runs (default 600); the soak runs only when
                       named (--only soak) or, a few seconds of it, with --smoke`;

/** Parses the command line; a bad one throws an Error whose message says what is wrong. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      smoke: { type: "boolean", default: false },
      only: { type: "string" },
      "wait-quiet": { type: "string" },
      env: { type: "string", multiple: true, default: [] },
      client: { type: "string", default: "raw" },
      "cpu-prof": { type: "boolean", default: false },
      "soak-seconds": { type: "string", default: "600" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) throw new Error(USAGE);
  const only = new Set<Group>();
  for (const name of values.only?.split(",").filter(Boolean) ??
    (values.smoke ? GROUPS : DEFAULT_GROUPS)) {
    if (!(GROUPS as readonly string[]).includes(name)) {
      throw new Error(`unknown group "${name}"; groups: ${GROUPS.join(", ")}`);
    }
    only.add(name as Group);
  }
  const extraEnv: Record<string, string> = {};
  for (const pair of values.env) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`--env wants KEY=VALUE, got "${pair}"`);
    extraEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (values.client !== "raw" && values.client !== "connect") {
    throw new Error(`--client is raw or connect, got "${values.client}"`);
  }
  const waitQuietS = values["wait-quiet"] === undefined ? 0 : Number(values["wait-quiet"]);
  if (!Number.isFinite(waitQuietS) || waitQuietS < 0) {
    throw new Error(`--wait-quiet wants seconds, got "${values["wait-quiet"]}"`);
  }
  const soakSeconds = Number(values["soak-seconds"]);
  if (!Number.isFinite(soakSeconds) || soakSeconds < 10) {
    throw new Error(`--soak-seconds wants at least 10, got "${values["soak-seconds"]}"`);
  }
  return {
    soakSeconds,
    smoke: values.smoke,
    only,
    waitQuietS,
    extraEnv,
    grpcClient: values.client,
    cpuProf: values["cpu-prof"],
  };
}

/** How long each measurement runs, and the fixed load shapes. */
export function planFor(args: BenchArgs) {
  const cores = availableParallelism();
  /** The server's hashing limits: its defaults (src/config/accounts.ts) unless --env sets them. */
  const hashConcurrency = Number(args.extraEnv.HASH_CONCURRENCY ?? Math.min(4, cores));
  const hashQueue = Number(args.extraEnv.HASH_QUEUE ?? 2 * hashConcurrency);
  return {
    ...(args.smoke
      ? { warmupMs: 50, durationMs: 250, hashSamples: 2, seedSessions: 2, rssSessions: 10_000 }
      : {
          warmupMs: 2_000,
          durationMs: 8_000,
          hashSamples: 7,
          seedSessions: 32,
          rssSessions: 100_000,
        }),
    /** Measurements disturbed by other work are taken again, up to this many in all. */
    attempts: args.smoke ? 1 : 3,
    cores,
    hashConcurrency,
    hashQueue,
    throughputConcurrency: 32,
    http2Sessions: 4,
    /** Sustainable login load: every hash slot busy and one call waiting per slot, none refused. */
    loginConcurrency: hashConcurrency + Math.min(hashQueue, hashConcurrency),
    floodFactor: 4,
    /** h2load runs (ms): throughput at -c 4 -m 32 as issue 15 measured, latency at -c 1 -m 1. */
    h2load: args.smoke
      ? { warmupMs: 200, throughputMs: 500, latencyMs: 300 }
      : { warmupMs: 1_000, throughputMs: 2_500, latencyMs: 2_000 },
  };
}

export type Plan = ReturnType<typeof planFor>;
