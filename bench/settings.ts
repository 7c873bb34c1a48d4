import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchArgs, type Group, parseBenchArgs, planFor } from "./args.js";

/** This run's command line and plan, read once: every bench module shares them. */
function read(): BenchArgs {
  try {
    return parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}

export const args = read();
export const plan = planFor(args);
export const wants = (group: Group) => args.only.has(group);

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const RESULTS = join(ROOT, "bench", "results", "latest.json");
export const PROFILE_DIR = join(ROOT, "bench", "results", "profiles");

export const API_KEY = randomBytes(24).toString("base64url");
export const PASSWORD = "correct horse battery staple";
export const CLIENT = { ip: "203.0.113.7", userAgent: "userharbor-bench/1.0" };
