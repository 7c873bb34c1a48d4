import type { ClientSession, Document, TransactionOptions } from "mongodb";

/**
 * "required": refuse a server without multi-document transactions.
 * "off": accept one, and run `transaction(work)` without atomicity: each
 * operation commits on its own, a `work` that throws half-way leaves its earlier
 * writes in place, and concurrent flows may see each other's partial changes.
 * Single-record atomicity (consume*, claimOutboxMail) still holds.
 */
export type TransactionMode = "required" | "off";

/** A replica set member reports its set's name, mongos says "isdbgrid"; a standalone server does neither. */
export function supportsTransactions(hello: Document): boolean {
  return typeof hello.setName === "string" || hello.msg === "isdbgrid";
}

export const STANDALONE_REFUSED =
  "MongoDB is a standalone server, which cannot run multi-document transactions. " +
  "Run it as a replica set (one node is enough: mongod --replSet rs0, then rs.initiate()) " +
  'or a sharded cluster, or set transactions to "off" to accept non-atomic multi-record changes.';

/** Reads see one majority-committed snapshot; a commit is acknowledged once durable. */
export const TRANSACTION_OPTIONS: TransactionOptions = {
  readConcern: { level: "snapshot" },
  writeConcern: { w: "majority" },
};

/**
 * The operations of one transaction attempt. They run one at a time, because
 * operations sharing a session must not overlap. After one throws, the rest are
 * refused: MongoDB aborts a transaction when a statement in it fails, so going on
 * would only meet NoSuchTransaction, which is labelled transient, and
 * withTransaction would re-run the work until its 120 s limit. A plain error
 * ends the transaction at once (and behaves the same on emulators that don't abort).
 */
export class TransactionAttempt {
  #tail: Promise<unknown> = Promise.resolve();
  #failed = false;

  constructor(readonly session: ClientSession) {}

  run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(() => {
      if (this.#failed) {
        throw new Error(
          "transaction already failed: an operation in it threw; let that error propagate out of transaction()",
        );
      }
      return operation();
    });
    this.#tail = result.catch(() => {
      this.#failed = true;
    });
    return result;
  }
}
