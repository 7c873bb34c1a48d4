import { scrypt } from "node:crypto";
import { readFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import argon2 from "argon2";
import { owaspArgon2Params } from "../src/adapters/crypto/argon2-hasher.js";
import { median } from "./figures.js";
import { args, PASSWORD, plan } from "./settings.js";

/** What this run ran on; the report prints it (Node version included). */
export function machine() {
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: plan.cores,
    ramGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()}`,
  };
}

/** One argon2id hash with the production parameters, alone on an idle machine (median, ms). */
export async function argon2HashMs(samples: number): Promise<number> {
  const options = {
    type: argon2.argon2id,
    memoryCost: owaspArgon2Params.memoryKiB,
    timeCost: owaspArgon2Params.timeCost,
    parallelism: owaspArgon2Params.parallelism,
  };
  await argon2.hash(PASSWORD, options); // warm the thread pool and the allocator
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await argon2.hash(PASSWORD, options);
    times.push(performance.now() - started);
  }
  return median(times);
}

/** One scrypt with Better Auth's default parameters (N=16384, r=16, p=1, 64 bytes), ms. */
export async function scryptHashMs(samples: number): Promise<number> {
  const once = () =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      scrypt(
        PASSWORD,
        "0123456789abcdef",
        64,
        { N: 16_384, r: 16, p: 1, maxmem: 64 * 2 ** 20 },
        (e) => (e ? reject(e) : resolve(performance.now() - started)),
      );
    });
  await once();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push(await once());
  return median(times);
}

/** Cores busy on the whole machine over `ms` (Linux /proc/stat); NaN elsewhere. */
export async function machineBusy(ms: number): Promise<number> {
  const busy = () => {
    try {
      const ticks = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "")
        .trim()
        .split(/\s+/)
        .slice(1)
        .map(Number);
      return ticks.reduce((a, b) => a + b, 0) - (ticks[3] ?? 0) - (ticks[4] ?? 0);
    } catch {
      return Number.NaN;
    }
  };
  const before = busy();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (busy() - before) / 100 / (ms / 1000);
}

/** Waits (up to `seconds`) until other processes leave the cores nearly idle. */
export async function waitQuiet(seconds: number): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const busy = await machineBusy(args.smoke ? 200 : 2_000);
    if (!(busy > 0.2) || Date.now() > deadline) return busy;
    console.error(
      `  machine busy with other work (${busy.toFixed(2)} cores); waiting for quiet...`,
    );
  }
}
