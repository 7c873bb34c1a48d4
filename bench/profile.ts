import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, e.g. from `npm run bench -- --cpu-prof`):
 * self time by function and by package/file, so a note can say where the time goes.
 * Usage: `tsx bench/profile.ts [file.cpuprofile | dir] [rows] [skipMs]` (default: the newest
 * main-thread profile in bench/results/profiles; skipMs leaves out start-up and warm-up).
 */

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  idleShare: number;
  /** Share of busy time with a frame of this project's src/ anywhere on the stack. */
  oursInclusive: number;
  /** The same, by src/ file (a sample counts once per file on its stack). */
  oursByFile: Array<{ name: string; share: number }>;
  byFunction: Array<{ name: string; share: number }>;
  byOrigin: Array<{ name: string; share: number }>;
}

/** "node_modules/@connectrpc/connect-node/..." -> "@connectrpc/connect-node"; src files by path. */
function origin(url: string): string {
  if (!url) return "(native/V8)";
  if (url.startsWith("node:")) return url;
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const parts = url.slice(modules + 13).split("/");
    return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  const src = url.indexOf("/src/");
  return src >= 0 ? url.slice(src + 1) : url;
}

/** Summary of the samples taken after the first `skipMs` (start-up, seeding, warm-up). */
export function summarise(file: string, rows = 15, skipMs = 0): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let elapsed = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    elapsed += delta;
    if (elapsed / 1000 < skipMs) return;
    self.set(id, (self.get(id) ?? 0) + delta);
  });
  // Inclusive time of this project's own files: walk each sampled node's stack once.
  const ourFiles = (id: number): Set<string> => {
    const files = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)?.callFrame.url ?? "";
      const where = origin(url);
      if (where.startsWith("src/")) files.add(where);
    }
    return files;
  };
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const org = new Map<string, number>();
  let idle = 0;
  for (const [id, us] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === "(idle)") {
      idle += us;
      continue;
    }
    const where = origin(frame.url);
    const name = `${frame.functionName || "(anonymous)"} ${where}${frame.url ? `:${frame.lineNumber + 1}` : ""}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    org.set(where, (org.get(where) ?? 0) + us);
  }
  const busy = total - idle;
  const oursFile = new Map<string, number>();
  let ours = 0;
  for (const [id, us] of self) {
    if (byId.get(id)?.callFrame.functionName === "(idle)") continue;
    const files = ourFiles(id);
    if (files.size > 0) ours += us;
    for (const f of files) oursFile.set(f, (oursFile.get(f) ?? 0) + us);
  }
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, rows)
      .map(([name, us]) => ({ name, share: busy > 0 ? us / busy : 0 }));
  return {
    file,
    totalMs: total / 1000,
    idleShare: total > 0 ? idle / total : 0,
    oursInclusive: busy > 0 ? ours / busy : 0,
    oursByFile: top(oursFile),
    byFunction: top(fn),
    byOrigin: top(org),
  };
}

/** The newest main-thread profile (tsx's loader thread writes a small one beside it). */
function newest(dir: string): string {
  const files = readdirSync(dir)
    .filter((f) => /\.0\.\d+\.cpuprofile$/.test(f))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!files[0]) throw new Error(`no .cpuprofile in ${dir}`);
  return files[0];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = process.argv[2] ?? "bench/results/profiles";
  const file = statSync(arg).isDirectory() ? newest(arg) : arg;
  const s = summarise(file, Number(process.argv[3] ?? 15), Number(process.argv[4] ?? 0));
  /** With a call count (5th argument), shares are also shown as µs of main-thread time per call. */
  const calls = Number(process.argv[5] ?? 0);
  const busyMs = s.totalMs * (1 - s.idleShare);
  const pct = (x: number) =>
    `${(x * 100).toFixed(1).padStart(5)} %${calls > 0 ? ` ${((x * busyMs * 1000) / calls).toFixed(1).padStart(7)} µs/call` : ""}`;
  console.log(
    `${s.file}: ${s.totalMs.toFixed(0)} ms sampled, ${(s.idleShare * 100).toFixed(1)} % idle`,
  );
  if (calls > 0)
    console.log(`main thread busy ${((busyMs * 1000) / calls).toFixed(1)} µs per call`);
  console.log(`\nthis project's src/ on the stack: ${pct(s.oursInclusive)} of busy time`);
  for (const r of s.oursByFile) console.log(`  ${pct(r.share)}  ${r.name}`);
  console.log("\nself time of busy time, by package or file:");
  for (const r of s.byOrigin) console.log(`  ${pct(r.share)}  ${r.name}`);
  console.log("\nby function:");
  for (const r of s.byFunction) console.log(`  ${pct(r.share)}  ${r.name}`);
}
