import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { promisify } from "node:util";
import { type RunningProcess, run } from "./processes.js";

const exec = promisify(execFile);

/**
 * Containers from a built image, run with `buildah run --isolation chroot`: no daemon, no
 * namespaces to set up (podman's own `run` fails on these machines), and the container shares
 * the host's network, so a server in it on 127.0.0.1:PORT is reachable from the test as is.
 */

/** The parts of the image's (Docker format) config that running it needs. */
export interface ImageConfig {
  User?: string;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[];
  Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number };
}

/** The image CI built (UH_IMAGE), or why there is none to test. */
export async function imageUnderTest(): Promise<{ image: string } | { missing: string }> {
  const image = process.env.UH_IMAGE;
  if (!image) {
    return {
      missing:
        "UH_IMAGE is not set (.ci/run builds the Dockerfile and sets it; by hand: " +
        "scripts/container-base.sh && buildah bud --isolation chroot --format docker " +
        "--pull-never -t userharbor:dev . && UH_IMAGE=userharbor:dev npx vitest run test/container)",
    };
  }
  try {
    await exec("buildah", ["inspect", "--type", "image", image]);
    return { image };
  } catch (error) {
    return { missing: `no image ${image} to test: ${(error as Error).message.split("\n")[0]}` };
  }
}

export async function imageConfig(image: string): Promise<ImageConfig> {
  const { stdout } = await exec("buildah", ["inspect", "--type", "image", image], {
    maxBuffer: 16 << 20,
  });
  return (JSON.parse(stdout) as { Docker: { config: ImageConfig } }).Docker.config;
}

/** The command a HEALTHCHECK test array stands for (exec form or shell form). */
export function healthcheckCommand(test: string[]): string[] {
  const [form, ...rest] = test;
  if (form === "CMD") return rest;
  if (form === "CMD-SHELL") return ["/bin/sh", "-c", rest.join(" ")];
  throw new Error(`HEALTHCHECK ${JSON.stringify(test)}: no command to run`);
}

export interface Container {
  name: string;
  /** Starts the image's own ENTRYPOINT + CMD. */
  start(): RunningProcess;
  /** Runs a command in the container next to the started one; never throws on exit status. */
  exec(command: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The container's main process as the host sees it (the one `docker stop` would signal). */
  mainPid(): number;
  remove(): Promise<void>;
}

let made = 0;

/**
 * A working container from `image` with `env` in its config (so the image's HEALTHCHECK sees
 * it too, as under Docker) and `volumes` ("host:container") bound in.
 */
export async function createContainer(
  image: string,
  config: ImageConfig,
  env: Record<string, string>,
  volumes: string[] = [],
): Promise<Container> {
  const name = `uh-test-${process.pid}-${++made}`;
  await exec("buildah", ["from", "--pull-never", "--name", name, image]);
  const envArgs = Object.entries(env).flatMap(([key, value]) => ["--env", `${key}=${value}`]);
  await exec("buildah", ["config", ...envArgs, name]);
  const runArgs = ["run", "--isolation", "chroot", ...volumes.flatMap((v) => ["--volume", v])];
  const main = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
  let started: RunningProcess | undefined;
  const mainPid = () => {
    const root = started?.child.pid;
    if (!root) throw new Error("the container was not started");
    // The official base's ENTRYPOINT (docker-entrypoint.sh) execs the CMD: either may show.
    const shapes = [main, config.Cmd ?? []];
    const pid = descendants(root).findLast((p) =>
      shapes.some((shape) => sameArgs(commandLine(p), shape)),
    );
    if (!pid) throw new Error(`no process running ${main.join(" ")} under buildah (${root})`);
    return pid;
  };
  return {
    name,
    start() {
      started = run("buildah", [...runArgs, name, "--", ...main]);
      return started;
    },
    async exec(command) {
      try {
        const { stdout, stderr } = await exec("buildah", [...runArgs, name, "--", ...command]);
        return { code: 0, stdout, stderr };
      } catch (error) {
        const {
          code,
          stdout = "",
          stderr = "",
        } = error as {
          code?: number;
          stdout?: string;
          stderr?: string;
        };
        return { code: typeof code === "number" ? code : -1, stdout, stderr };
      }
    },
    mainPid,
    async remove() {
      if (started && started.child.exitCode === null) {
        // The main process may sit in a session of its own: kill it, then buildah.
        try {
          process.kill(mainPid(), "SIGKILL");
        } catch {
          // already gone
        }
        await started.stop("SIGKILL");
      }
      await exec("buildah", ["rm", name]).catch(() => undefined);
    },
  };
}

/** `node dist/server.js` run as `/usr/local/bin/node dist/server.js`: same program, same args. */
function sameArgs(actual: string[], wanted: string[]): boolean {
  const [program = "", ...args] = actual;
  const [wantedProgram = "", ...wantedArgs] = wanted;
  return (
    (program === wantedProgram || program.endsWith(`/${wantedProgram}`)) &&
    args.join("\0") === wantedArgs.join("\0")
  );
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").slice(0, -1);
  } catch {
    return [];
  }
}

/** Every process below `root`, parents before children. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Real, effective, saved and filesystem uid of a process. */
export function uidsOf(pid: number): number[] {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^Uid:\s+(.*)$/m)?.[1] ?? "";
  return line.split(/\s+/).map(Number);
}

/** Uncompressed size of each layer history entry, newest first (`podman history`). */
export async function layerSizes(image: string): Promise<number[]> {
  const { stdout } = await exec("podman", ["history", "--format", "json", image]);
  return (JSON.parse(stdout) as Array<{ size: number }>).map((entry) => entry.size);
}
