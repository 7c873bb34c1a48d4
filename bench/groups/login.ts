import { figure, fmt, ratioOf, raw } from "../figures.js";
import { argon2HashMs } from "../machine.js";
import { grpc, load, one } from "../measure.js";
import { plan } from "../settings.js";
import type { MemoryRun } from "./memory.js";

/**
 * Login at the sustainable concurrency ÷ the argon2 limit, then a login flood at
 * plan.floodFactor x that rate beside steady VerifySession traffic: the excess is refused,
 * admitted logins stay near the hash time, VerifySession's p99 stays near idle.
 */
export async function loginGroup(run: MemoryRun): Promise<void> {
  const { server } = run;
  const watch = server.watch;
  // Hash time again, next to the login runs; the faster reading sets the (stricter) limit.
  const again = await argon2HashMs(plan.hashSamples);
  raw.hash = { ...(raw.hash as object), argon2MsBeforeLogin: again };
  run.hashMs = Math.min(run.hashMs, again);
  const hashMs = run.hashMs;
  const loginLimit = plan.cores / (hashMs / 1000);
  const login = await load(
    [grpc(server, "Login", "login", { concurrency: plan.loginConcurrency })],
    watch,
  );
  const loginThroughput = one(login).throughput;
  run.loginThroughput = loginThroughput;
  raw.login = login;
  figure({
    id: "login_vs_argon2_limit",
    metric: `Login ÷ argon2 limit (${plan.cores} cores ÷ ${fmt(hashMs, 1)} ms)`,
    ours: `${fmt(loginThroughput, 1)}/s`,
    baseline: `${fmt(loginLimit, 1)}/s`,
    ratio: ratioOf(loginThroughput, loginLimit),
    target: ">= 0.9",
    met: (ratioOf(loginThroughput, loginLimit) ?? 0) >= 0.9,
  });

  // Steady background traffic: 5% of VerifySession's capacity (100/s if not measured).
  const verify = run.verifyThroughput;
  const vsRate = Math.max(50, Math.round(0.05 * (Number.isFinite(verify) ? verify : 2_000)));
  const floodRate = Math.max(4, Math.round(plan.floodFactor * loginThroughput));
  const background = grpc(server, `VerifySession @${vsRate}/s`, "verifySession", {
    rate: vsRate,
  });
  const idle = await load([background], watch);
  const flood = await load(
    [grpc(server, `Login flood @${floodRate}/s`, "login", { rate: floodRate }), background],
    watch,
  );
  raw.flood = { idle, flood, vsRate, floodRate };
  const logins = one(flood, 0);
  const vsFlooded = one(flood, 1);
  const vsIdle = one(idle);
  const rejected = logins.errors.RESOURCE_EXHAUSTED ?? 0;
  const other = logins.sent - logins.ok - rejected;
  const share = logins.sent > 0 ? rejected / logins.sent : 0;
  const p99 = logins.latency?.p99 ?? Number.NaN;
  figure({
    id: "flood_login_p99_vs_hash",
    metric: `Login p99 (admitted) at ${plan.floodFactor}x load ÷ hash time`,
    ours: `${fmt(p99, 1)} ms`,
    baseline: `${fmt(hashMs, 1)} ms`,
    ratio: ratioOf(p99, hashMs),
    target: "< 3",
    met: (ratioOf(p99, hashMs) ?? Number.POSITIVE_INFINITY) < 3,
    note: `${fmt(floodRate)}/s offered, ${fmt(logins.throughput, 1)}/s admitted`,
  });
  const excess = 1 - 1 / plan.floodFactor;
  figure({
    id: "flood_rejected_share",
    metric: "Share of flood answered RESOURCE_EXHAUSTED",
    ours: `${fmt(share * 100, 1)} %`,
    baseline: `${fmt(excess * 100)} % excess`,
    ratio: share,
    target: "excess rejected",
    // The excess is refused (at least 90% of what is over capacity), and nothing fails any
    // other way.
    met: share >= 0.9 * excess && other === 0 && logins.skipped === 0,
    note: `other failures ${other}; refusals answered in p99 ${fmt(logins.errorLatency?.p99 ?? Number.NaN, 1)} ms; admitted ${fmt(logins.throughput, 1)}/s = ${fmt((logins.throughput / loginThroughput) * 100)} % of the sustainable rate`,
  });
  const idleP99 = vsIdle.latency?.p99 ?? Number.NaN;
  const floodP99 = vsFlooded.latency?.p99 ?? Number.NaN;
  figure({
    id: "verify_p99_flood_vs_idle",
    metric: `VerifySession p99 under login flood ÷ idle (${vsRate}/s)`,
    ours: `${fmt(floodP99, 2)} ms`,
    baseline: `${fmt(idleP99, 2)} ms idle`,
    ratio: ratioOf(floodP99, idleP99),
    target: "< 2",
    met: (ratioOf(floodP99, idleP99) ?? Number.POSITIVE_INFINITY) < 2,
  });
}
