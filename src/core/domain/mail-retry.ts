import type { DeliveryFailureKind } from "./mail.js";

/** The longest wait between two attempts, however many have failed. */
export const MAX_RETRY_DELAY_MS = 5 * 60_000;

export interface RetryPolicy {
  /** Attempts before a mail is dead-lettered. */
  maxAttempts: number;
  /** Delay after the first failure; doubles with each further one. */
  backoffMs: number;
}

export type AfterFailure = { action: "dead_letter" } | { action: "retry"; delayMs: number };

/**
 * What becomes of a mail whose `attempts`-th attempt failed: dead-lettered when
 * the failure is permanent or the attempts are spent, else retried after the
 * doubling, capped backoff shortened by up to half ("equal jitter"), so mails
 * that failed together (one SMTP outage, several replicas sharing the outbox)
 * do not all come back in the same instant. `random` is in [0, 1): 0 waits the
 * full backoff.
 */
export function afterFailure(
  policy: RetryPolicy,
  attempts: number,
  failure: DeliveryFailureKind,
  random: number,
): AfterFailure {
  if (failure === "permanent" || attempts >= policy.maxAttempts) return { action: "dead_letter" };
  const backoff = Math.min(MAX_RETRY_DELAY_MS, policy.backoffMs * 2 ** (attempts - 1));
  return { action: "retry", delayMs: Math.round(backoff * (1 - random / 2)) };
}
