import type { Db, MongoClient } from "mongodb";
import type { Account } from "../../../core/domain/account.js";
import type { AccountEvent, NewAccountEvent } from "../../../core/domain/account-event.js";
import type { AccountToken } from "../../../core/domain/account-token.js";
import type { DeviceToken } from "../../../core/domain/device.js";
import type { Session } from "../../../core/domain/session.js";
import type {
  AccountEventLog,
  EventLogHead,
  EventLogQuery,
} from "../../../core/ports/account-event-log.js";
import type {
  AccountPageQuery,
  AccountStore,
  CredentialChange,
  NewAccount,
} from "../../../core/ports/account-store.js";
import type { DeviceStore } from "../../../core/ports/device-store.js";
import type { Counter, LimitStore, Lock } from "../../../core/ports/limit-store.js";
import type { OutboxCounts, OutboxMail, OutboxStore } from "../../../core/ports/outbox-store.js";
import type { SessionStore } from "../../../core/ports/session-store.js";
import type {
  Store,
  StoreLifecycle,
  Stores,
  TransactionOptions,
} from "../../../core/ports/store.js";
import type { TokenKind, TokenStore } from "../../../core/ports/token-store.js";
import type { WebhookCursor, WebhookStore } from "../../../core/ports/webhook-store.js";
import type { AsyncLock } from "../async-lock.js";
import * as accounts from "./accounts.js";
import type { Collections } from "./collections.js";
import * as devices from "./devices.js";
import { isStoreUnavailable, isUnavailable, lostWriteConflict, toStoreError } from "./errors.js";
import * as events from "./events.js";
import type { IndexKeeper } from "./indexes.js";
import * as limits from "./limits.js";
import type { OperationContext } from "./operation.js";
import * as outbox from "./outbox.js";
import { PointReads } from "./point-reads.js";
import * as sessions from "./sessions.js";
import * as tokens from "./tokens.js";
import { TRANSACTION_OPTIONS, TransactionAttempt, type TransactionMode } from "./transactions.js";
import * as webhooks from "./webhooks.js";

/** What a store and the handles its transactions pass to their work share. */
export interface StoreParts {
  readonly client: MongoClient;
  readonly db: Db;
  readonly collections: Collections;
  readonly indexes: IndexKeeper;
  readonly transactions: TransactionMode;
  /**
   * One replica's event-writing transactions, one at a time, each from before it reads anything
   * to its end. They would take turns on the head document anyway; taking them here, before the
   * transaction's snapshot, spares MongoDB the write conflicts and withTransaction the retries,
   * and keeps an emulator that neither retries nor cleanly fails conflicts (jongodb) correct for
   * one replica's concurrent flows.
   */
  readonly appends: AsyncLock;
}

/**
 * How the ports' operations run, one way for the store itself (each operation
 * commits alone) and another for a transaction's ports (every operation
 * carries the transaction's ClientSession).
 */
class Runner {
  readonly #context: OperationContext;

  constructor(
    readonly parts: StoreParts,
    private readonly attempt: TransactionAttempt | null,
  ) {
    const c = parts.collections;
    this.#context = attempt
      ? { db: parts.db, c, with: { session: attempt.session } }
      : {
          db: parts.db,
          c,
          with: {},
          batched: {
            sessions: new PointReads(parts.db, c.sessions),
            accounts: new PointReads(parts.db, c.accounts, accounts.WITHOUT_HASH),
          },
        };
  }

