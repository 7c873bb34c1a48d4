import { readFileSync } from "node:fs";
import { figure, fmt, phase, raw } from "../figures.js";
import { logFile, spawnLogged } from "../processes.js";
import type { MemoryReport } from "../session-rss.js";
import { plan } from "../settings.js";

/** RSS per live session: sessions inserted directly into a memory store (bench/session-rss.ts). */
export async function rssGroup(): Promise<void> {
  phase("memory per session: sessions inserted directly into a MemoryUserStore");
  const file = logFile("memory");
  const { exited } = spawnLogged(
    [
      process.execPath,
      "--expose-gc",
      "--import",
      "tsx",
      "bench/session-rss.ts",
      String(plan.rssSessions),
      "4",
    ],
    {},
    file,
  );
  const code = await exited;
  const out = readFileSync(file, "utf8").trim().split("\n").pop() ?? "";
  if (code !== 0 || !out.startsWith("{")) {
    throw new Error(`memory measurement failed:\n${readFileSync(file, "utf8").slice(-3000)}`);
  }
  const m = JSON.parse(out) as MemoryReport;
  raw.memory = m;
  console.error(`  ${m.method}: ${m.rssBytesPerSession} B RSS, ${m.heapBytesPerSession} B heap`);
  figure({
    id: "rss_per_session",
    metric: `RSS per live session at ${fmt(m.sessions)} (memory store)`,
    ours: `${fmt(m.rssBytesPerSession)} B`,
    baseline: "1,024 B",
    ratio: m.rssBytesPerSession / 1024,
    target: "< 1 KiB",
    met: m.rssBytesPerSession < 1024,
    note: `${m.method}; heap ${m.heapBytesPerSession} B/session`,
  });
}
