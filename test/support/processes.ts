import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";

/** A port that was free a moment ago (for child processes that must be told a port). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RunningProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output (waiting for it). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Signals the whole process group and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `src/server.ts` in a child process on a free port, resolved once it logs that it listens. */
export async function listeningServer(
  env: NodeJS.ProcessEnv,
): Promise<{ proc: RunningProcess; url: string }> {
  const port = await freePort();
  const proc = run("node", ["--import", "tsx", "src/server.ts"], { ...env, PORT: String(port) });
  await proc.waitFor(/UserHarbor listening/, 60_000).catch(async (error: unknown) => {
    await proc.stop("SIGKILL"); // never started: no caller holds it to stop it
    throw error;
  });
  return { proc, url: `http://127.0.0.1:${port}` };
}

/** Spawns a command in its own process group, collecting its output. */
export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd?: string,
): RunningProcess {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    ...(cwd && { cwd }),
  });
  let output = "";
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  return {
    child,
    output: () => output,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (!match) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(match);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`timed out waiting for ${pattern}; output so far:\n${output.slice(-2000)}`),
          );
        }, timeoutMs);
        listeners.add(check);
        check();
        void exited.then(() => {
          if (listeners.has(check)) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`process exited before ${pattern}; output:\n${output.slice(-2000)}`));
          }
        });
      });
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(-child.pid, signal);
        } catch {
          // already gone
        }
      }
      return exited;
    },
  };
}

export interface Finished {
  code: number | null;
  output: string;
}

/** Waits for a process to exit (stopping its process group after `timeoutMs`). */
export async function finished(proc: RunningProcess, timeoutMs: number): Promise<Finished> {
  const timer = setTimeout(() => void proc.stop("SIGKILL"), timeoutMs);
  const [code] = await once(proc.child, "close");
  clearTimeout(timer);
  const timedOut = proc.child.signalCode === "SIGKILL" ? `\n(killed after ${timeoutMs} ms)` : "";
  return { code: code as number | null, output: proc.output() + timedOut };
}
