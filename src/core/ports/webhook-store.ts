/**
 * Where one webhook endpoint is in the account-event log. Delivery walks the
 * log in order, one event at a time, and only moves on once the event was
 * delivered (a 2xx) or given up: at-least-once, in commit order, and durable
 * (a restart resumes at `position`, with the attempts made so far).
 */
export interface WebhookCursor {
  endpoint: string;
  /** Sequence of the last event delivered or given up. */
  position: number;
  /** Failed attempts at the next matching event after `position`. */
  attempts: number;
  /** Not before this may that event be tried again (null: now). */
  nextAttemptAt: Date | null;
}

/** Per-endpoint delivery state, and the lease that lets one replica deliver per endpoint. */
export interface WebhookStore {
  /** The endpoint's cursor, created at `position` (the log's live end) when it has none. */
  cursor(endpoint: string, position: number): Promise<WebhookCursor>;
  /**
   * Takes or renews the endpoint's lease for `holder` until `leaseUntil`: true
   * when it is free, expired, or `holder`'s already. Of holders racing for a
   * free lease exactly one gets it.
   */
  lease(endpoint: string, holder: string, now: Date, leaseUntil: Date): Promise<boolean>;
  release(endpoint: string, holder: string): Promise<void>;
  /** Moves past `sequence` (delivered or given up) and clears the attempts; never moves back. */
  advance(endpoint: string, sequence: number): Promise<void>;
  /** Records a failed attempt at the next event: how many so far and when to try again. */
  retryLater(endpoint: string, attempts: number, nextAttemptAt: Date): Promise<void>;
}
