import type { ClientSession, Db } from "mongodb";
import type { Collections } from "./collections.js";

/** What one operation runs against. */
export interface Scope {
  readonly db: Db;
  readonly c: Collections;
  /** Passed to every driver call: `{ session }` inside a transaction, `{}` outside. */
  readonly with: { session?: ClientSession };
}
