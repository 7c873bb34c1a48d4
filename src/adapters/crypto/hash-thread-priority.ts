import { readdirSync, readFileSync } from "node:fs";
import { setPriority } from "node:os";

export type ThreadPriorityResult = { lowered: number; nice: number } | { skipped: string };

/** libuv's pool size: fixed for the life of the process, read from the environment once. */
function poolSize(): number {
  const size = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(size) && size >= 1 ? Math.min(size, 1024) : 4;
}

/** CPU time (ns) each thread of this process has run, from the scheduler's own counters. */
function cpuByThread(): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      cpu.set(Number(tid), ns);
    } catch {
      // the thread exited between listing and reading
    }
  }
  return cpu;
}

/** Threads that ran one warm-up hash each: the busiest, and each busy for most of a hash. */
async function findPoolThreads(size: number, warmUp: () => Promise<unknown>): Promise<Set<number>> {
  const found = new Set<number>();
  // A round can hand two warm-ups to one thread; a few rounds find the rest.
  for (let round = 0; round < 4 && found.size < size; round++) {
    const before = cpuByThread();
    await Promise.all(Array.from({ length: size }, warmUp));
    const busy = [...cpuByThread()]
      .filter(([tid]) => tid !== process.pid)
      .map(([tid, ns]) => [tid, ns - (before.get(tid) ?? ns)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, size);
    const longest = busy[0]?.[1] ?? 0;
    // V8's helper threads may run a little at the same time; a hash thread runs ~a whole hash.
    for (const [tid, ns] of busy) if (ns > 0 && ns >= longest / 2) found.add(tid);
  }
  return found;
}

let once: Promise<ThreadPriorityResult> | undefined;

/**
 * argon2 hashes on libuv's thread pool, whose threads compete with the event loop for the
 * same cores: in a login flood every cheap RPC (VerifySession, health) would queue behind
 * hashing. Linux can lower one thread's priority (setpriority on its thread id), but Node
 * names no pool thread, so they are found by the CPU they spend on warm-up hashes. Hashing
 * still gets every idle cycle; it only yields when the event loop wants the core. The pool
 * is process-wide, so this runs once per process.
 */
export function lowerHashThreadPriority(
  nice: number,
  warmUp: () => Promise<unknown>,
): Promise<ThreadPriorityResult> {
  once ??= (async () => {
    if (process.platform !== "linux") return { skipped: "thread priorities need Linux" };
    const threads = await findPoolThreads(poolSize(), warmUp);
    let lowered = 0;
    for (const tid of threads) {
      try {
        setPriority(tid, nice);
        lowered++;
      } catch {
        // already nicer than asked (raising priority needs privileges): leave it
      }
    }
    return { lowered, nice };
  })();
  return once;
}
