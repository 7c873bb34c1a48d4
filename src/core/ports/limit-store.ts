/** A counter in its window: how many so far, and when the window ends. */
export interface Counter {
  count: number;
  resetAt: Date;
}

/** A lock on one key: until when, and how many locks it took to get there (the doubling). */
export interface Lock {
  until: Date;
  level: number;
}

/**
 * Where rate-limit and lockout counters live, so every replica on one database
 * sees the same ones. The store only counts: which key, how many, how long and
 * what a count means is the core's policy (core/limits.ts). Keys arrive as
 * keyed hashes; times come from the core's clock, never the store's own.
 * Records are removed once their window or lock has passed (TTL on MongoDB).
 */
export interface LimitStore {
  /**
   * Counts one more for `key`. A missing or ended window (resetAt <= now) starts
   * a new one at 1 that ends at now + windowMs. Atomic: of concurrent calls each
   * counts once, and each sees a count no lower than its own.
   */
  increment(key: string, now: Date, windowMs: number): Promise<Counter>;
  /** Forgets the counter for `key`. */
  reset(key: string): Promise<void>;
  /**
   * True for exactly one caller per `key` until `expiresAt` (a unique insert):
   * how concurrent failures agree on who starts a lock, where a counter read
   * back after an increment may skip past the exact count.
   */
  claim(key: string, now: Date, expiresAt: Date): Promise<boolean>;
  /**
   * Locks `key` until `lock.until` at `lock.level`, unless a lock at least as
   * long and as high is already there: concurrent callers starting the same lock
   * agree, and a late one never shortens it.
   */
  lock(key: string, lock: Lock): Promise<void>;
  /** The lock on `key` that is still on at `now`, or null. */
  lockOn(key: string, now: Date): Promise<Lock | null>;
}
