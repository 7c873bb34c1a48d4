import type { StoreLifecycle } from "../core/ports/store.js";
import { type HealthStatus, ServingStatus } from "./health.js";

/**
 * Pings the store every `intervalMs` and mirrors the answer into health: the
 * server and every service read NOT_SERVING while the store is unreachable,
 * so load balancers route around this replica until it can serve again.
 * A ping that has not answered within `timeoutMs` counts as "unreachable"
 * until it does: one hung ping must not freeze health at SERVING.
 * Returns the function that stops watching.
 */
export function watchStoreHealth(
  store: StoreLifecycle,
  health: HealthStatus,
  intervalMs: number,
  timeoutMs: number,
  onChange: (serving: boolean) => void,
): () => void {
  let serving = true;
  /** When the ping still waiting for an answer started; undefined when none is. */
  let pingStarted: number | undefined;
  const report = (ok: boolean) => {
    if (ok === serving) return;
    serving = ok;
    health.setAll(ok ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    onChange(ok);
  };
  const check = () => {
    if (pingStarted !== undefined) {
      // One ping at a time; one that hangs past timeoutMs already says "unreachable".
      if (performance.now() - pingStarted >= timeoutMs) report(false);
      return;
    }
    pingStarted = performance.now();
    void store
      .ping()
      .then(
        () => true,
        () => false,
      )
      .then((ok) => {
        pingStarted = undefined;
        report(ok);
      });
  };
  const timer = setInterval(check, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
