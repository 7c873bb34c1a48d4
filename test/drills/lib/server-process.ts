import { randomBytes } from "node:crypto";
import { createClient } from "@connectrpc/connect";
import { AccountService } from "@userharbor/client";
import { Health } from "@userharbor/client/grpc/health/v1/health_pb.js";
import { freePort, type RunningProcess, run } from "../../support/processes.js";
import { type AccountClient, transportFor } from "../../support/test-server.js";

/** Settings every drill's server shares: cheap hashing, limits out of the way, JSON logs. */
export const DRILL_ENV: Record<string, string> = {
  NODE_ENV: "development",
  HOST: "127.0.0.1",
  LOG_LEVEL: "info",
  SECRET_KEY: randomBytes(32).toString("hex"),
  REQUIRE_VERIFIED_EMAIL: "false",
  ARGON2_MEMORY_KIB: "1024",
  ARGON2_TIME_COST: "1",
  HASH_QUEUE: "10000",
  LIMIT_LOGIN_IP: "10000000/1m",
  LIMIT_LOGIN_ACCOUNT: "10000000/1m",
  LIMIT_LOGIN_DEVICE: "10000000/1m",
  LIMIT_REGISTER_IP: "10000000/1m",
  LIMIT_MAIL_EMAIL: "10000000/1m",
  LIMIT_MAIL_IP: "10000000/1m",
  LOCKOUT_FAILURES: "1000",
  LOCKOUT_ACCOUNT_FAILURES: "10000",
};

/** Server processes still running are killed when the test process exits, however it exits. */
const running = new Set<RunningProcess>();
process.once("exit", () => {
  for (const proc of running) {
    try {
      if (proc.child.pid) process.kill(-proc.child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

export interface ServerProcess {
  proc: RunningProcess;
  port: number;
  url: string;
  metricsPort: number | undefined;
  api: AccountClient;
  /** SIGKILL to the whole process group: no shutdown code runs. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** `node --import tsx src/server.ts` in its own process group, resolved once it listens. */
export async function startServerProcess(
  env: Record<string, string>,
  port?: number,
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const listenPort = port ?? (await freePort());
  const metricsPort = env.METRICS_ENABLED === "false" ? undefined : await freePort();
  const proc = run("node", ["--import", "tsx", ...nodeArgs, "src/server.ts"], {
    ...DRILL_ENV,
    METRICS_ENABLED: metricsPort ? "true" : "false",
    ...(metricsPort && { METRICS_PORT: String(metricsPort) }),
    ...env,
    PORT: String(listenPort),
  });
  running.add(proc);
  proc.child.once("exit", () => running.delete(proc));
  const url = `http://127.0.0.1:${listenPort}`;
  // Ready when health answers (any LOG_LEVEL: the "listening" line is info).
  const health = createClient(Health, transportFor(url, "grpc"));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await health.check({ service: "" }, { timeoutMs: 1_000 }).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (proc.child.exitCode !== null || proc.child.signalCode !== null || Date.now() > deadline) {
      await proc.stop("SIGKILL");
      throw new Error(`server did not start:\n${proc.output().slice(-2_000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    proc,
    port: listenPort,
    url,
    metricsPort,
    api: createClient(AccountService, transportFor(url, "grpc")),
    kill: async () => {
      await proc.stop("SIGKILL");
    },
    stop: async () => {
      await proc.stop("SIGTERM");
    },
  };
}

/**
 * The server's /metrics, one scrape, as name -> value (unlabelled series). One scrape per
 * reading matters: prom-client resets its event-loop delay histogram on every scrape.
 */
export async function scrape(server: ServerProcess): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`)).text();
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const [name, value] = line.split(" ");
    if (name && value && !line.startsWith("#") && !name.includes("{"))
      values.set(name, Number(value));
  }
  return values;
}
