import type { Counter, LimitStore, Lock } from "../../../core/ports/limit-store.js";

/**
 * Rate-limit counters, locks and lock claims of one process. Kept apart from
 * the account tables on purpose: every request counts, failed or not, so they
 * take no part in transactions or snapshots. Each call runs to completion
 * without awaiting, which is what makes it atomic here.
 */
export class MemoryLimits implements LimitStore {
  readonly #counters = new Map<string, { count: number; resetAt: number }>();
  readonly #locks = new Map<string, { until: number; level: number }>();
  readonly #claims = new Map<string, number>();

  async increment(key: string, now: Date, windowMs: number): Promise<Counter> {
    const at = now.getTime();
    const live = this.#counters.get(key);
    const counter =
      live && live.resetAt > at
        ? { count: live.count + 1, resetAt: live.resetAt }
        : { count: 1, resetAt: at + windowMs };
    this.#counters.set(key, counter);
    return { count: counter.count, resetAt: new Date(counter.resetAt) };
  }

  async reset(key: string): Promise<void> {
    this.#counters.delete(key);
  }

  async claim(key: string, now: Date, expiresAt: Date): Promise<boolean> {
    const held = this.#claims.get(key);
    if (held !== undefined && held > now.getTime()) return false;
    this.#claims.set(key, expiresAt.getTime());
    return true;
  }

  async lock(key: string, lock: Lock): Promise<void> {
    const held = this.#locks.get(key);
    this.#locks.set(key, {
      until: Math.max(held?.until ?? 0, lock.until.getTime()),
      level: Math.max(held?.level ?? 0, lock.level),
    });
  }

  async lockOn(key: string, now: Date): Promise<Lock | null> {
    const held = this.#locks.get(key);
    return held && held.until > now.getTime()
      ? { until: new Date(held.until), level: held.level }
      : null;
  }

  /** What a TTL index does: forgets what has passed. Returns how many records went. */
  sweep(now: Date): number {
    const at = now.getTime();
    return (
      dropPassed(this.#counters, (c) => c.resetAt, at) +
      dropPassed(this.#locks, (l) => l.until, at) +
      dropPassed(this.#claims, (until) => until, at)
    );
  }
}

function dropPassed<V>(map: Map<string, V>, end: (value: V) => number, at: number): number {
  let removed = 0;
  for (const [key, value] of map) if (end(value) <= at && map.delete(key)) removed++;
  return removed;
}
