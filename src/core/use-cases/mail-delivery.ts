import { isPermanentFailure } from "../domain/mail.js";
import type { MailSeal } from "../domain/mail-seal.js";
import type { AccountEvents } from "../ports/account-events.js";
import type { Clock } from "../ports/clock.js";
import type { EmailSender } from "../ports/email-sender.js";
import type { OutboxMail } from "../ports/outbox-store.js";
import type { Store } from "../ports/store.js";

export interface DeliveryPolicy {
  /** Attempts before a mail is dead-lettered. */
  maxAttempts: number;
  /** First retry delay; doubles per attempt. */
  backoffMs: number;
  maxBackoffMs: number;
  /** How long a worker holds a claimed mail before another replica may take it. */
  leaseMs: number;
  /** Idle poll interval (queued mail also wakes the worker at once). */
  pollMs: number;
  /** Sends in flight at once per worker. */
  concurrency: number;
}

export const defaultDeliveryPolicy: DeliveryPolicy = {
  maxAttempts: 5,
  backoffMs: 2_000,
  maxBackoffMs: 5 * 60_000,
  leaseMs: 60_000,
  pollMs: 1_000,
  concurrency: 4,
};

export interface DeliveryDeps {
  store: Store;
  sender: EmailSender;
  seal: MailSeal;
  clock: Clock;
  events: AccountEvents;
  policy: DeliveryPolicy;
}

/** A short, secret-free description of a send failure (no addresses, no payload). */
function describe(error: unknown): string {
  if (error && typeof error === "object") {
    const { code, responseCode, name } = error as {
      code?: unknown;
      responseCode?: unknown;
      name?: unknown;
    };
    const parts = [name, code, responseCode].filter(
      (p) => typeof p === "string" || typeof p === "number",
    );
    if (parts.length > 0) return parts.join(" ");
  }
  return "Error";
}

/** Delivers one claimed mail and settles it: removed, rescheduled with backoff, or dead-lettered. */
async function deliverOne(deps: DeliveryDeps, mail: OutboxMail): Promise<void> {
  const attempts = mail.attempts + 1;
  try {
    const message = deps.seal.open(mail.payload, mail.id);
    await deps.sender.send(message);
  } catch (error) {
    await settleFailure(deps, mail, attempts, error);
    return;
  }
  await deps.store.outbox.remove(mail.id);
  deps.events.emit({ type: "mail.delivered", kind: mail.kind, attempts });
}

async function settleFailure(
  deps: DeliveryDeps,
  mail: OutboxMail,
  attempts: number,
  error: unknown,
) {
  const { store, policy, events } = deps;
  const reason = describe(error);
  if (isPermanentFailure(error) || attempts >= policy.maxAttempts) {
    await store.outbox.deadLetter(mail.id, attempts);
    events.emit({ type: "mail.dead_lettered", kind: mail.kind, attempts, error: reason });
    return;
  }
  const delay = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (attempts - 1));
  await store.outbox.reschedule(mail.id, attempts, new Date(deps.clock.now().getTime() + delay));
  events.emit({ type: "mail.retry_scheduled", kind: mail.kind, attempts, error: reason });
}

/** Claims and delivers due mail until none is left; returns how many were handled. */
export async function drainOutbox(deps: DeliveryDeps): Promise<number> {
  let handled = 0;
  const lane = async () => {
    for (;;) {
      const now = deps.clock.now();
      const mail = await deps.store.outbox.claim(
        now,
        new Date(now.getTime() + deps.policy.leaseMs),
      );
      if (!mail) return;
      await deliverOne(deps, mail);
      handled++;
    }
  };
  await Promise.all(Array.from({ length: deps.policy.concurrency }, lane));
  return handled;
}

/**
 * Background delivery: drains the outbox when woken and every poll interval, so
 * RPCs never wait on mail. Store or sender failures are reported, never thrown:
 * the next round retries.
 */
export class MailWorker {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(
    private readonly deps: DeliveryDeps,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.#stopped = false;
    this.wake();
  }

  /** Runs a drain now, or right after the one in progress. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = drainOutbox(this.deps)
      .then(() => undefined, this.onError)
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        } else if (!this.#stopped) {
          this.#timer = setTimeout(() => this.wake(), this.deps.policy.pollMs);
          this.#timer.unref();
        }
      });
  }

  /** Stops polling and waits for the drain in progress (its leases would expire anyway). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}
