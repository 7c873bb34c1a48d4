import * as hdr from "hdr-histogram-js";

export interface Latencies {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The middle of a few runs (the mean of the two middle ones for an even count); NaN if none. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2
    ? (sorted[Math.floor(mid)] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Percentiles (ms) of call latencies in ms, from an HDR histogram of µs (3 significant digits). */
export function latencies(valuesMs: number[]): Latencies | null {
  if (valuesMs.length === 0) return null;
  const histogram = hdr.build({ numberOfSignificantValueDigits: 3 });
  for (const ms of valuesMs) histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  const at = (q: number) => histogram.getValueAtPercentile(q) / 1000;
  const result = { p50: at(50), p90: at(90), p99: at(99), max: at(100) };
  histogram.destroy();
  return result;
}

export interface Figure {
  id: string;
  metric: string;
  ours: string;
  baseline: string;
  ratio: number | null;
  target: string;
  met: boolean | null;
  note?: string;
}

/** This run's figures, in the order measured, and the raw reports behind them. */
export const figures: Figure[] = [];
export const raw: Record<string, unknown> = {};

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: digits }) : "-";
export const ratioOf = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? a / b : null);

const runStarted = performance.now();
/** A group's heading, with the seconds since the run began. */
export function phase(title: string) {
  console.error(`\n[${title}] +${fmt((performance.now() - runStarted) / 1000, 1)} s`);
}

export function figure(f: Figure) {
  figures.push(f);
}

/** ">= min" figure of ours ÷ baseline. */
export function atLeast(
  f: Omit<Figure, "ratio" | "target" | "met"> & { a: number; b: number },
  min: number,
) {
  const { a, b, ...rest } = f;
  const ratio = ratioOf(a, b);
  figure({ ...rest, ratio, target: `>= ${min}`, met: (ratio ?? 0) >= min });
}

/** "X ÷ no-op" from an A B B A pair (A = Check), with the server CPU cost per call beside it. */
export function versusNoop(
  id: string,
  metric: string,
  p: { a: number; b: number; aCost: number; bCost: number },
  min: number,
  extra?: string,
) {
  const costs = `server CPU per call ${fmt(p.bCost)} µs vs ${fmt(p.aCost)} µs for Check (cost ratio ${fmt(p.aCost / p.bCost, 2)})`;
  atLeast(
    {
      id,
      metric,
      ours: `${fmt(p.b)}/s`,
      baseline: `${fmt(p.a)}/s Check`,
      a: p.b,
      b: p.a,
      note: extra ? `${extra}; ${costs}` : costs,
    },
    min,
  );
}

/** The Markdown table of every figure, with the notes and the machine it ran on. */
export function renderTable(
  info: { cpu: string; cores: number; ramGiB: number; node: string; os: string },
  seconds: number,
  context: { smoke: boolean; extraEnv: Record<string, string>; backgrounds: number[] },
): string {
  const head = ["metric", "ours", "baseline", "ratio", "target", "met?"];
  const rows = figures.map((f) => [
    f.metric,
    f.ours,
    f.baseline,
    f.ratio === null ? "-" : f.ratio.toFixed(2),
    f.target,
    f.met === null ? "-" : f.met ? "yes" : "NO",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  const notes = figures.filter((f) => f.note).map((f) => `- ${f.metric}: ${f.note}`);
  const { backgrounds } = context;
  const other = backgrounds.length
    ? backgrounds.reduce((a, b) => a + b, 0) / backgrounds.length
    : Number.NaN;
  const disturbance = `Other processes on the machine used ${fmt(other, 2)} cores on average (max ${fmt(Math.max(...backgrounds), 2)}) during the Node-driven measurements${other > 0.2 ? ": figures DISTURBED by outside work" : ""}.`;
  return [
    `Machine: ${info.cpu}, ${info.cores} cores (shared by the load generator and the servers), ${info.ramGiB} GiB RAM, Node ${info.node}, ${info.os}${context.smoke ? " — SMOKE RUN, figures meaningless" : ""}`,
    ...(Object.keys(context.extraEnv).length > 0
      ? [`Server settings changed for this run: ${JSON.stringify(context.extraEnv)}`]
      : []),
    "",
    line(head),
    `|${widths.map((w, i) => (i === 0 ? ":" : "-").padEnd(w + 1, "-") + (i === 0 ? "-" : ":")).join("|")}|`,
    ...rows.map(line),
    "",
    ...notes,
    "",
    disturbance,
    `(run took ${fmt(seconds)} s)`,
  ].join("\n");
}
