import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runSoak, soakSvg, soakTable } from "../../test/drills/lib/soak.js";
import { figure, fmt, phase, raw } from "../figures.js";
import { startMongo } from "../processes.js";
import { args, ROOT } from "../settings.js";

/**
 * The soak (issue 31), long form: the drill's mixed workload (test/drills/lib/soak.ts) for
 * 10 minutes at a fixed rate on MongoDB; RSS and heap growth after warm-up, event-loop delay,
 * errors, and the invariant checker at the end. The curves print as a table and are drawn into
 * bench/results/soak.svg. `npm test` runs a 60 s form (test/drills/soak.test.ts).
 */
export async function soakGroup(): Promise<void> {
  const durationMs = args.smoke ? 6_000 : args.soakSeconds * 1_000;
  const mongo = await startMongo();
  phase(
    `soak: ${fmt(durationMs / 1000)} s mixed workload at 200 calls/s, MongoDB (${mongo.backend}), server via tsx`,
  );
  try {
    const r = await runSoak({
      uri: mongo.uri,
      dbName: `uh_soak_${process.pid}`,
      durationMs,
      rate: 200,
      warmupMs: args.smoke ? 2_000 : Math.min(120_000, durationMs / 5),
      sampleEveryMs: args.smoke ? 1_000 : 30_000,
      users: 50,
      log: (line) => console.error(line),
    });
    const table = soakTable(r.samples);
    console.error(table);
    writeFileSync(
      join(ROOT, "bench", "results", "soak.svg"),
      soakSvg(
        r.samples,
        `soak: ${fmt(durationMs / 60_000, 1)} min, 200 calls/s, MongoDB (${mongo.backend})`,
      ),
    );
    raw.soak = { ...r, outcomes: Object.fromEntries(r.outcomes), table };
    const pct = (x: number) => `${fmt(100 * x, 1)}%`;
    figure({
      id: "soak_rss_growth",
      metric: "soak: RSS growth after warm-up",
      ours: pct(r.rssGrowth),
      baseline: "0%",
      ratio: null,
      target: "< 10%",
      met: r.rssGrowth < 0.1,
    });
    figure({
      id: "soak_heap_growth",
      metric: "soak: retained heap growth after warm-up",
      ours: pct(r.heapGrowth),
      baseline: "0%",
      ratio: null,
      target: "< 10%",
      met: r.heapGrowth < 0.1,
    });
    figure({
      id: "soak_loop_p99",
      metric: "soak: event-loop delay p99, worst interval",
      ours: `${fmt(r.loopP99MaxMs, 1)} ms`,
      baseline: "50 ms",
      ratio: r.loopP99MaxMs / 50,
      target: "< 50 ms",
      met: r.loopP99MaxMs < 50,
      note: `median interval ${fmt(r.loopP99MedianMs, 1)} ms; an idle Node process on the machine meanwhile: ${fmt(r.idleP99MedianMs, 1)} ms`,
    });
    figure({
      id: "soak_errors",
      metric: "soak: unexpected errors; checker violations",
      ours: `${r.unexpected.length}; ${r.check.violations.length}`,
      baseline: "0; 0",
      ratio: null,
      target: "0; 0",
      met: r.unexpected.length === 0 && r.check.violations.length === 0,
      note: `writes ${fmt(r.writesPerS, 1)}/s in one lane`,
    });
  } finally {
    await mongo.stop();
  }
}
