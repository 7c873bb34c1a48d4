/**
 * Tells open watchers that new events may be in the log. This replica's own
 * commits wake them at once (`wake`, called after a flow's transaction that
 * appended events commits); other replicas' commits are seen by polling the
 * log's head every `pollMs`, and only while someone is waiting, so an idle
 * server does not query the store for events at all.
 */
export class EventFeed {
  /** Moves on every wake: a watcher compares it with the value it saw before reading. */
  #version = 0;
  #waiters = new Set<() => void>();
  #lastHead: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling = false;
  #closed = false;
  /** The head moved at the last poll: wake once more at the next. */
  #again = false;

  constructor(
    private readonly head: () => Promise<number>,
    private readonly pollMs: number,
    /** A failed poll (store down) is reported and tried again next interval. */
    private readonly onError: (error: unknown) => void = () => {},
    /** However quiet, a waiter reads again this often (heals any missed wake). */
    private readonly maxWaitMs = 5_000,
  ) {}

  get version(): number {
    return this.#version;
  }

  /** How many watchers wait now. */
  get waiting(): number {
    return this.#waiters.size;
  }

  wake(): void {
    this.#version++;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const resolve of waiters) resolve();
  }

  /**
   * Resolves once the feed moved past `seen` (at once if it already has), after
   * at most maxWaitMs, or when `signal` aborts.
   */
  changed(seen: number, signal: AbortSignal): Promise<void> {
    if (this.#version !== seen || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timeout);
        signal.removeEventListener("abort", done);
        this.#waiters.delete(done);
        resolve();
      };
      const timeout = setTimeout(done, this.maxWaitMs);
      signal.addEventListener("abort", done, { once: true });
      this.#waiters.add(done);
      this.#schedulePoll();
    });
  }

  /** Stops polling (server shutdown); waiters still pending are released. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.wake();
  }

  #schedulePoll(): void {
    if (this.#timer || this.#polling || this.#closed) return;
    this.#timer = setTimeout(() => void this.#poll(), this.pollMs);
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    this.#timer = undefined;
    if (this.#waiters.size === 0) return;
    this.#polling = true;
    try {
      const head = await this.head();
      // A first poll, or a head that moved (another replica committed): read again. And once
      // more at the next poll: a reader that raced the commit's visibility (an engine that
      // applies a commit's writes one by one) gets a second look instead of waiting maxWaitMs.
      if (head !== this.#lastHead) {
        this.#lastHead = head;
        this.#again = true;
        this.wake();
      } else if (this.#again) {
        this.#again = false;
        this.wake();
      }
    } catch (error) {
      this.onError(error);
    } finally {
      this.#polling = false;
    }
    if (this.#waiters.size > 0) this.#schedulePoll();
  }
}
