import http from "node:http";
import type { AddressInfo } from "node:net";
import { constants, PerformanceObserver } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { AuditEvent } from "../core/ports/audit-log.js";
import type { OutboxCounts } from "../core/ports/outbox-store.js";

/** What the metrics read live at scrape time. */
export interface MetricSources {
  hashing(): { inFlight: number; queued: number };
  outbox(): Promise<OutboxCounts>;
}

/** Every metric the service exports, on its own registry (Prometheus text format). */
export class Metrics {
  readonly registry = new Registry();
  /** Sets the retained-heap gauge after each major GC; disconnected by close(). */
  readonly #gc: PerformanceObserver;
  readonly rpcs = new Counter({
    name: "userharbor_rpc_total",
    help: "RPCs answered, by method and status code.",
    labelNames: ["method", "code"] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: "userharbor_rpc_duration_seconds",
    help: "RPC latency, by method.",
    labelNames: ["method"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly mail = new Counter({
    name: "userharbor_mail_total",
    help: "Mail delivery outcomes, by kind: delivered, retry_scheduled, dead_lettered.",
    labelNames: ["kind", "outcome"] as const,
    registers: [this.registry],
  });
  readonly webhooks = new Counter({
    name: "userharbor_webhook_deliveries_total",
    help: "Webhook delivery outcomes, by endpoint: delivered, retry_scheduled, gave_up.",
    labelNames: ["endpoint", "outcome"] as const,
    registers: [this.registry],
  });
  readonly assertionsSigned = new Counter({
    name: "userharbor_session_assertions_signed_total",
    help: "Session assertions signed (Login, and VerifySession with issue_assertion).",
    registers: [this.registry],
  });
  readonly audit = new Counter({
    name: "userharbor_events_total",
    help: "Account events (logins, lockouts, rate limiting, password changes, deletions).",
    labelNames: ["event"] as const,
    registers: [this.registry],
  });

  constructor(sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry, prefix: "userharbor_" });
    // Heap in use right after the last full collection: what the process retains, the figure a
    // leak moves (heap used at a random moment swings with the garbage not yet collected).
    const retained = new Gauge({
      name: "userharbor_heap_after_major_gc_bytes",
      help: "V8 heap in use right after the most recent major (mark-compact) garbage collection.",
      registers: [this.registry],
    });
    this.#gc = new PerformanceObserver((list) => {
      const major = list
        .getEntries()
        .some(
          (e) =>
            (e as unknown as { detail?: { kind?: number } }).detail?.kind ===
            constants.NODE_PERFORMANCE_GC_MAJOR,
        );
      if (major) retained.set(getHeapStatistics().used_heap_size);
    });
    this.#gc.observe({ entryTypes: ["gc"] });
    new Gauge({
      name: "userharbor_password_hashes_in_flight",
      help: "Password hashes being computed now.",
      registers: [this.registry],
      collect() {
        this.set(sources.hashing().inFlight);
      },
    });
    new Gauge({
      name: "userharbor_password_hashes_queued",
      help: "Password hashes waiting for a slot.",
      registers: [this.registry],
      collect() {
        this.set(sources.hashing().queued);
      },
    });
    new Gauge({
      name: "userharbor_outbox_mail",
      help: "Mail in the outbox, by state (pending, dead_lettered).",
      labelNames: ["state"] as const,
      registers: [this.registry],
      async collect() {
        const counts = await sources.outbox().catch(() => null);
        if (!counts) return; // store down: leave the last value rather than fail the scrape
        this.set({ state: "pending" }, counts.pending);
        this.set({ state: "dead_lettered" }, counts.deadLettered);
      },
    });
  }

  /** Counts an account event; mail outcomes by kind as well. */
  record(event: AuditEvent): void {
    this.audit.inc({ event: event.type });
    if (event.type.startsWith("mail.") && "kind" in event) {
      this.mail.inc({ kind: event.kind, outcome: event.type.slice(5) });
    }
    if (event.type.startsWith("webhook.") && "endpoint" in event) {
      this.webhooks.inc({ endpoint: event.endpoint, outcome: event.type.slice(8) });
    }
  }

  /** Serves GET /metrics on its own port, apart from the RPC listener. */
  /** Stops watching GC: a process that starts servers again (tests) keeps no observer per start. */
  close(): void {
    this.#gc.disconnect();
  }

  async serve(host: string, port: number): Promise<{ port: number; close(): Promise<void> }> {
    const server = http.createServer((req, res) => {
      if (req.method !== "GET" || req.url !== "/metrics") {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": this.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    return {
      port: (server.address() as AddressInfo).port,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }
}
