import { randomBytes } from "node:crypto";
import { encodeCursor } from "../../core/domain/event-cursor.js";
import { afterFailure } from "../../core/domain/mail-retry.js";
import type { AccountEventLog } from "../../core/ports/account-event-log.js";
import type { AuditLog } from "../../core/ports/audit-log.js";
import type { Clock } from "../../core/ports/clock.js";
import type { WebhookStore } from "../../core/ports/webhook-store.js";
import { retainedAfter } from "../../core/use-cases/events/account-events.js";
import { type Attempt, postWebhook, webhookRequest } from "./delivery.js";
import type { WebhookEndpoint } from "./endpoint-config.js";

export interface WebhookSettings {
  timeoutMs: number;
  /** First retry delay; doubles per failure (capped, with jitter: mail-retry.ts). */
  backoffMs: number;
  /** An event not delivered this long after its commit is given up. */
  retryForMs: number;
  retentionMs: number;
  /** How often an idle endpoint looks for other replicas' events and for a free lease. */
  pollMs: number;
}

export interface DispatcherDeps {
  log: AccountEventLog;
  webhooks: WebhookStore;
  clock: Clock;
  audit: AuditLog;
  endpoints: readonly WebhookEndpoint[];
  settings: WebhookSettings;
  /** Jitter source in [0, 1). */
  random: () => number;
  /** Sends one request (tests may wrap it); default: HTTP POST. */
  post?: typeof postWebhook;
  /** A loop round that threw (store down): reported, and tried again after the poll interval. */
  onError: (error: unknown) => void;
}

/**
 * Pushes the account-event log to each configured endpoint, in commit order,
 * at least once. Every replica runs one loop per endpoint, but only the holder
 * of the endpoint's lease (in the store) delivers, one event at a time: the
 * endpoint's cursor moves past an event only once it was answered with a 2xx
 * or given up, so a restart (or another replica taking over the lease) resumes
 * exactly there, with the attempts already made. Failures back off
 * exponentially with jitter; an event still undelivered WEBHOOK_RETRY_FOR
 * after its commit is given up with a log line and a metric.
 */
export class WebhookDispatcher {
  readonly #holder = randomBytes(8).toString("hex");
  readonly #loops: Promise<void>[] = [];
  readonly #wakers = new Set<() => void>();
  #stopped = false;

  constructor(private readonly deps: DispatcherDeps) {}

  get leaseMs(): number {
    return Math.max(30_000, 3 * this.deps.settings.timeoutMs);
  }

  /** Starts one loop per endpoint; new endpoints start at the log's live end. */
  async start(): Promise<void> {
    const head = await this.deps.log.head();
    for (const endpoint of this.deps.endpoints) {
      await this.deps.webhooks.cursor(endpoint.name, head.sequence);
      this.#loops.push(this.#run(endpoint));
    }
  }

  /** New events committed on this replica: look now rather than at the next poll. */
  wake(): void {
    for (const wake of [...this.#wakers]) wake();
  }

  /** Stops after the attempts in flight and gives the leases back, so another replica takes over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.wake();
    await Promise.all(this.#loops);
    await Promise.all(
      this.deps.endpoints.map((e) =>
        this.deps.webhooks.release(e.name, this.#holder).catch(() => {}),
      ),
    );
  }

  async #run(endpoint: WebhookEndpoint): Promise<void> {
    while (!this.#stopped) {
      let waitMs: number;
      try {
        waitMs = await this.#step(endpoint);
      } catch (error) {
        this.deps.onError(error);
        waitMs = this.deps.settings.pollMs;
      }
      if (waitMs > 0 && !this.#stopped) await this.#sleep(waitMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakers.add(done);
    });
  }

  /** One delivery decision; returns how long to wait before the next (0: go on at once). */
  async #step(endpoint: WebhookEndpoint): Promise<number> {
    const { log, webhooks, clock, settings } = this.deps;
    const now = clock.now();
    const poll = settings.pollMs;
    if (
      !(await webhooks.lease(
        endpoint.name,
        this.#holder,
        now,
        new Date(now.getTime() + this.leaseMs),
      ))
    ) {
      return poll; // another replica delivers to this endpoint
    }
    const cursor = await webhooks.cursor(endpoint.name, 0);
    const cutoff = retainedAfter({ clock, retentionMs: settings.retentionMs });
    const oldest = await log.oldestRetained(cutoff);
    if (cursor.position + 1 < oldest) {
      // Nothing delivered for a whole retention (no replica ran): those events are gone.
      this.#gaveUp(endpoint, "(expired)", "(expired)", cursor.attempts, "past EVENT_RETENTION");
      await webhooks.advance(endpoint.name, oldest - 1);
      return 0;
    }
    if (cursor.nextAttemptAt && cursor.nextAttemptAt > now) {
      return Math.min(poll * 5, cursor.nextAttemptAt.getTime() - now.getTime());
    }
    const [event] = await log.read({
      after: cursor.position,
      limit: 1,
      types: endpoint.types,
      retainedAfter: cutoff,
    });
    if (!event) return poll;
    const attempts = cursor.attempts + 1;
    if (now.getTime() >= event.time.getTime() + settings.retryForMs) {
      this.#gaveUp(endpoint, event.id, event.type, cursor.attempts, "past WEBHOOK_RETRY_FOR");
      await webhooks.advance(endpoint.name, event.sequence);
      return 0;
    }
    const { logId } = await log.head();
    const request = webhookRequest(
      endpoint,
      { ...event, cursor: encodeCursor({ logId, sequence: event.sequence }) },
      now,
    );
    const outcome: Attempt = await (this.deps.post ?? postWebhook)(
      endpoint.url,
      request,
      settings.timeoutMs,
    );
    if (outcome.ok) {
      await webhooks.advance(endpoint.name, event.sequence);
      this.deps.audit.emit({
        type: "webhook.delivered",
        endpoint: endpoint.name,
        eventType: event.type,
        attempts,
      });
      return 0;
    }
    const next = afterFailure(
      { maxAttempts: Number.POSITIVE_INFINITY, backoffMs: settings.backoffMs },
      attempts,
      "temporary",
      this.deps.random(),
    );
    const delayMs = next.action === "retry" ? next.delayMs : settings.backoffMs;
    await webhooks.retryLater(endpoint.name, attempts, new Date(clock.now().getTime() + delayMs));
    this.deps.audit.emit({
      type: "webhook.retry_scheduled",
      endpoint: endpoint.name,
      attempts,
      error: outcome.error,
    });
    return delayMs;
  }

  #gaveUp(
    endpoint: WebhookEndpoint,
    eventId: string,
    eventType: string,
    attempts: number,
    error: string,
  ): void {
    this.deps.audit.emit({
      type: "webhook.gave_up",
      endpoint: endpoint.name,
      eventId,
      eventType,
      attempts,
      error,
    });
  }
}
