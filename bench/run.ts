import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { owaspArgon2Params } from "../src/adapters/crypto/argon2-hasher.js";
import { figures, fmt, phase, raw, renderTable } from "./figures.js";
import { assertionGroup } from "./groups/assertion.js";
import { capacityGroup } from "./groups/capacity.js";
import { hostileGroup } from "./groups/hostile.js";
import { loggingGroup } from "./groups/logging.js";
import { loginGroup } from "./groups/login.js";
import { type MemoryRun, memoryGroup } from "./groups/memory.js";
import { mongodbGroup } from "./groups/mongodb.js";
import { peerGetSession, peerSignIn, startPeerBeside } from "./groups/peer.js";
import { rssGroup } from "./groups/rss.js";
import { soakGroup } from "./groups/soak.js";
import { transportGroup } from "./groups/transport.js";
import { argon2HashMs, machine, waitQuiet } from "./machine.js";
import { backgrounds } from "./measure.js";
import { logs, startUserHarbor } from "./processes.js";
import { args, plan, RESULTS, ROOT, wants } from "./settings.js";

/**
 * `npm run bench` (`tsx bench/run.ts`): starts the real server as a child process, drives it
 * from separate load-generator processes (h2load, or bench/load.ts), and prints every figure
 * as a ratio to a baseline measured in the same run on the same machine. Writes
 * bench/results/latest.json. Exits non-zero only when the harness itself breaks, never
 * because a target is missed.
 *
 * Layout: args.ts (command line, plan), settings.ts (this run's), processes.ts (servers,
 * baselines, the generator), measure.ts (load runs, interleaving), h2load.ts, figures.ts
 * (percentiles, figures, the table), groups/ (one file per benchmark group), and the two
 * measurements that also run on their own: session-rss.ts (the rss group) and
 * document-sizes.ts (the capacity group).
 */

async function main() {
  const started = performance.now();
  const info = machine();
  console.error(
    `UserHarbor bench${args.smoke ? " (SMOKE: tiny durations, figures meaningless)" : ""}: ${info.cpu}, ${info.cores} cores, ${info.ramGiB} GiB, Node ${info.node}`,
  );
  console.error(
    "The load generator and the servers share this machine's cores: every figure is a ratio of two runs under the same sharing.",
  );
  const busyAtStart = await waitQuiet(args.waitQuietS);
  raw.busyAtStart = busyAtStart;
  console.error(`Other processes were using ${fmt(busyAtStart, 2)} cores when the run began.`);
  const hashMs = await argon2HashMs(plan.hashSamples);
  console.error(
    `argon2id (m=${owaspArgon2Params.memoryKiB} KiB, t=${owaspArgon2Params.timeCost}, p=${owaspArgon2Params.parallelism}): ${fmt(hashMs, 1)} ms per hash -> limit ${fmt(plan.cores / (hashMs / 1000), 1)} logins/s on ${plan.cores} cores`,
  );
  raw.hash = {
    argon2Ms: hashMs,
    loginLimitPerSecond: plan.cores / (hashMs / 1000),
    cores: plan.cores,
  };

  if (wants("transport")) await transportGroup();

  const run: MemoryRun | undefined =
    wants("memory") || wants("login") || wants("peer")
      ? {
          server: await (async () => {
            phase("memory store, LOG_LEVEL=warn");
            return startUserHarbor("memory-warn", {}, plan.seedSessions);
          })(),
          peer: undefined,
          verifyThroughput: Number.NaN,
          loginThroughput: Number.NaN,
          hashMs,
          scryptMs: Number.NaN,
        }
      : undefined;
  if (run) {
    try {
      if (wants("peer")) await startPeerBeside(run);
      if (wants("memory")) await memoryGroup(run);
      if (wants("peer")) await peerGetSession(run);
      if (wants("login")) await loginGroup(run);
      if (wants("peer")) await peerSignIn(run);
    } finally {
      await run.peer?.stop();
      await run.server.stop();
    }
  }
  if (wants("logging")) await loggingGroup();
  if (wants("mongodb")) await mongodbGroup();
  if (wants("rss")) await rssGroup();
  if (wants("capacity")) await capacityGroup();
  if (wants("hostile")) await hostileGroup();
  if (wants("soak")) await soakGroup();
  if (wants("assertion")) await assertionGroup();

  const seconds = (performance.now() - started) / 1000;
  const table = renderTable(info, seconds, {
    smoke: args.smoke,
    extraEnv: args.extraEnv,
    backgrounds,
  });
  process.stdout.write(`${table}\n`);
  mkdirSync(dirname(RESULTS), { recursive: true });
  const { only, ...flags } = args;
  writeFileSync(
    RESULTS,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        ...flags,
        groups: [...only],
        machine: info,
        plan,
        seconds,
        figures,
        table,
        raw,
      },
      null,
      2,
    )}\n`,
  );
  console.error(`wrote ${RESULTS.slice(ROOT.length + 1)} (${fmt(seconds, 1)} s)`);
}

main()
  .catch((error: unknown) => {
    console.error("bench harness failed:", error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const file of logs) if (process.exitCode !== 1) rmSync(file, { force: true });
    if (process.exitCode === 1) console.error(`logs kept: ${logs.join(" ")}`);
    process.exit(process.exitCode ?? 0);
  });
