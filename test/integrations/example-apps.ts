import { constants } from "node:fs";
import { access, readdir, readFile } from "node:fs/promises";
import { request } from "node:http";
import { delimiter, join } from "node:path";
import { freePort, type RunningProcess, run } from "../support/processes.js";

/**
 * The framework example apps the conformance suite runs: every `examples/<name>/run.sh`.
 * A `# requires: cmd cmd...` line in run.sh names the toolchain it needs on PATH.
 */
export interface ExampleApp {
  name: string;
  script: string;
  requires: string[];
  /** Commands of `requires` not found on PATH. */
  missing: string[];
}

export async function exampleApps(root = "examples"): Promise<ExampleApp[]> {
  const apps: ExampleApp[] = [];
  for (const entry of (await readdir(root, { withFileTypes: true })).filter((e) =>
    e.isDirectory(),
  )) {
    const script = join(root, entry.name, "run.sh");
    const text = await readFile(script, "utf8").catch(() => undefined);
    if (text === undefined) continue;
    const requires =
      /^# requires:(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
    const missing: string[] = [];
    for (const command of requires) if (!(await onPath(command))) missing.push(command);
    apps.push({ name: entry.name, script, requires, missing });
  }
  return apps.sort((a, b) => a.name.localeCompare(b.name));
}

async function onPath(command: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    if (
      await access(join(dir, command), constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return true;
  }
  return false;
}

/** One running instance of an example app. */
export interface AppInstance {
  /** `http://127.0.0.1:<port>` */
  url: string;
  process: RunningProcess;
  stop(): Promise<void>;
}

export interface AppEnv {
  USERHARBOR_URL: string;
  USERHARBOR_API_KEY: string;
  TRUSTED_PROXIES?: string;
}

/**
 * Starts `run.sh` with PORT and `env`, and waits until the port answers HTTP
 * (builds may take minutes the first time: `timeoutMs`). Fails with the app's
 * output if it exits first.
 */
export async function startApp(
  app: ExampleApp,
  env: AppEnv,
  timeoutMs: number,
): Promise<AppInstance> {
  const port = await freePort();
  const proc = run(app.script, [], {
    ...env,
    PORT: String(port),
    TRUSTED_PROXIES: env.TRUSTED_PROXIES ?? "",
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(url))) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(
        `${app.name} exited (${proc.child.exitCode}) before listening:\n${proc.output()}`,
      );
    }
    if (Date.now() > deadline) {
      await proc.stop("SIGKILL");
      throw new Error(
        `${app.name} did not listen on ${port} in ${timeoutMs} ms:\n${proc.output()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, process: proc, stop: async () => void (await proc.stop()) };
}

/** True once anything answers HTTP on `url`. */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${url}/me`, { timeout: 1_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}
