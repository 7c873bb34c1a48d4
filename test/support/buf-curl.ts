import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** The buf CLI the lock file pins (@bufbuild/buf), not whatever is on PATH. */
export const BUF = fileURLToPath(new URL("../../node_modules/.bin/buf", import.meta.url));

export interface BufResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const run = promisify(execFile);

/**
 * `buf curl --protocol grpc --http2-prior-knowledge ARGS...`; a non-zero exit is returned, not
 * thrown, so tests can assert on failures too.
 */
export async function bufCurl(...args: string[]): Promise<BufResult> {
  const argv = ["curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args];
  try {
    const { stdout, stderr } = await run(BUF, argv, { timeout: 20_000 });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error; // could not start, or killed by the timeout
    return { exitCode: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}
