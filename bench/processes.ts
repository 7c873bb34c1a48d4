import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AccountService } from "@userharbor/client";
import { Health } from "@userharbor/client/grpc/health/v1/health_pb.js";
import { API_KEY, args, CLIENT, PASSWORD, PROFILE_DIR, plan, ROOT } from "./settings.js";

/**
 * The processes a run starts: servers under test, baselines, the load generator. Each runs in
 * its own process group with its output in a temporary log file (kept when the run fails).
 */

export interface Child {
  pid: number;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of children) if (child.pid) killGroup(child.pid, "SIGKILL");
});

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Log files of this run's processes (deleted at the end unless the run failed). */
export const logs: string[] = [];

export function logFile(name: string): string {
  const safe = name.replace(/[^\w.+-]+/g, "_");
  const file = join(tmpdir(), `userharbor-bench-${process.pid}-${logs.length}-${safe}.log`);
  logs.push(file);
  return file;
}

/** Node flags for servers under test: --cpu-prof writes V8 profiles. */
const serverNodeArgs = args.cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : [];

/** Spawns `node --import tsx <script>` (or another binary) in its own process group. */
export function spawnLogged(
  command: string[],
  env: Record<string, string>,
  file: string,
): { child: ChildProcess; exited: Promise<number | null>; stop: () => Promise<void> } {
  const fd = openSync(file, "w");
  const [bin, ...rest] = command as [string, ...string[]];
  const child = spawn(bin, rest, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  children.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  const stop = async () => {
    if (child.pid && child.exitCode === null) killGroup(child.pid, "SIGTERM");
    const timer = setTimeout(() => child.pid && killGroup(child.pid, "SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, exited, stop };
}

/** `node [flags] --import tsx <script> [args]`. */
export function spawnNode(
  script: string,
  scriptArgs: string[],
  env: Record<string, string>,
  file: string,
  nodeArgs: string[] = [],
) {
  return spawnLogged(
    [process.execPath, ...nodeArgs, "--import", "tsx", script, ...scriptArgs],
    env,
    file,
  );
}

/** A port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Pids of this process's children whose command line contains `name` (the jongodb server). */
function childPids(name: string): number[] {
  const found: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return found; // not Linux
  }
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(name)) {
        found.push(Number(entry));
      }
    } catch {
      // gone, or not Linux
    }
  }
  return found;
}

