import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The jongodb binary (a MongoDB wire-protocol server, in memory) from its npm
 * package, and its processes. It prints `JONGODB_URI=<uri>` once it listens.
 */

const PACKAGE = "@jongodb/memory-server-bin-linux-x64-gnu";
const START_TIMEOUT_MS = 15_000;
export const JONGODB_REPLICA_SET = "rs0";

interface Binary {
  path: string;
  version: string;
}

/** The installed binary, or null where the package is absent (it exists for linux-x64-gnu only). */
export const jongodbBinary: Binary | null = (() => {
  try {
    const manifest = createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`);
    const { version, jongodb } = JSON.parse(readFileSync(manifest, "utf8"));
    const path = join(dirname(manifest), jongodb?.binary ?? "bin/jongodb");
    return existsSync(path) ? { path, version } : null;
  } catch {
    return null;
  }
})();

/** Every process still running is killed when the test process exits, however it exits. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export interface JongodbProcess {
  readonly port: number;
  /** Resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts jongodb on `host` (127.0.0.1; a replica set member advertises it as its address). Port 0 lets it pick a free one (no race between
 * finding a port and binding it); a restart passes the port it had.
 */
export async function spawnJongodb(
  port: number,
  replicaSet: boolean,
  host = "127.0.0.1",
): Promise<JongodbProcess> {
  if (!jongodbBinary) throw new Error(`${PACKAGE} is not installed`);
  const topology = replicaSet
    ? ["--topology-profile=singleNodeReplicaSet", `--replica-set-name=${JONGODB_REPLICA_SET}`]
    : [];
  const child = spawn(jongodbBinary.path, [`--host=${host}`, `--port=${port}`, ...topology], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      running.delete(child);
      resolve();
    });
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  try {
    const listening = await readyPort(child, exited, () => stderr);
    return {
      port: listening,
      async kill(signal = "SIGKILL") {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
      },
    };
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    throw error;
  }
}

/** The port from the `JONGODB_URI=` line; rejects if the process dies or stays silent. */
function readyPort(child: ChildProcess, exited: Promise<void>, stderr: () => string) {
  return new Promise<number>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(
      () => reject(new Error(`jongodb did not start in ${START_TIMEOUT_MS} ms: ${stderr()}`)),
      START_TIMEOUT_MS,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const port = /JONGODB_URI=mongodb:\/\/[^:/]+:(\d+)/.exec(stdout)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(Number(port));
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`jongodb exited before it listened: ${stderr()}`));
    });
  });
}
