import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatReport } from "../../src/ops/store-check/index.js";
import { type MongoHandle, startMongo } from "../support/mongo.js";
import { runSoak, type SoakReport, soakTable } from "./lib/soak.js";

/**
 * Soak smoke (issue 31): 60 s of the soak workload at a fixed rate on MongoDB, the
 * server in a child process. The 10-minute form is `npm run bench -- --only soak`.
 * Bounds: RSS and retained heap grow < 10% after warm-up; event-loop delay p99 (the
 * server's monitorEventLoopDelay via /metrics) under 50 ms at the median interval beyond
 * what an idle Node process on the same machine suffers meanwhile (on a 2-core machine
 * shared with other suites or developers, CPU contention alone delays any event loop by
 * tens of ms: that part is the machine's), and under 250 ms in every interval; no error
 * but the expected one; the invariant checker finds nothing.
 */
describe("soak smoke: 60 s mixed workload on MongoDB", () => {
  let mongo: MongoHandle;
  let r: SoakReport;
  beforeAll(async () => {
    mongo = await startMongo();
    const lines: string[] = [];
    r = await runSoak({
      uri: mongo.uri,
      dbName: mongo.dbName,
      durationMs: Number(process.env.UH_SOAK_SECONDS ?? 60) * 1000,
      rate: 150,
      warmupMs: 15_000,
      sampleEveryMs: 5_000,
      users: 40,
      log: (line) => lines.push(line),
    });
    console.info(`[soak] backend ${mongo.backend}\n${soakTable(r.samples)}`);
    console.info(
      `[soak] RSS ${(100 * r.rssGrowth).toFixed(1)}%, heap ${(100 * r.heapGrowth).toFixed(1)}% after warm-up; loop p99 median ${r.loopP99MedianMs.toFixed(1)} ms (an idle process: ${r.idleP99MedianMs.toFixed(1)} ms), max ${r.loopP99MaxMs.toFixed(1)} ms; ${[...r.outcomes].map(([k, n]) => `${k}: ${n}`).join(", ")}; writes ${r.writesPerS.toFixed(1)}/s (${r.late} skipped while the lane was busy)`,
    );
  }, 180_000);
  afterAll(async () => {
    await mongo?.stop();
  });

  it("grows RSS and retained heap by less than 10% after warm-up", () => {
    expect(r.samples.length).toBeGreaterThanOrEqual(10);
    expect(r.rssGrowth).toBeLessThan(0.1);
    expect(r.heapGrowth).toBeLessThan(0.1);
  });

  it("keeps the event loop's p99 delay low", () => {
    expect(r.loopP99MedianMs - r.idleP99MedianMs).toBeLessThan(50);
    expect(r.loopP99MaxMs).toBeLessThan(250);
  });

  it("answers every call, with no error but a read racing its session's revocation", () => {
    expect(r.unexpected).toEqual([]);
    for (const rpc of [
      "VerifySession",
      "GetCurrentUser",
      "Login",
      "Logout",
      "Register",
      "ChangePassword",
      "SendPasswordReset",
      "ResetPassword",
    ]) {
      expect(r.outcomes.get(`${rpc} ok`) ?? 0, rpc).toBeGreaterThan(0);
    }
    // The writes run one at a time (jongodb: see lib/soak.ts): some every second, at least.
    expect(r.writesPerS).toBeGreaterThan(2);
  });

  it("leaves a store the invariant checker finds nothing wrong with", () => {
    console.info(`[soak] ${formatReport(r.check)}`);
    expect(r.check.violations).toEqual([]);
  });
});
