import { fmt, phase, raw, versusNoop } from "../figures.js";
import { checkThenVerify } from "../measure.js";
import { startUserHarbor } from "../processes.js";
import { plan } from "../settings.js";

/** The same pair at LOG_LEVEL=info (the default: one log line per RPC). */
export async function infoGroup(verifyCost: number): Promise<void> {
  phase("memory store, LOG_LEVEL=info (the default: one log line per RPC)");
  const server = await startUserHarbor("memory-info", { LOG_LEVEL: "info" }, plan.seedSessions);
  try {
    const p = await checkThenVerify(server, ", info logs");
    raw.memoryInfo = p.reports;
    versusNoop(
      "verify_vs_noop_memory_info",
      "VerifySession ÷ no-op, memory, LOG_LEVEL=info",
      p,
      0.9,
      Number.isFinite(verifyCost)
        ? `info logging adds ${fmt(p.bCost - verifyCost)} µs server CPU per VerifySession (+${fmt((p.bCost / verifyCost - 1) * 100)} %)`
        : undefined,
    );
  } finally {
    await server.stop();
  }
}
