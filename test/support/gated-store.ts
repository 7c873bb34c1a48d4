import { setTimeout as sleep } from "node:timers/promises";
import { MemoryUserStore } from "../../src/adapters/storage/memory/memory-user-store.js";
import type { UserStore } from "../../src/core/ports/user-store.js";
import type { StoreHarness, TestStore } from "./stores.js";

export interface Pause {
  /** Resolves when the paused call has its result and is waiting. */
  reached: Promise<void>;
  /** Lets the paused call return. */
  release(): void;
}

/**
 * A memory store whose next top-level call of a chosen method holds its result
 * until released: a race between two flows, replayed in one exact order. Calls
 * made through a transaction's handle are never paused (nor delayed).
 */
export class GatedStore {
  readonly #inner = new MemoryUserStore();
  /** Up to this many ms of random delay after each top-level call, like a database across a network. */
  latencyMs = 0;
  readonly #armed = new Map<PropertyKey, { reached: () => void; released: Promise<void> }>();
  readonly store: TestStore = new Proxy(this.#inner, {
    get: (target, prop) => {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        const result = await value.apply(target, args);
        if (this.latencyMs > 0) await sleep(Math.random() * this.latencyMs);
        const gate = this.#armed.get(prop);
        if (gate) {
          this.#armed.delete(prop);
          gate.reached();
          await gate.released;
        }
        return result;
      };
    },
  });

  /** Pauses the next call of `method` after it has read or written the store. */
  pauseAfter(method: keyof UserStore): Pause {
    let reached = () => {};
    let release = () => {};
    const pause = {
      reached: new Promise<void>((resolve) => {
        reached = resolve;
      }),
      release: () => release(),
    };
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#armed.set(method, { reached, released });
    return pause;
  }

  harness(): StoreHarness {
    return {
      name: "memory (gated)",
      create: async () => ({
        store: this.store,
        snapshot: () => this.#inner.snapshot(),
        dispose: () => this.#inner.close(),
        isolatesConcurrentTransactions: true,
      }),
    };
  }
}