/** Polls the log until a line starts with `prefix`; throws with the log if the process dies. */
async function lineStartingWith(
  file: string,
  prefix: string,
  child: ChildProcess,
  stop: () => Promise<void>,
  what: string,
): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const line = readFileSync(file, "utf8")
      .split("\n")
      .find((l) => l.startsWith(prefix));
    if (line) return line;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`${what} did not start:\n${readFileSync(file, "utf8").slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface Server extends Child {
  url: string;
  /** The seeded account: `tokens` are its sessions. */
  username: string;
  tokens: string[];
  /** Processes whose CPU the load generator samples: the server, and its database if any. */
  watch: Record<string, number>;
}

let built: string | undefined;

/**
 * The server as it is deployed (`npm run build`, then plain `node dist/server.js`, as the
 * container runs it): measured through tsx, every call also paid for tsx's helpers. Built once
 * per bench run, so the figures are of the source as it stands.
 */
function builtServer(): string {
  if (!built) {
    console.error("building the server (npm run build) to measure it as deployed");
    execFileSync("npm", ["run", "--silent", "build"], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
    built = join(ROOT, "dist", "server.js");
  }
  return built;
}

/**
 * The real server (built from src/server.ts) as a child process, tuned for measuring: limits opened up,
 * no metrics endpoint, logs to a file. API keys are on (as in production), so account RPCs
 * pay the key check; health, the no-op baseline, is exempt by design.
 */
export async function startUserHarbor(
  name: string,
  env: Record<string, string>,
  sessions: number,
  /** The seeded account's name (a second replica on one database needs another). */
  username = "bench",
): Promise<Server> {
  const port = await freePort();
  const file = logFile(name);
  const { child, exited, stop } = spawnLogged(
    [process.execPath, ...serverNodeArgs, builtServer()],
    {
      NODE_ENV: "development",
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      METRICS_ENABLED: "false",
      SECRET_KEY: randomBytes(32).toString("base64url"),
      API_KEYS: `bench=${API_KEY}:accounts,client-ip,admin,events`,
      REQUIRE_VERIFIED_EMAIL: "false",
      LIMIT_LOGIN_IP: "10000000/1m",
      LIMIT_LOGIN_ACCOUNT: "10000000/1m",
      LIMIT_REGISTER_IP: "10000000/1m",
      LOCKOUT_FAILURES: "1000",
      LOCKOUT_ACCOUNT_FAILURES: "10000",
      ...env,
      ...args.extraEnv,
    },
    file,
  );
  const url = `http://127.0.0.1:${port}`;
  const transport = createGrpcTransport({ baseUrl: url });
  const health = createClient(Health, transport);
  const deadline = Date.now() + 60_000;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (;;) {
    const ok = await health.check({ service: "" }, { timeoutMs: 1_000 }).then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (gone || Date.now() > deadline) {
      await stop();
      throw new Error(
        `server "${name}" did not start:\n${readFileSync(file, "utf8").slice(-3000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // One account; its sessions come from real logins (each one argon2 verify).
  const accounts = createClient(AccountService, transport);
  const headers = { authorization: `Bearer ${API_KEY}` };
  await accounts.register(
    { username, email: `${username}@example.com`, password: PASSWORD, client: CLIENT },
    { headers },
  );
  const tokens: string[] = [];
  // As many at once as the server hashes at once: no OVERLOADED while seeding.
  await Promise.all(
    Array.from({ length: plan.hashConcurrency }, async () => {
      while (tokens.length < sessions) {
        const res = await accounts.login(
          { username, password: PASSWORD, client: CLIENT },
          { headers },
        );
        tokens.push(res.sessionToken);
      }
    }),
  );
  tokens.length = sessions;
  const pid = child.pid as number;
  const watch: Record<string, number> = { server: pid };
  for (const db of childPids("jongodb")) watch.jongodb = db;
  return { pid, url, username, tokens, stop, watch };
}

/** A baseline server from bench/servers/ that prints {"port":N} once listening. */
export async function startBaseline(
  script: "h2-floor" | "grpc-js-noop",
): Promise<Child & { url: string; watch: Record<string, number> }> {
  const file = logFile(script);
  const { child, stop } = spawnNode(`bench/servers/${script}.ts`, ["0"], {}, file, serverNodeArgs);
  const line = await lineStartingWith(file, '{"port"', child, stop, script);
  const pid = child.pid as number;
  return {
    pid,
    url: `http://127.0.0.1:${JSON.parse(line).port}`,
    stop,
    watch: { server: pid },
  };
}

export async function startPeer(): Promise<Child & { url: string; cookie: string; body: string }> {
  const port = await freePort();
  const file = logFile("better-auth");
  const { child, stop } = spawnNode(
    "bench/servers/better-auth.ts",
    [String(port)],
    {},
    file,
    serverNodeArgs,
  );
  const line = await lineStartingWith(file, '{"ready":true', child, stop, "Better Auth peer");
  const ready = JSON.parse(line) as { email: string; password: string };
  const url = `http://127.0.0.1:${port}`;
  const body = JSON.stringify({ email: ready.email, password: ready.password });
  const res = await fetch(`${url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body,
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 200 || !cookie) {
    await stop();
    throw new Error(`Better Auth sign-in failed: ${res.status} ${await res.text()}`);
  }
  return { pid: child.pid as number, url, cookie, body, stop };
}

/**
 * A MongoDB for the MongoDB group: MONGODB_URI when set, else the jongodb emulator from its
 * npm package (a single-node replica set, as design.md describes).
 */
export async function startMongo(): Promise<{
  uri: string;
  backend: "uri" | "jongodb";
  stop: () => Promise<void>;
}> {
  if (process.env.MONGODB_URI) {
    return { uri: process.env.MONGODB_URI, backend: "uri", stop: async () => {} };
  }
  const manifest = createRequire(import.meta.url).resolve(
    "@jongodb/memory-server-bin-linux-x64-gnu/package.json",
  );
  const binary = join(
    dirname(manifest),
    JSON.parse(readFileSync(manifest, "utf8")).jongodb?.binary ?? "bin/jongodb",
  );
  if (!existsSync(binary)) throw new Error("no MongoDB: set MONGODB_URI (jongodb is linux-x64)");
  const file = logFile("jongodb");
  const { child, stop } = spawnLogged(
    [
      binary,
      "--host=127.0.0.1",
      "--port=0",
      "--topology-profile=singleNodeReplicaSet",
      "--replica-set-name=rs0",
    ],
    {},
    file,
  );
  const line = await lineStartingWith(file, "JONGODB_URI=", child, stop, "jongodb");
  const port = /:(\d+)/.exec(line)?.[1];
  return {
    uri: `mongodb://127.0.0.1:${port}/?replicaSet=rs0&serverMonitoringMode=poll`,
    backend: "jongodb",
    stop,
  };
}
