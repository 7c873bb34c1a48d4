// gRPC health checking (grpc.health.v1.Health) over a small in-process status table.
// Spec: https://github.com/grpc/grpc/blob/master/doc/health-checking.md
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  type Health,
  HealthCheckResponseSchema,
  HealthListResponseSchema,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@userharbor/client/grpc/health/v1/health_pb.js";

export { ServingStatus };

/** The name under which the server as a whole reports its status. */
export const OVERALL = "";

/** List answers RESOURCE_EXHAUSTED above this many services (the limit grpc-go uses). */
export const MAX_LISTED_SERVICES = 100;

export type HealthListener = (service: string, status: ServingStatus) => void;

/**
 * Serving status per service name ("" is the whole server), observable by Watch calls.
 * After `shutdown()` every service reads NOT_SERVING and `set()` is ignored until `resume()`,
 * so a late probe cannot advertise a draining server as healthy again.
 */
export class HealthStatus {
  readonly #statuses = new Map<string, ServingStatus>();
  readonly #listeners = new Set<HealthListener>();
  #shutDown = false;

  constructor(
    initial: Readonly<Record<string, ServingStatus>> = { [OVERALL]: ServingStatus.SERVING },
  ) {
    for (const [service, status] of Object.entries(initial)) this.set(service, status);
  }

  /** The status of a service, or undefined when it was never registered. */
  get(service: string): ServingStatus | undefined {
    return this.#statuses.get(service);
  }

  set(service: string, status: ServingStatus): void {
    // SERVICE_UNKNOWN is Watch's word for "not registered"; storing it would make Check lie.
    if (status === ServingStatus.SERVICE_UNKNOWN) {
      throw new RangeError("SERVICE_UNKNOWN is not a status a service can be set to");
    }
    if (this.#shutDown) return;
    this.#update(service, status);
  }

  /** Sets every registered service (the whole server included) to `status`. */
  setAll(status: ServingStatus): void {
    for (const service of this.#statuses.keys()) this.set(service, status);
  }

  /** Graceful shutdown: every service NOT_SERVING, later `set()` calls ignored. */
  shutdown(): void {
    this.#shutDown = true;
    for (const service of this.#statuses.keys()) this.#update(service, ServingStatus.NOT_SERVING);
  }

  /** Undoes `shutdown()`: every service SERVING again and `set()` effective. */
  resume(): void {
    this.#shutDown = false;
    for (const service of this.#statuses.keys()) this.#update(service, ServingStatus.SERVING);
  }

  /** A snapshot of every registered service and its status. */
  entries(): [string, ServingStatus][] {
    return [...this.#statuses];
  }

  /** Calls `listener` after every change of a status; returns the unsubscribe function. */
  subscribe(listener: HealthListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** How many listeners are subscribed: one per open Watch call, so tests can spot leaks. */
  get subscriberCount(): number {
    return this.#listeners.size;
  }

  #update(service: string, status: ServingStatus): void {
    if (this.#statuses.get(service) === status) return;
    this.#statuses.set(service, status);
    for (const listener of this.#listeners) listener(service, status);
  }
}

/** grpc.health.v1.Health served from `health`. */
export function healthService(health: HealthStatus): ServiceImpl<typeof Health> {
  return {
    check(request) {
      const status = health.get(request.service);
      if (status === undefined) {
        throw new ConnectError(`unknown service "${request.service}"`, Code.NotFound);
      }
      return create(HealthCheckResponseSchema, { status });
    },

    async *watch(request, context) {
      yield* watchStatus(health, request.service, context.signal);
    },

    list() {
      const entries = health.entries();
      if (entries.length > MAX_LISTED_SERVICES) {
        throw new ConnectError(
          `${entries.length} services exceed the limit of ${MAX_LISTED_SERVICES}`,
          Code.ResourceExhausted,
        );
      }
      const statuses = Object.fromEntries(
        entries.map(([service, status]) => [
          service,
          create(HealthCheckResponseSchema, { status }),
        ]),
      );
      return create(HealthListResponseSchema, { statuses });
    },
  };
}

/**
 * The current status of `service` at once, then each change until `signal` aborts (client
 * cancel, deadline, or the adapter's shutdownSignal). Changes that arrive faster than the
 * client reads are coalesced to the latest status, so a slow watcher costs no memory.
 */
async function* watchStatus(health: HealthStatus, service: string, signal: AbortSignal) {
  let changed = false;
  let wake: (() => void) | undefined;
  const unsubscribe = health.subscribe((name) => {
    if (name !== service) return;
    changed = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener("abort", onAbort);
  try {
    let sent: ServingStatus | undefined;
    while (!signal.aborted) {
      changed = false;
      const status = health.get(service) ?? ServingStatus.SERVICE_UNKNOWN;
      if (status !== sent) {
        sent = status;
        yield create(HealthCheckResponseSchema, { status });
      }
      if (!changed && !signal.aborted) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    }
  } finally {
    unsubscribe();
    signal.removeEventListener("abort", onAbort);
  }
}
