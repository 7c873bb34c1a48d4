import { MemoryUserStore } from "../../src/adapters/storage/memory/memory-user-store.js";
import type { StoreLifecycle, UserStore } from "../../src/core/ports/user-store.js";

export type TestStore = UserStore & StoreLifecycle;

export interface StoreInstance {
  store: TestStore;
  /** Every record, comparable with toEqual: proves "nothing changed". */
  snapshot(): Promise<unknown>;
  dispose(): Promise<void>;
}

/** One entry per UserStore implementation; suites parametrise over this list. */
export interface StoreHarness {
  name: string;
  create(): Promise<StoreInstance>;
}

export const memoryHarness: StoreHarness = {
  name: "memory",
  async create() {
    const store = new MemoryUserStore();
    return { store, snapshot: () => store.snapshot(), dispose: () => store.close() };
  },
};

export const storeHarnesses: StoreHarness[] = [memoryHarness];
