import { setTimeout as sleep } from "node:timers/promises";
import { MemoryStore } from "../../src/adapters/storage/memory/memory-store.js";
import type { Stores } from "../../src/core/ports/store.js";
import { memoryHarness, type StoreHarness, type StoreInstance, type TestStore } from "./stores.js";

export interface Pause {
  /** Resolves when the paused call has its result and is waiting. */
  reached: Promise<void>;
  /** Lets the paused call return. */
  release(): void;
}

/** A port method, as `port.method`: "accounts.getCredentials", "sessions.add", ... */
export type PortMethod = {
  [P in keyof Stores]: `${P}.${Extract<keyof Stores[P], string>}`;
}[keyof Stores];

/** Top-level calls (each commits alone), or calls made through a transaction's ports. */
export type Where = "outside" | "inside";

const PORTS = [
  "accounts",
  "tokens",
  "sessions",
  "devices",
  "outbox",
  "events",
  "webhooks",
] as const;

/**
 * Wraps a store so that the next call of a chosen port method holds its result
 * until released: a race between two flows, replayed in one exact order. Pause
 * a top-level call (between a flow's read and its transaction) or a call inside
 * a transaction (the transaction stays open meanwhile). Also counts calls, so a
 * test can wait until the racing flow has reached a given write.
 */
export class GatedStore {
  /** Up to this many ms of random delay after each top-level call, like a database across a network. */
  latencyMs = 0;
  readonly #armed = new Map<string, { reached: () => void; released: Promise<void> }>();
  readonly #calls = new Map<string, number>();
  readonly #waiters = new Set<() => void>();
  readonly store: TestStore;

  constructor(readonly inner: TestStore = new MemoryStore()) {
    const ports = (target: Stores, where: Where) =>
      Object.fromEntries(
        PORTS.map((p) => [p, this.#wrap(p, target[p], where)]),
      ) as unknown as Stores;
    const outside = ports(inner, "outside");
    this.store = new Proxy(inner, {
      get: (target, prop) => {
        if (PORTS.includes(prop as (typeof PORTS)[number])) {
          return outside[prop as keyof Stores];
        }
        if (prop === "transaction") {
          return <T>(work: (tx: Stores) => Promise<T>) =>
            target.transaction((tx) => work(ports(tx, "inside")));
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  #wrap<P extends object>(port: string, target: P, where: Where): P {
    return new Proxy(target, {
      get: (t, prop) => {
        const value = Reflect.get(t, prop, t);
        if (typeof value !== "function") return value;
        const name = `${port}.${String(prop)}`;
        return async (...args: unknown[]) => {
          this.#count(`${where}:${name}`);
          const result = await value.apply(t, args);
          if (where === "outside" && this.latencyMs > 0)
            await sleep(Math.random() * this.latencyMs);
          const gate = this.#armed.get(`${where}:${name}`);
          if (gate) {
            this.#armed.delete(`${where}:${name}`);
            gate.reached();
            await gate.released;
          }
          return result;
        };
      },
    });
  }

  #count(key: string): void {
    this.#calls.set(key, (this.#calls.get(key) ?? 0) + 1);
    for (const wake of this.#waiters) wake();
  }

  /** How many calls of `method` were made so far. */
  calls(method: PortMethod, where: Where = "outside"): number {
    return this.#calls.get(`${where}:${method}`) ?? 0;
  }

  /**
   * Resolves true once `method` has been called more than `after` times, or false
   * after `timeoutMs` (a store that serialises transactions holds the racing flow
   * back until the paused one ends, so there it never gets that far).
   */
  async called(method: PortMethod, where: Where, after: number, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (this.calls(method, where) <= after) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          resolve();
        };
        this.#waiters.add(wake);
        setTimeout(wake, left).unref();
      });
    }
    return true;
  }

  /** Pauses the next call of `method` (outside or inside a transaction) after it has read or written the store. */
  pauseAfter(method: PortMethod, where: Where = "outside"): Pause {
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
    this.#armed.set(`${where}:${method}`, { reached, released });
    return pause;
  }

  /** A memory store behind the gate, for suites that take a harness. */
  harness(): StoreHarness {
    return {
      name: "memory (gated)",
      create: async () => ({
        store: this.store,
        snapshot: () => (this.inner as MemoryStore).snapshot(),
        dispose: () => this.inner.close(),
        isolatesConcurrentTransactions: true,
      }),
    };
  }
}

/** A harness whose store sits behind a gate; the gate exists once `create` has run. */
export function gatedHarness(base: StoreHarness = memoryHarness) {
  let gate: GatedStore | undefined;
  const harness: StoreHarness = {
    name: `${base.name} (gated)`,
    async create(): Promise<StoreInstance> {
      const instance = await base.create();
      gate = new GatedStore(instance.store);
      return { ...instance, store: gate.store };
    },
  };
  return {
    harness,
    gate: () => {
      if (!gate) throw new Error("gated store not created yet");
      return gate;
    },
  };
}
