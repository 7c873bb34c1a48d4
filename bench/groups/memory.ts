import { raw, versusNoop } from "../figures.js";
import { checkThenVerify } from "../measure.js";
import type { Child, Server } from "../processes.js";

/** The memory-store server shared by the memory, peer and login groups, and what they found. */
export interface MemoryRun {
  server: Server;
  peer: (Child & { url: string; cookie: string; body: string }) | undefined;
  verifyThroughput: number;
  loginThroughput: number;
  hashMs: number;
  scryptMs: number;
}

/** VerifySession ÷ the no-op Check on the same server, A B B A (Node load generator). */
export async function memoryGroup(run: MemoryRun): Promise<void> {
  const p = await checkThenVerify(run.server);
  run.verifyThroughput = p.b;
  raw.memoryWarn = p.reports;
  versusNoop("verify_vs_noop_memory", "VerifySession ÷ no-op Check, memory store", p, 0.9);
}
