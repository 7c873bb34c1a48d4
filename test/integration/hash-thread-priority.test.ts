import { readdirSync, readFileSync } from "node:fs";
import { getPriority } from "node:os";
import { createClient } from "@connectrpc/connect";
import { AccountService } from "@userharbor/client";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, type RunningProcess, run } from "../support/processes.js";
import { transportFor } from "../support/test-server.js";

/** Niceness and CPU time (ns) of every thread of a process, from /proc. */
function threadsOf(pid: number): Map<number, { nice: number; cpuNs: number }> {
  const threads = new Map<number, { nice: number; cpuNs: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    // Fields after "(comm) ": state is the first, nice the 17th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cpuNs = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    threads.set(Number(tid), { nice: Number(fields[16]), cpuNs });
  }
  return threads;
}

describe.runIf(process.platform === "linux" && getPriority() < 10)(
  "hashing threads yield to the event loop",
  () => {
    // The server inherits this process's niceness (a CI runner may itself run niced);
    // HASH_THREAD_NICE is an absolute value, so it must be above that base to show.
    const base = getPriority();
    let server: RunningProcess | undefined;
    afterEach(async () => {
      await server?.stop();
    });

    async function start(env: Record<string, string>) {
      const port = await freePort();
      server = run("node", ["--import", "tsx", "src/server.ts"], {
        PORT: String(port),
        LOG_LEVEL: "info",
        METRICS_ENABLED: "false",
        UV_THREADPOOL_SIZE: "4",
        ...env,
      });
      await server.waitFor(/UserHarbor listening/);
      const pid = server.child.pid;
      if (pid === undefined) throw new Error("server did not start");
      return {
        pid,
        api: createClient(AccountService, transportFor(`http://127.0.0.1:${port}`, "grpc")),
      };
    }

    it("renices exactly libuv's pool threads, and those are the threads that hash", async () => {
      const { pid, api } = await start({ HASH_THREAD_NICE: "10" });
      const before = threadsOf(pid);
      const niced = [...before].filter(([, t]) => t.nice === 10).map(([tid]) => tid);
      expect(niced).toHaveLength(4);
      expect(before.get(pid)?.nice).toBe(base); // the event loop keeps its priority
      expect(server?.output()).toContain('"lowered":4');

      // Each Register hashes a password (~30 ms of CPU): threads that burn half a hash are niced.
      await Promise.all(
        [1, 2, 3, 4].map((n) =>
          api.register({
            username: `nice${n}`,
            email: `nice${n}@example.com`,
            password: `correct horse battery ${n}`,
          }),
        ),
      );
      const hashing = [...threadsOf(pid)]
        .filter(([tid, t]) => tid !== pid && t.cpuNs - (before.get(tid)?.cpuNs ?? 0) > 15e6)
        .map(([tid]) => tid);
      expect(hashing.length).toBeGreaterThan(0);
      expect(niced).toEqual(expect.arrayContaining(hashing));
    });

    it("leaves every thread alone with HASH_THREAD_NICE=0", async () => {
      const { pid } = await start({ HASH_THREAD_NICE: "0" });
      expect(new Set([...threadsOf(pid).values()].map((t) => t.nice))).toEqual(new Set([base]));
    });
  },
);