  /**
   * Runs one operation. An unreachable database becomes STORE_UNAVAILABLE here,
   * inside transactions too: that is not a MongoError, so withTransaction stops at
   * once instead of retrying for two minutes, and the RPC fails fast. Write
   * conflicts stay MongoErrors, which withTransaction retries.
   */
  async run<T>(operation: (op: OperationContext) => Promise<T>): Promise<T> {
    await this.parts.indexes.ready();
    try {
      const op = this.#context;
      return await (this.attempt ? this.attempt.run(() => operation(op)) : operation(op));
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** An operation that writes several documents: in its own transaction unless already in one (or they are off). */
  atomic<T>(operation: (op: OperationContext) => Promise<T>, appendsEvents = false): Promise<T> {
    if (this.attempt || this.parts.transactions === "off") return this.run(operation);
    return this.transaction((runner) => runner.run(operation), appendsEvents);
  }

  /** The error to throw; an unreachable database may come back without its indexes, so check them then. */
  failure(error: unknown): unknown {
    if (isUnavailable(error)) this.parts.indexes.markStale();
    return toStoreError(error);
  }

  async transaction<T>(work: (runner: Runner) => Promise<T>, appendsEvents = false): Promise<T> {
    // Mode "off": no atomicity (see TransactionMode).
    if (this.attempt || this.parts.transactions === "off") return work(this);
    if (!appendsEvents) return this.#transaction(work);
    return this.parts.appends.run(() => this.#transaction(work));
  }

  async #transaction<T>(work: (runner: Runner) => Promise<T>): Promise<T> {
    const session = this.parts.client.startSession({
      defaultTransactionOptions: TRANSACTION_OPTIONS,
    });
    try {
      // withTransaction commits, aborts when `work` throws, and re-runs `work` on a
      // TransientTransactionError (a write conflict), each time with a fresh handle.
      return await session.withTransaction(() =>
        work(new Runner(this.parts, new TransactionAttempt(session))),
      );
    } catch (error) {
      const failure = this.failure(error);
      // The server may still hold this transaction open (its abort never arrived);
      // the driver marks such a session dirty only for some network errors, and a
      // server that keeps the old transaction refuses the next one on that session.
      if (isStoreUnavailable(failure) && !session.hasEnded) session.serverSession.isDirty = true;
      // Only here, after withTransaction: inside it a conflict must stay a MongoError to be retried.
      throw lostWriteConflict(error) ?? failure;
    } finally {
      await session.endSession();
    }
  }
}

class MongoAccounts implements AccountStore {
  constructor(private readonly r: Runner) {}
  create(account: NewAccount): Promise<void> {
    return this.r.atomic((op) => accounts.createAccount(op, account));
  }
  createMany(list: readonly NewAccount[]): Promise<void> {
    return this.r.atomic((op) => accounts.createAccounts(op, list));
  }
  get(id: string): Promise<Account | null> {
    return this.r.run((op) => accounts.getAccount(op, id));
  }
  findByUsername(username: string): Promise<Account | null> {
    return this.r.run((op) => accounts.findByClaim(op, "username", username));
  }
  findByEmail(emailKey: string): Promise<Account | null> {
    return this.r.run((op) => accounts.findByClaim(op, "email", emailKey));
  }
  getCredentials(id: string) {
    return this.r.run((op) => accounts.getCredentials(op, id));
  }
  setVerified(id: string): Promise<void> {
    return this.r.run((op) => accounts.setVerified(op, id));
  }
  changeCredentials(id: string, change: CredentialChange): Promise<boolean> {
    return this.r.atomic((op) => accounts.changeCredentials(op, id, change));
  }
  recordLogin(id: string, generation: number, at: Date, rehashed?: string): Promise<boolean> {
    return this.r.run((op) => accounts.recordLogin(op, id, generation, at, rehashed));
  }
  list(query: AccountPageQuery): Promise<Account[]> {
    return this.r.run((op) => accounts.listAccounts(op, query));
  }
  remove(id: string): Promise<void> {
    return this.r.atomic((op) => accounts.removeAccount(op, id));
  }
}

class MongoTokens implements TokenStore {
  constructor(private readonly r: Runner) {}
  add(kind: TokenKind, token: AccountToken): Promise<void> {
    return this.r.run((op) => tokens.addToken(op, kind, token));
  }
  find(kind: TokenKind, tokenHash: string): Promise<AccountToken | null> {
    return this.r.run((op) => tokens.findToken(op, kind, tokenHash));
  }
  consume(kind: TokenKind, tokenHash: string): Promise<AccountToken | null> {
    return this.r.run((op) => tokens.consumeToken(op, kind, tokenHash));
  }
  removeForAccount(accountId: string, kind?: TokenKind): Promise<number> {
    return this.r.run((op) => tokens.removeAccountTokens(op, accountId, kind));
  }
}

class MongoSessions implements SessionStore {
  constructor(private readonly r: Runner) {}
  add(session: Session): Promise<void> {
    return this.r.run((op) => sessions.addSession(op, session));
  }
  get(tokenHash: string): Promise<Session | null> {
    return this.r.run((op) => sessions.getSession(op, tokenHash));
  }
  touch(tokenHash: string, lastActiveAt: Date, expiresAt: Date): Promise<boolean> {
    return this.r.run((op) => sessions.touchSession(op, tokenHash, lastActiveAt, expiresAt));
  }
  remove(tokenHash: string): Promise<boolean> {
    return this.r.run((op) => sessions.removeSession(op, tokenHash));
  }
  removeById(accountId: string, id: string): Promise<boolean> {
    return this.r.run((op) => sessions.removeSessionById(op, accountId, id));
  }
  removeAll(accountId: string, exceptTokenHash?: string): Promise<number> {
    return this.r.run((op) => sessions.removeAllSessions(op, accountId, exceptTokenHash));
  }
  list(accountId: string): Promise<Session[]> {
    return this.r.run((op) => sessions.listSessions(op, accountId));
  }
  countLive(accountIds: readonly string[], now: Date): Promise<Map<string, number>> {
    return this.r.run((op) => sessions.countLiveSessions(op, accountIds, now));
  }
}

class MongoDevices implements DeviceStore {
  constructor(private readonly r: Runner) {}
  add(device: DeviceToken): Promise<void> {
    return this.r.run((op) => devices.addDevice(op, device));
  }
  get(tokenHash: string): Promise<DeviceToken | null> {
    return this.r.run((op) => devices.getDevice(op, tokenHash));
  }
  recordFailure(tokenHash: string): Promise<number> {
    return this.r.run((op) => devices.recordDeviceFailure(op, tokenHash));
  }
  releaseFailure(tokenHash: string): Promise<void> {
    return this.r.run((op) => devices.releaseDeviceFailure(op, tokenHash));
  }
  remove(tokenHash: string): Promise<boolean> {
    return this.r.run((op) => devices.removeDevice(op, tokenHash));
  }
  removeOldest(accountId: string, keep: number): Promise<number> {
    return this.r.run((op) => devices.removeOldestDevices(op, accountId, keep));
  }
  removeForAccount(accountId: string): Promise<number> {
    return this.r.run((op) => devices.removeAccountDevices(op, accountId));
  }
}

class MongoOutbox implements OutboxStore {
  constructor(private readonly r: Runner) {}
  add(mail: OutboxMail): Promise<void> {
    return this.r.run((op) => outbox.addOutboxMail(op, mail));
  }
  claim(now: Date, leaseUntil: Date): Promise<OutboxMail | null> {
    return this.r.run((op) => outbox.claimOutboxMail(op, now, leaseUntil));
  }
  remove(id: string): Promise<void> {
    return this.r.run((op) => outbox.removeOutboxMail(op, id));
  }
  reschedule(id: string, attempts: number, nextAttemptAt: Date): Promise<void> {
    return this.r.run((op) => outbox.rescheduleOutboxMail(op, id, attempts, nextAttemptAt));
  }
  deadLetter(id: string, attempts: number): Promise<void> {
    return this.r.run((op) => outbox.deadLetterOutboxMail(op, id, attempts));
  }
  count(): Promise<OutboxCounts> {
    return this.r.run((op) => outbox.countOutbox(op));
  }
}

class MongoEventLog implements AccountEventLog {
  constructor(private readonly r: Runner) {}
  /** The head increment and the inserts commit together: in the caller's transaction, else one of their own. */
  append(list: readonly NewAccountEvent[]): Promise<AccountEvent[]> {
    return this.r.atomic((op) => events.appendEvents(op, list), true);
  }
  read(query: EventLogQuery): Promise<AccountEvent[]> {
    return this.r.run((op) => events.readEvents(op, query));
  }
  head(): Promise<EventLogHead> {
    return this.r.run((op) => events.eventHead(op));
  }
  oldestRetained(retainedAfter: Date): Promise<number> {
    return this.r.run((op) => events.oldestRetainedEvent(op, retainedAfter));
  }
}

class MongoWebhooks implements WebhookStore {
  constructor(private readonly r: Runner) {}
  cursor(endpoint: string, position: number): Promise<WebhookCursor> {
    return this.r.run((op) => webhooks.webhookCursor(op, endpoint, position));
  }
  lease(endpoint: string, holder: string, now: Date, leaseUntil: Date): Promise<boolean> {
    return this.r.run((op) => webhooks.leaseWebhook(op, endpoint, holder, now, leaseUntil));
  }
  release(endpoint: string, holder: string): Promise<void> {
    return this.r.run((op) => webhooks.releaseWebhook(op, endpoint, holder));
  }
  advance(endpoint: string, sequence: number): Promise<void> {
    return this.r.run((op) => webhooks.advanceWebhook(op, endpoint, sequence));
  }
  retryLater(endpoint: string, attempts: number, nextAttemptAt: Date): Promise<void> {
    return this.r.run((op) => webhooks.retryWebhookLater(op, endpoint, attempts, nextAttemptAt));
  }
}

/** Counters are never part of a transaction: every request counts, failed or not. */
class MongoLimits implements LimitStore {
  constructor(private readonly r: Runner) {}
  increment(key: string, now: Date, windowMs: number): Promise<Counter> {
    return this.r.run((op) => limits.incrementCounter(op, key, now, windowMs));
  }
  reset(key: string): Promise<void> {
    return this.r.run((op) => limits.resetCounter(op, key));
  }
  claim(key: string, now: Date, expiresAt: Date): Promise<boolean> {
    return this.r.run((op) => limits.claimOnce(op, key, now, expiresAt));
  }
  lock(key: string, lock: Lock): Promise<void> {
    return this.r.run((op) => limits.startLock(op, key, lock));
  }
  lockOn(key: string, now: Date): Promise<Lock | null> {
    return this.r.run((op) => limits.lockOn(op, key, now));
  }
}

function portsOver(runner: Runner): Stores {
  return {
    accounts: new MongoAccounts(runner),
    tokens: new MongoTokens(runner),
    sessions: new MongoSessions(runner),
    devices: new MongoDevices(runner),
    outbox: new MongoOutbox(runner),
    events: new MongoEventLog(runner),
    webhooks: new MongoWebhooks(runner),
  };
}

/** The MongoDB Store. Open it with `openMongoStore`, which connects and prepares the database. */
export class MongoStore implements Store, StoreLifecycle {
  readonly #runner: Runner;
  readonly accounts: AccountStore;
  readonly tokens: TokenStore;
  readonly sessions: SessionStore;
  readonly devices: DeviceStore;
  readonly outbox: OutboxStore;
  readonly events: AccountEventLog;
  readonly webhooks: WebhookStore;
  readonly limits: LimitStore;

  constructor(readonly parts: StoreParts) {
    this.#runner = new Runner(parts, null);
    this.limits = new MongoLimits(this.#runner);
    ({
      accounts: this.accounts,
      tokens: this.tokens,
      sessions: this.sessions,
      devices: this.devices,
      outbox: this.outbox,
      events: this.events,
      webhooks: this.webhooks,
    } = portsOver(this.#runner));
  }

  transaction<T>(work: (tx: Stores) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.#runner.transaction((runner) => work(portsOver(runner)), options.appendsEvents);
  }

  /** The driver client and database, for tools that share the connection. */
  get client(): MongoClient {
    return this.parts.client;
  }

  get dbName(): string {
    return this.parts.db.databaseName;
  }

  async ping(): Promise<void> {
    await this.#runner.run((op) => op.db.command({ ping: 1 }));
  }

  async close(): Promise<void> {
    await this.parts.client.close();
  }
}
