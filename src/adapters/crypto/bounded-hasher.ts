import { AccountError } from "../../core/errors.js";
import type { PasswordHasher } from "../../core/ports/password-hasher.js";

export interface HashingLimits {
  /** Hashes computed at once (each holds a thread-pool thread and ~19 MiB). */
  maxInFlight: number;
  /** Hashes allowed to wait for a slot; beyond, callers get OVERLOADED at once. */
  maxQueued: number;
}

/**
 * Overload control for the one expensive thing the service does. A flood of
 * logins queues here, boundedly, instead of growing latency and memory without
 * limit; the excess is refused immediately with a retry hint, and RPCs that
 * never hash (VerifySession) are not stuck behind it.
 */
export class BoundedHasher implements PasswordHasher {
  #inFlight = 0;
  readonly #waiting: Array<() => void> = [];
  /** Moving average of one hash's duration, for the RetryInfo hint. */
  #averageMs = 50;

  constructor(
    private readonly inner: PasswordHasher,
    private readonly limits: HashingLimits,
  ) {}

  get inFlight(): number {
    return this.#inFlight;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  hash(password: string): Promise<string> {
    return this.#run(() => this.inner.hash(password));
  }

  verify(passwordHash: string, password: string): Promise<boolean> {
    return this.#run(() => this.inner.verify(passwordHash, password));
  }

  needsRehash(passwordHash: string): boolean {
    return this.inner.needsRehash(passwordHash);
  }

  async #run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#inFlight >= this.limits.maxInFlight) {
      if (this.#waiting.length >= this.limits.maxQueued) {
        // The queue drains maxInFlight hashes per average hash time.
        const retryAfterMs = Math.ceil(
          ((this.#waiting.length + 1) / this.limits.maxInFlight) * this.#averageMs,
        );
        throw new AccountError("OVERLOADED", { retryAfterMs });
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#inFlight++;
    }
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.#averageMs = 0.9 * this.#averageMs + 0.1 * (performance.now() - started);
      // Hand the slot straight to the next waiter, or give it back.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#inFlight--;
    }
  }
}
