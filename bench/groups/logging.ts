import { figure, fmt, phase, ratioOf, raw } from "../figures.js";
import { grpc, type Interleaved, interleaved } from "../measure.js";
import { startUserHarbor } from "../processes.js";
import { plan } from "../settings.js";

/**
 * What logging costs a call: VerifySession on two memory-store servers that differ only in
 * LOG_LEVEL, info (the default) and warn, interleaved A B B A. The figure is the server CPU
 * per call, which the sharing of the cores moves much less than the throughput.
 */
export async function loggingGroup(): Promise<void> {
  phase("logging: VerifySession at LOG_LEVEL=info (the default) and warn, memory store");
  const warn = await startUserHarbor("logging-warn", { LOG_LEVEL: "warn" }, plan.seedSessions);
  try {
    const info = await startUserHarbor("logging-info", { LOG_LEVEL: "info" }, plan.seedSessions);
    try {
      const shape = { concurrency: plan.throughputConcurrency };
      const [w, i] = (await interleaved([
        {
          workload: grpc(warn, "VerifySession, LOG_LEVEL=warn", "verifySession", shape),
          watch: warn.watch,
        },
        {
          workload: grpc(info, "VerifySession, LOG_LEVEL=info", "verifySession", shape),
          watch: info.watch,
        },
      ])) as [Interleaved, Interleaved];
      raw.logging = { warn: w.reports, info: i.reports };
      const ratio = ratioOf(i.cost, w.cost);
      figure({
        id: "verify_cpu_info_vs_warn",
        metric: "VerifySession server CPU per call, LOG_LEVEL=info ÷ warn",
        ours: `${fmt(i.cost)} µs`,
        baseline: `${fmt(w.cost)} µs`,
        ratio,
        target: "<= 1.1",
        met: ratio !== null && ratio <= 1.1,
        note: `memory store, Node generator, A B B A: info logging adds ${fmt(i.cost - w.cost)} µs (${fmt(((ratio ?? Number.NaN) - 1) * 100)} %); ${fmt(i.throughput)}/s at info, ${fmt(w.throughput)}/s at warn`,
      });
    } finally {
      await info.stop();
    }
  } finally {
    await warn.stop();
  }
}
