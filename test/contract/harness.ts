import { afterAll, beforeAll } from "vitest";
import type { StoreHarness, StoreInstance } from "../support/stores.js";

/**
 * One store instance per suite, shared by its tests (each uses fresh names).
 * Returns a getter: the instance exists once beforeAll has run.
 */
export function sharedStore(harness: StoreHarness): () => StoreInstance {
  let instance: StoreInstance | undefined;
  beforeAll(async () => {
    instance = await harness.create();
  });
  afterAll(() => instance?.dispose());
  return () => {
    if (!instance) throw new Error("store not created yet");
    return instance;
  };
}

export class Rollback extends Error {}
