import { AccountService } from "@userharbor/client";
import { AdminService } from "@userharbor/client/userharbor/v1/admin_pb.js";
import { AccountEventsService } from "@userharbor/client/userharbor/v1/events_pb.js";
import type { StoreLifecycle } from "../core/ports/store.js";
import { type HealthStatus, OVERALL, ServingStatus } from "./health.js";

/**
 * Pings the store every `intervalMs` and mirrors the answer into health: the
 * server and AccountService read NOT_SERVING while the store is unreachable,
 * so load balancers route around this replica until it can serve again.
 * Returns the function that stops watching.
 */
export function watchStoreHealth(
  store: StoreLifecycle,
  health: HealthStatus,
  intervalMs: number,
  onChange: (serving: boolean) => void,
): () => void {
  let serving = true;
  let checking = false;
  const check = async () => {
    if (checking) return;
    checking = true;
    const ok = await store.ping().then(
      () => true,
      () => false,
    );
    checking = false;
    if (ok === serving) return;
    serving = ok;
    const status = ok ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    health.set(OVERALL, status);
    health.set(AccountService.typeName, status);
    health.set(AdminService.typeName, status);
    health.set(AccountEventsService.typeName, status);
    onChange(ok);
  };
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
