import type { Db, MongoClient } from "mongodb";
import type { Session, User, UserToken } from "../../../core/domain/account.js";
import type {
  NewUser,
  OutboxCounts,
  OutboxMail,
  StoreLifecycle,
  UserStore,
} from "../../../core/ports/user-store.js";
import type { Collections } from "./collections.js";
import { isUnavailable, toStoreError } from "./errors.js";
import type { IndexKeeper } from "./indexes.js";
import * as outbox from "./outbox.js";
import type { Scope } from "./scope.js";
import * as sessions from "./sessions.js";
import * as tokens from "./tokens.js";
import { TRANSACTION_OPTIONS, TransactionAttempt, type TransactionMode } from "./transactions.js";
import * as users from "./users.js";

/** What a store and the handles its transactions pass to their work share. */
export interface StoreParts {
  readonly client: MongoClient;
  readonly db: Db;
  readonly collections: Collections;
  readonly indexes: IndexKeeper;
  readonly transactions: TransactionMode;
}

/**
 * Every UserStore operation, used two ways: by the store itself (each operation
 * commits alone) and by the handle a transaction passes to its work (every
 * operation carries the transaction's ClientSession).
 */
class MongoStoreView implements UserStore {
  readonly #scope: Scope;

  constructor(
    protected readonly parts: StoreParts,
    private readonly attempt: TransactionAttempt | null,
  ) {
    this.#scope = {
      db: parts.db,
      c: parts.collections,
      with: attempt ? { session: attempt.session } : {},
    };
  }

  /**
   * Runs one operation. An unreachable database becomes STORE_UNAVAILABLE here,
   * inside transactions too: that is not a MongoError, so withTransaction stops at
   * once instead of retrying for two minutes, and the RPC fails fast. Write
   * conflicts stay MongoErrors, which withTransaction retries.
   */
  protected async run<T>(operation: (scope: Scope) => Promise<T>): Promise<T> {
    await this.parts.indexes.ready();
    try {
      const scope = this.#scope;
      return await (this.attempt ? this.attempt.run(() => operation(scope)) : operation(scope));
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** The error to throw; an unreachable database may come back without its indexes, so check them then. */
  private failure(error: unknown): unknown {
    if (isUnavailable(error)) this.parts.indexes.markStale();
    return toStoreError(error);
  }

  async transaction<T>(work: (tx: UserStore) => Promise<T>): Promise<T> {
    // Nested: join the one in progress. Mode "off": no atomicity (see TransactionMode).
    if (this.attempt || this.parts.transactions === "off") return work(this);
    const session = this.parts.client.startSession({
      defaultTransactionOptions: TRANSACTION_OPTIONS,
    });
    try {
      // withTransaction commits, aborts when `work` throws, and re-runs `work` on a
      // TransientTransactionError (a write conflict), each time with a fresh handle.
      return await session.withTransaction(() =>
        work(new MongoStoreView(this.parts, new TransactionAttempt(session))),
      );
    } catch (error) {
      throw this.failure(error);
    } finally {
      await session.endSession();
    }
  }

  createUser(user: NewUser): Promise<void> {
    return this.run((s) => users.createUser(s, user));
  }
  setUserVerified(username: string): Promise<void> {
    return this.run((s) => users.updateUser(s, username, { verified: true }));
  }
  deleteUser(username: string): Promise<void> {
    return this.run((s) => users.deleteUser(s, username));
  }
  getUserByUsername(username: string): Promise<User | null> {
    return this.run((s) => users.findUser(s, { username }));
  }
  getUserByEmail(emailKey: string): Promise<User | null> {
    return this.run((s) => users.findUser(s, { emailKey }));
  }
  getPasswordHash(username: string): Promise<string | null> {
    return this.run((s) => users.getPasswordHash(s, username));
  }
  setPasswordHash(username: string, passwordHash: string): Promise<void> {
    return this.run((s) => users.updateUser(s, username, { password_hash: passwordHash }));
  }

  setEmailVerification(verification: UserToken): Promise<void> {
    return this.run((s) => tokens.setToken(s, "email_verifications", verification));
  }
  getEmailVerification(tokenHash: string): Promise<UserToken | null> {
    return this.run((s) => tokens.getToken(s, "email_verifications", tokenHash));
  }
  consumeEmailVerification(tokenHash: string): Promise<UserToken | null> {
    return this.run((s) => tokens.consumeToken(s, "email_verifications", tokenHash));
  }
  removeEmailVerification(tokenHash: string): Promise<void> {
    return this.run((s) => tokens.removeToken(s, "email_verifications", tokenHash));
  }

  setPasswordReset(reset: UserToken): Promise<void> {
    return this.run((s) => tokens.setToken(s, "password_resets", reset));
  }
  getPasswordReset(tokenHash: string): Promise<UserToken | null> {
    return this.run((s) => tokens.getToken(s, "password_resets", tokenHash));
  }
  consumePasswordReset(tokenHash: string): Promise<UserToken | null> {
    return this.run((s) => tokens.consumeToken(s, "password_resets", tokenHash));
  }
  removePasswordReset(tokenHash: string): Promise<void> {
    return this.run((s) => tokens.removeToken(s, "password_resets", tokenHash));
  }

  removeUserTokens(username: string): Promise<number> {
    return this.run((s) => tokens.removeUserTokens(s, username));
  }

  addSession(session: Session): Promise<void> {
    return this.run((s) => sessions.addSession(s, session));
  }
  getSession(tokenHash: string): Promise<Session | null> {
    return this.run((s) => sessions.getSession(s, tokenHash));
  }
  touchSession(tokenHash: string, lastActiveAt: Date, expiresAt: Date): Promise<boolean> {
    return this.run((s) => sessions.touchSession(s, tokenHash, lastActiveAt, expiresAt));
  }
  removeSession(tokenHash: string): Promise<boolean> {
    return this.run((s) => sessions.removeSession(s, tokenHash));
  }
  removeSessionById(username: string, id: string): Promise<boolean> {
    return this.run((s) => sessions.removeSessionById(s, username, id));
  }
  removeAllSessions(username: string, exceptTokenHash?: string): Promise<number> {
    return this.run((s) => sessions.removeAllSessions(s, username, exceptTokenHash));
  }
  listSessions(username: string): Promise<Session[]> {
    return this.run((s) => sessions.listSessions(s, username));
  }

  addOutboxMail(mail: OutboxMail): Promise<void> {
    return this.run((s) => outbox.addOutboxMail(s, mail));
  }
  claimOutboxMail(now: Date, leaseUntil: Date): Promise<OutboxMail | null> {
    return this.run((s) => outbox.claimOutboxMail(s, now, leaseUntil));
  }
  removeOutboxMail(id: string): Promise<void> {
    return this.run((s) => outbox.removeOutboxMail(s, id));
  }
  rescheduleOutboxMail(id: string, attempts: number, nextAttemptAt: Date): Promise<void> {
    return this.run((s) => outbox.rescheduleOutboxMail(s, id, attempts, nextAttemptAt));
  }
  deadLetterOutboxMail(id: string, attempts: number): Promise<void> {
    return this.run((s) => outbox.deadLetterOutboxMail(s, id, attempts));
  }
  countOutbox(): Promise<OutboxCounts> {
    return this.run((s) => outbox.countOutbox(s));
  }
}

/** The MongoDB UserStore. Open it with `openMongoUserStore`, which connects and prepares the database. */
export class MongoUserStore extends MongoStoreView implements StoreLifecycle {
  constructor(parts: StoreParts) {
    super(parts, null);
  }

  /** The driver client and database, for adapters that share the connection (rate limits). */
  get client(): MongoClient {
    return this.parts.client;
  }

  get dbName(): string {
    return this.parts.db.databaseName;
  }

  async ping(): Promise<void> {
    await this.run((s) => s.db.command({ ping: 1 }));
  }

  async close(): Promise<void> {
    await this.parts.client.close();
  }
}
