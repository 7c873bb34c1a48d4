import { z } from "zod";

/** The value types variables share: each parses the text as typed in the environment. */

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** "15", "m" -> 900000 (the regexes below only let known units through). */
const toMs = (amount = "", unit = "") => Number(amount) * (UNIT_MS[unit] ?? Number.NaN);

/** "90s", "15m", "24h", "30d" -> milliseconds. */
export const duration = z
  .string()
  .regex(DURATION, "must be a duration like 500ms, 30s, 15m, 24h or 7d")
  .transform((text) => {
    const [, amount, unit] = DURATION.exec(text) ?? [];
    return toMs(amount, unit);
  })
  .refine((ms) => ms > 0, "must be greater than zero");

export const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** "10/1m": 10 requests per minute. */
const BUDGET = /^(\d+)\/(\d+)(ms|s|m|h|d)$/;
export const budget = z
  .string()
  .regex(BUDGET, "must look like 10/1m (requests per duration)")
  .transform((text) => {
    const [, points, amount, unit] = BUDGET.exec(text) ?? [];
    return {
      points: Number(points),
      durationMs: toMs(amount, unit),
    };
  })
  .refine((b) => b.points > 0 && b.durationMs >= 1_000, "needs at least 1 request per at least 1s");

export const flag = z.stringbool();

const ENTRY_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** What is wrong with an entry's name (API_KEYS, WEBHOOKS), if anything. */
export function entryNameProblem(name: string): string | undefined {
  return ENTRY_NAME.test(name) ? undefined : "name must be 1-32 characters of a-z, 0-9, '_' or '-'";
}

/**
 * A `;`-separated list of entries (API_KEYS, WEBHOOKS): each parsed alone, then checked against
 * the ones before it. `parse` and `clash` answer a problem as a string; the first one stops the
 * list with "entry N: problem" (whose text must never quote a secret).
 */
export function entryList<T>(
  parse: (entry: string) => T | string,
  clash: (entry: T, earlier: readonly T[]) => string | undefined,
) {
  return z.string().transform((text, ctx): T[] => {
    const parsed: T[] = [];
    const entries = text
      .split(";")
      .map((entry) => entry.trim())
      .filter(Boolean);
    for (const [index, entry] of entries.entries()) {
      const one = parseOne(entry, parse);
      const problem = typeof one === "string" ? one : clash(one.value, parsed);
      if (typeof one === "string" || problem) {
        ctx.addIssue({ code: "custom", message: `entry ${index + 1}: ${problem}` });
        return z.NEVER;
      }
      parsed.push(one.value);
    }
    return parsed;
  });
}

/** `parse`'s answer boxed, so that a parsed value that is itself a string is not read as a problem. */
function parseOne<T>(entry: string, parse: (entry: string) => T | string): { value: T } | string {
  const result = parse(entry);
  return typeof result === "string" ? result : { value: result };
}
