import { afterEach, describe, expect, it, vi } from "vitest";
import type { StoreLifecycle } from "../core/ports/store.js";
import { HealthStatus, OVERALL, ServingStatus } from "./health.js";
import { watchStoreHealth } from "./store-health.js";

/** A store whose pings answer as the test says: ok, fail, or hang until released. */
function scriptedStore() {
  let next: "ok" | "fail" | "hang" = "ok";
  let release: (() => void) | undefined;
  const store = {
    ping: () =>
      next === "ok"
        ? Promise.resolve()
        : next === "fail"
          ? Promise.reject(new Error("unreachable"))
          : new Promise<void>((resolve) => {
              release = resolve;
            }),
  } as StoreLifecycle;
  return {
    store,
    answer: (kind: typeof next) => {
      next = kind;
    },
    release: () => release?.(),
  };
}

describe("watchStoreHealth", () => {
  afterEach(() => vi.useRealTimers());

  async function watched(timeoutMs: number) {
    vi.useFakeTimers();
    const health = new HealthStatus();
    const script = scriptedStore();
    const changes: boolean[] = [];
    const stop = watchStoreHealth(script.store, health, 100, timeoutMs, (ok) => changes.push(ok));
    const status = () => ServingStatus[health.get(OVERALL) ?? ServingStatus.UNKNOWN];
    const after = (ms: number) => vi.advanceTimersByTimeAsync(ms);
    return { ...script, changes, stop, status, after };
  }

  it("mirrors failed and recovered pings into health", async () => {
    const w = await watched(1_000);
    await w.after(250);
    expect(w.status()).toBe("SERVING");
    w.answer("fail");
    await w.after(100);
    expect(w.status()).toBe("NOT_SERVING");
    w.answer("ok");
    await w.after(100);
    expect(w.status()).toBe("SERVING");
    expect(w.changes).toEqual([false, true]);
    w.stop();
  });

  it("reads a ping that hangs past the timeout as unreachable, and serves again once one answers", async () => {
    const w = await watched(1_000);
    w.answer("hang");
    await w.after(900);
    expect(w.status()).toBe("SERVING"); // not yet: the ping is young
    await w.after(300);
    expect(w.status()).toBe("NOT_SERVING");
    w.answer("ok");
    w.release();
    await w.after(200);
    expect(w.status()).toBe("SERVING");
    expect(w.changes).toEqual([false, true]);
    w.stop();
  });
});
