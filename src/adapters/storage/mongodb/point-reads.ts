import type { Collection, Document, Filter, FindOptions } from "mongodb";
import { literal } from "./literal.js";

/** More ids than this go out as several finds, keeping each command small. */
const MAX_BATCH = 256;

interface Waiter<T> {
  resolve(doc: T | null): void;
  reject(error: unknown): void;
}

/**
 * Point reads by `_id` made outside a transaction in the same turn of the event
 * loop go out as one `find({_id: {$in: ids}})` (the DataLoader idea). The
 * driver spends ~250 µs of CPU on every command whatever its size, so under
 * load VerifySession's two reads cost a fraction of that each. Every read still
 * starts after the call that asked for it, so it sees every write committed
 * before that call; on a sharded cluster the `$in` on the shard key is routed
 * to the shards that hold the ids.
 */
export class PointReads<
  T extends { _id: string },
  S extends Document & { _id: string } = T & Document,
> {
  #pending = new Map<string, Array<Waiter<T>>>();

  constructor(
    private readonly collection: Collection<S>,
    private readonly options: FindOptions = {},
  ) {}

  get(id: string): Promise<T | null> {
    const key = literal(id);
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) setImmediate(() => this.#flush());
      const waiters = this.#pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.#pending.set(key, [{ resolve, reject }]);
    });
  }

  #flush(): void {
    const batch = [...this.#pending];
    this.#pending = new Map();
    for (let i = 0; i < batch.length; i += MAX_BATCH)
      void this.#read(batch.slice(i, i + MAX_BATCH));
  }

  async #read(batch: Array<[string, Array<Waiter<T>>]>): Promise<void> {
    try {
      const ids = batch.map(([id]) => id);
      const filter = { _id: { $in: ids } } as Filter<S>;
      const options = { ...this.options, batchSize: MAX_BATCH };
      const docs = await this.collection.find(filter, options).toArray();
      // The projection (if any) is what makes S's documents T's.
      const byId = new Map(docs.map((doc) => [doc._id as string, doc as unknown as T]));
      for (const [id, waiters] of batch) for (const w of waiters) w.resolve(byId.get(id) ?? null);
    } catch (error) {
      for (const [, waiters] of batch) for (const w of waiters) w.reject(error);
    }
  }
}
