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
