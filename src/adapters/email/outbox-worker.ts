import type { DeliveryFailureKind, MailMessage } from "../../core/domain/mail.js";
import { afterFailure, type RetryPolicy } from "../../core/domain/mail-retry.js";
import { type MailSeal, UnreadableMailError } from "../../core/domain/mail-seal.js";
import type { AuditLog } from "../../core/ports/audit-log.js";
import type { Clock } from "../../core/ports/clock.js";
import { DeliveryError, type EmailSender } from "../../core/ports/email-sender.js";
import type { OutboxMail, OutboxStore } from "../../core/ports/outbox-store.js";

/** How one worker paces itself; the same on every replica. */
export interface WorkerPace {
  /** How long a worker holds a claimed mail before another replica may take it. */
  leaseMs: number;
  /** Idle poll interval (queued mail also wakes the worker at once). */
  pollMs: number;
  /** Sends in flight at once per worker. */
  concurrency: number;
}

export const defaultPace: WorkerPace = { leaseMs: 60_000, pollMs: 1_000, concurrency: 4 };

export interface DeliveryDeps {
  store: OutboxStore;
  sender: EmailSender;
  seal: MailSeal;
  clock: Clock;
  audit: AuditLog;
  retry: RetryPolicy;
  pace: WorkerPace;
  /** Jitter source in [0, 1); tests pass a fixed one. */
  random: () => number;
}

interface Failure {
  kind: DeliveryFailureKind;
  /** Logged with the event: the error's name and the sender's safe detail, never its message. */
  description: string;
}

function failureOf(error: unknown): Failure {
  if (error instanceof DeliveryError) {
    return { kind: error.failure, description: `${error.name} ${error.detail}`.trim() };
  }
  if (error instanceof UnreadableMailError) return { kind: "permanent", description: error.name };
  // An unclassified error (a sender bug, a template that fails to render): the next round may do better.
  return { kind: "temporary", description: error instanceof Error ? error.name : "Error" };
}

/** Delivers one claimed mail and settles it: removed, rescheduled, or dead-lettered. */
async function deliverOne(deps: DeliveryDeps, mail: OutboxMail): Promise<void> {
  const attempts = mail.attempts + 1;
  try {
    const message: MailMessage = deps.seal.open(mail.payload, mail.id);
    await deps.sender.send(message, { id: mail.id });
  } catch (error) {
    await settleFailure(deps, mail, attempts, failureOf(error));
    return;
  }
  await deps.store.remove(mail.id);
  deps.audit.emit({ type: "mail.delivered", kind: mail.kind, attempts });
}

async function settleFailure(
  deps: DeliveryDeps,
  mail: OutboxMail,
  attempts: number,
  failure: Failure,
) {
  const { store, audit } = deps;
  const next = afterFailure(deps.retry, attempts, failure.kind, deps.random());
  const error = failure.description;
  if (next.action === "dead_letter") {
    await store.deadLetter(mail.id, attempts);
    audit.emit({ type: "mail.dead_lettered", kind: mail.kind, attempts, error });
    return;
  }
  const due = new Date(deps.clock.now().getTime() + next.delayMs);
  await store.reschedule(mail.id, attempts, due);
  audit.emit({ type: "mail.retry_scheduled", kind: mail.kind, attempts, error });
}

/** Claims and delivers due mail until none is left; returns how many were handled. */
export async function drainOutbox(deps: DeliveryDeps): Promise<number> {
  let handled = 0;
  const lane = async () => {
    for (;;) {
      const now = deps.clock.now();
      const mail = await deps.store.claim(now, new Date(now.getTime() + deps.pace.leaseMs));
      if (!mail) return;
      await deliverOne(deps, mail);
      handled++;
    }
  };
  await Promise.all(Array.from({ length: deps.pace.concurrency }, lane));
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
          this.#timer = setTimeout(() => this.wake(), this.deps.pace.pollMs);
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
