import {
  type Collection,
  type Db,
  type Document,
  type Filter,
  type FindOptions,
  MongoServerSelectionError,
} from "mongodb";
import { literal } from "./literal.js";

/** More ids than this go out as several finds, keeping each command small. */
const MAX_BATCH = 256;
/** Finds out at once per collection; reads that arrive meanwhile wait and go out together. */
const MAX_IN_FLIGHT = 1;

interface Waiter<T> {
  resolve(doc: T | null): void;
  reject(error: unknown): void;
}

/**
 * Point reads by `_id` made outside a transaction go out together as one
 * `find` command with `{_id: {$in: ids}}` (the DataLoader idea): those of one
 * event-loop turn, and those that arrive while the previous find is out. The
 * driver spends 100-250 µs of CPU per operation whatever its size, so under
 * load VerifySession pays a fraction of one. Every read still starts after the
 * call that asked for it, so it sees every write committed before that call.
 * On a sharded cluster `$in` on the shard key goes to the shards holding the ids.
 */
export class PointReads<
  T extends { _id: string },
  S extends Document & { _id: string } = T & Document,
> {
  #pending = new Map<string, Array<Waiter<T>>>();
  #scheduled = false;
  #inFlight = 0;

  constructor(
    private readonly db: Db,
    private readonly collection: Collection<S>,
    private readonly options: Pick<FindOptions, "projection"> = {},
  ) {}

  get(id: string): Promise<T | null> {
    const key = literal(id);
    return new Promise((resolve, reject) => {
      const waiters = this.#pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.#pending.set(key, [{ resolve, reject }]);
      this.#schedule();
    });
  }

  /** Flushes after this turn's I/O, unless a find is out: then when it returns. */
  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= MAX_IN_FLIGHT) return;
    this.#scheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = [...this.#pending];
    this.#pending = new Map();
    for (let i = 0; i < batch.length; i += MAX_BATCH) {
      void this.#read(batch.slice(i, i + MAX_BATCH));
    }
  }

  async #read(batch: Array<[string, Array<Waiter<T>>]>): Promise<void> {
    this.#inFlight++;
    try {
      const docs = await this.#find(batch.map(([id]) => id));
      // The projection (if any) is what makes S's documents T's.
      const byId = new Map(docs.map((doc) => [doc._id, doc as unknown as T]));
      for (const [id, waiters] of batch) for (const w of waiters) w.resolve(byId.get(id) ?? null);
    } catch (error) {
      for (const [, waiters] of batch) for (const w of waiters) w.reject(error);
    } finally {
      this.#inFlight--;
      if (this.#pending.size > 0) this.#schedule();
    }
  }

  /**
   * The `find` command itself: a cursor costs ~30 µs more per read in the
   * driver, and the reply fits one batch. If the command fails, the same read
   * goes through a cursor, which retries by the driver's retryable-read rules
   * (a failover, a dropped connection); only if that fails too do the callers.
   * Not when no server could be selected: that already waited the full timeout.
   */
  async #find(ids: string[]): Promise<S[]> {
    const filter = { _id: { $in: ids } } as Filter<S>;
    try {
      const reply = await this.db.command({
        find: this.collection.collectionName,
        filter,
        ...this.options,
        batchSize: ids.length,
        singleBatch: true,
      });
      return reply.cursor.firstBatch as S[];
    } catch (error) {
      if (error instanceof MongoServerSelectionError) throw error;
      return (await this.collection
        .find(filter, { ...this.options, batchSize: ids.length })
        .toArray()) as S[];
    }
  }
}
