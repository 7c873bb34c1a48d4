import { execFile, execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Latencies, latencies } from "./figures.js";

/**
 * h2load (nghttp2, written in C) as the gRPC load generator: its own CPU per call is small, so
 * on a 2-core machine more of the cores go to the server under test than with a Node client.
 * Debian: `apt-get install nghttp2-client` (.ci/run does).
 */
export function findH2load(): string | undefined {
  try {
    return (
      execFileSync("sh", ["-c", "command -v h2load"], { encoding: "utf8" }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

export interface H2loadRun {
  /** Completed calls per second over the run. */
  callsPerSecond: number;
  succeeded: number;
  failed: number;
  /** Response body bytes (DATA frames) received over the run. */
  dataBytes: number;
  /** Per-call latency (ms) from h2load's per-request log. */
  latency: Latencies | null;
}

let runs = 0;

/**
 * One h2load run: one fixed gRPC frame to `url` again and again for `durationMs` after
 * `warmupMs`, over `clients` connections with `streams` calls in flight on each (timed, so a
 * slow server costs the run no more time than a fast one).
 */
export async function h2load(
  bin: string,
  options: {
    url: string;
    frame: Uint8Array;
    durationMs: number;
    warmupMs: number;
    clients: number;
    streams: number;
    headers?: Record<string, string>;
  },
): Promise<H2loadRun> {
  const base = join(tmpdir(), `userharbor-h2load-${process.pid}-${runs++}`);
  writeFileSync(`${base}.body`, options.frame);
  const headers = {
    "content-type": "application/grpc",
    te: "trailers",
    ...options.headers,
  };
  try {
    const { stdout } = await promisify(execFile)(bin, [
      `--duration=${options.durationMs}ms`,
      `--warm-up-time=${options.warmupMs}ms`,
      `-c${options.clients}`,
      `-m${options.streams}`,
      `-d${base}.body`,
      `--log-file=${base}.log`,
      ...Object.entries(headers).flatMap(([name, value]) => ["-H", `${name}: ${value}`]),
      options.url,
    ]);
    const rate = /finished in [\d.]+m?s, ([\d.]+) req\/s/.exec(stdout);
    const counts = /requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed/.exec(
      stdout,
    );
    const traffic = /traffic: .*\((\d+)\) data/.exec(stdout);
    if (!rate || !counts || !traffic) throw new Error(`unexpected h2load output:\n${stdout}`);
    // Log columns: start (µs since epoch), HTTP status, µs until the end of the response.
    const micros = readFileSync(`${base}.log`, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => Number(line.split("\t")[2]));
    return {
      callsPerSecond: Number(rate[1]),
      succeeded: Number(counts[1]),
      failed: Number(counts[2]),
      dataBytes: Number(traffic[1]),
      latency: latencies(micros.map((us) => us / 1000)),
    };
  } finally {
    rmSync(`${base}.body`, { force: true });
    rmSync(`${base}.log`, { force: true });
  }
}
