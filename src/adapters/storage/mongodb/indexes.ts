import type { Db } from "mongodb";
import { COLLECTION_NAMES, INDEXES } from "./collections.js";
import { ensureEventHead, ensureEventRetention } from "./events.js";

/**
 * Creates every index in INDEXES, the event log's TTL index (its lifetime is
 * EVENT_RETENTION, `eventRetentionMs`) and its head document. Idempotent: an
 * index that already exists with the same spec is left alone; one that exists
 * with other options (say, not unique) fails start-up loudly instead of being
 * silently replaced; the one exception is the event TTL, which follows the setting.
 */
export async function ensureIndexes(db: Db, eventRetentionMs: number): Promise<void> {
  await Promise.all([
    ...COLLECTION_NAMES.filter((name) => INDEXES[name].length > 0).map((name) =>
      db.collection(name).createIndexes([...INDEXES[name]]),
    ),
    ensureEventRetention(db, Math.ceil(eventRetentionMs / 1000)),
    ensureEventHead(db),
  ]);
}

/**
 * Keeps the indexes in place across reconnects. A real deployment keeps them
 * when it restarts, but a server that comes back empty (an in-memory emulator,
 * a restored or wiped volume) would otherwise run without its unique indexes,
 * and duplicate usernames or emails would slip in silently. So once the
 * database has been unreachable (an operation failed for it, or the driver saw
 * the server come back), the next operation re-creates them first: a no-op
 * where they exist, and a few milliseconds once per outage.
 */
export class IndexKeeper {
  #stale = false;
  #pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly eventRetentionMs: number,
  ) {}

  markStale(): void {
    this.#stale = true;
  }

  /** Resolves once the indexes are known to be in place (or the attempt failed: the operation reports that). */
  ready(): Promise<void> {
    if (this.#stale) {
      this.#stale = false;
      this.#pending = ensureIndexes(this.db, this.eventRetentionMs).catch(() => this.markStale());
    }
    return this.#pending;
  }
}
