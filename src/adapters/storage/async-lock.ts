/** A FIFO async mutex: one holder at a time, waiters served in order. */
export class AsyncLock {
  #tail: Promise<void> = Promise.resolve();
  #queued = 0;

  /** True while a holder runs or waiters are queued. */
  get busy(): boolean {
    return this.#queued > 0;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise((resolve) => {
      release = resolve;
    });
    this.#queued++;
    try {
      await previous;
      return await work();
    } finally {
      this.#queued--;
      release();
    }
  }

  /** Waits until nobody holds or waits for the lock. Returns at once (no await) when free. */
  async free(): Promise<void> {
    while (this.#queued > 0) await this.#tail;
  }
}
