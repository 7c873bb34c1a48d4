import type { Account } from "../../../core/domain/account.js";
import type { AccountToken } from "../../../core/domain/account-token.js";
import type { DeviceToken } from "../../../core/domain/device.js";
import type { Session } from "../../../core/domain/session.js";
import {
  type AccountPageQuery,
  type AccountStore,
  type CredentialChange,
  DuplicateError,
  type NewAccount,
} from "../../../core/ports/account-store.js";
import type { DeviceStore } from "../../../core/ports/device-store.js";
import type { OutboxCounts, OutboxMail, OutboxStore } from "../../../core/ports/outbox-store.js";
import type { SessionStore } from "../../../core/ports/session-store.js";
import type { Store, StoreLifecycle, Stores } from "../../../core/ports/store.js";
import type { TokenKind, TokenStore } from "../../../core/ports/token-store.js";
import { AsyncLock } from "./async-lock.js";

interface OutboxRow extends OutboxMail {
  deadLettered: boolean;
}

/**
 * A session as this store keeps it: times as epoch milliseconds. A Date is a full
 * object (about 110 bytes on the heap) where a number is 16, and sessions are the
 * records there are most of: three Dates made up a third of each session's memory.
 */
interface SessionRow {
  id: string;
  tokenHash: string;
  accountId: string;
  username: string | undefined;
  createdAt: number;
  lastActiveAt: number;
  absoluteExpiresAt: number;
  expiresAt: number;
  ip: string;
  userAgent: string;
}

function sessionRow(session: Session): SessionRow {
  return {
    id: session.id,
    tokenHash: session.tokenHash,
    accountId: session.accountId,
    username: session.username,
    createdAt: session.createdAt.getTime(),
    lastActiveAt: session.lastActiveAt.getTime(),
    absoluteExpiresAt: session.absoluteExpiresAt.getTime(),
    expiresAt: session.expiresAt.getTime(),
    ip: session.ip,
    userAgent: session.userAgent,
  };
}

/** A fresh Session (new Dates each time, so callers never share state with the store). */
function sessionOf(row: SessionRow): Session {
  return {
    id: row.id,
    tokenHash: row.tokenHash,
    accountId: row.accountId,
    username: row.username,
    createdAt: new Date(row.createdAt),
    lastActiveAt: new Date(row.lastActiveAt),
    absoluteExpiresAt: new Date(row.absoluteExpiresAt),
    expiresAt: new Date(row.expiresAt),
    ip: row.ip,
    userAgent: row.userAgent,
  };
}

/** Records live here; every write made inside a transaction logs its inverse. */
class Tables {
  accounts = new Map<string, NewAccount>();
  /** Claims: normalised username / email key -> account id. */
  usernameClaims = new Map<string, string>();
  emailClaims = new Map<string, string>();
  verifications = new Map<string, AccountToken>();
  resets = new Map<string, AccountToken>();
  sessions = new Map<string, SessionRow>();
  sessionHashesByAccount = new Map<string, Set<string>>();
  devices = new Map<string, DeviceToken>();
  outbox = new Map<string, OutboxRow>();
}

type Undo = Array<() => void>;

/** Sets `key` in `map`, logging how to restore the previous state. */
function put<K, V>(map: Map<K, V>, key: K, value: V, undo: Undo | null): void {
  const had = map.has(key);
  const previous = map.get(key);
  map.set(key, value);
  undo?.push(() => (had ? map.set(key, previous as V) : map.delete(key)));
}

function drop<K, V>(map: Map<K, V>, key: K, undo: Undo | null): V | undefined {
  const previous = map.get(key);
  if (previous === undefined) return undefined;
  map.delete(key);
  undo?.push(() => map.set(key, previous));
  return previous;
}

const copy = <T extends object>(record: T | undefined): T | null => (record ? { ...record } : null);

function publicAccount({ passwordHash: _, ...account }: NewAccount): Account {
  return account;
}

/**
 * What every port of one view shares: the tables, and how an operation runs.
 * Outside a transaction (`undo` null) an operation waits while a transaction
 * runs, so nobody reads uncommitted writes; inside one its writes are logged.
 */
class Scope {
  constructor(
    readonly t: Tables,
    readonly lock: AsyncLock,
    readonly undo: Undo | null,
  ) {}

  async op<T>(operation: () => T): Promise<T> {
    if (!this.undo) while (this.lock.busy) await this.lock.free();
    return operation();
  }
}

class MemoryAccounts implements AccountStore {
  constructor(private readonly s: Scope) {}

  create(account: NewAccount): Promise<void> {
    return this.createMany([account]);
  }

  createMany(accounts: readonly NewAccount[]): Promise<void> {
    return this.s.op(() => {
      const { t, undo } = this.s;
      // Check every claim first (stored and within the batch), so a duplicate writes nothing.
      for (const [field, claims, key] of [
        ["username", t.usernameClaims, (a: NewAccount) => a.username],
        ["email", t.emailClaims, (a: NewAccount) => a.emailKey],
      ] as const) {
        const batch = new Set(accounts.map(key));
        if (batch.size < accounts.length || [...batch].some((k) => claims.has(k))) {
          throw new DuplicateError(field);
        }
      }
      for (const account of accounts) {
        put(t.accounts, account.id, { ...account }, undo);
        put(t.usernameClaims, account.username, account.id, undo);
        put(t.emailClaims, account.emailKey, account.id, undo);
      }
    });
  }

  get(id: string): Promise<Account | null> {
    return this.s.op(() => this.#read(id));
  }

  findByUsername(username: string): Promise<Account | null> {
    return this.s.op(() => this.#read(this.s.t.usernameClaims.get(username)));
  }

  findByEmail(emailKey: string): Promise<Account | null> {
    return this.s.op(() => this.#read(this.s.t.emailClaims.get(emailKey)));
  }

  #read(id: string | undefined): Account | null {
    const account = id === undefined ? undefined : this.s.t.accounts.get(id);
    return account ? publicAccount(account) : null;
  }

  getCredentials(id: string) {
    return this.s.op(() => {
      const account = this.s.t.accounts.get(id);
      return account
        ? { passwordHash: account.passwordHash, generation: account.credentialGeneration }
        : null;
    });
  }

  setVerified(id: string): Promise<void> {
    return this.s.op(() => {
      this.#update(id, { verified: true });
    });
  }

  changeCredentials(id: string, change: CredentialChange): Promise<boolean> {
    return this.s.op(() => {
      const { t, undo } = this.s;
      const account = t.accounts.get(id);
      if (!account) return false;
      const { email, ...rest } = change;
      if (email && email.key !== account.emailKey) {
        if (t.emailClaims.has(email.key)) throw new DuplicateError("email");
        drop(t.emailClaims, account.emailKey, undo);
        put(t.emailClaims, email.key, id, undo);
      }
      return this.#update(id, {
        ...rest,
        ...(email && { email: email.address, emailKey: email.key }),
        credentialGeneration: account.credentialGeneration + 1,
      });
    });
  }

  recordLogin(id: string, generation: number, at: Date, rehashed?: string): Promise<boolean> {
    return this.s.op(() => {
      if (this.s.t.accounts.get(id)?.credentialGeneration !== generation) return false;
      return this.#update(id, { lastLoginAt: at, ...(rehashed && { passwordHash: rehashed }) });
    });
  }

  #update(id: string, change: Partial<NewAccount>): boolean {
    const account = this.s.t.accounts.get(id);
    if (account) put(this.s.t.accounts, id, { ...account, ...change }, this.s.undo);
    return account !== undefined;
  }

  list(query: AccountPageQuery): Promise<Account[]> {
    return this.s.op(() => {
      const matches = (a: NewAccount) =>
        (query.afterId === undefined || a.id > query.afterId) &&
        (query.verified === undefined || a.verified === query.verified) &&
        (query.disabled === undefined || a.disabled === query.disabled) &&
        (!query.createdFrom || a.createdAt >= query.createdFrom) &&
        (!query.createdBefore || a.createdAt < query.createdBefore);
      return [...this.s.t.accounts.values()]
        .filter(matches)
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .slice(0, query.limit)
        .map(publicAccount);
    });
  }

  remove(id: string): Promise<void> {
    return this.s.op(() => {
      const { t, undo } = this.s;
      const account = drop(t.accounts, id, undo);
      if (!account) return;
      drop(t.usernameClaims, account.username, undo);
      drop(t.emailClaims, account.emailKey, undo);
    });
  }
}

class MemoryTokens implements TokenStore {
  constructor(private readonly s: Scope) {}

  #table(kind: TokenKind): Map<string, AccountToken> {
    return kind === "verification" ? this.s.t.verifications : this.s.t.resets;
  }

  add(kind: TokenKind, token: AccountToken): Promise<void> {
    return this.s.op(() => put(this.#table(kind), token.tokenHash, { ...token }, this.s.undo));
  }

  find(kind: TokenKind, tokenHash: string): Promise<AccountToken | null> {
    return this.s.op(() => copy(this.#table(kind).get(tokenHash)));
  }

  consume(kind: TokenKind, tokenHash: string): Promise<AccountToken | null> {
    return this.s.op(() => copy(drop(this.#table(kind), tokenHash, this.s.undo)));
  }

  removeForAccount(accountId: string): Promise<number> {
    return this.s.op(() => {
      let removed = 0;
      for (const map of [this.s.t.verifications, this.s.t.resets]) {
        for (const [hash, token] of map) {
          if (token.accountId === accountId && drop(map, hash, this.s.undo)) removed++;
        }
      }
      return removed;
    });
  }
}

class MemorySessions implements SessionStore {
  constructor(private readonly s: Scope) {}

  add(session: Session): Promise<void> {
    return this.s.op(() => {
      put(this.s.t.sessions, session.tokenHash, sessionRow(session), this.s.undo);
      const hashes = this.#hashesOf(session.accountId, true);
      if (hashes && !hashes.has(session.tokenHash)) {
        hashes.add(session.tokenHash);
        this.s.undo?.push(() => hashes.delete(session.tokenHash));
      }
    });
  }

  get(tokenHash: string): Promise<Session | null> {
    return this.s.op(() => {
      const row = this.s.t.sessions.get(tokenHash);
      return row ? sessionOf(row) : null;
    });
  }

  touch(tokenHash: string, lastActiveAt: Date, expiresAt: Date): Promise<boolean> {
    return this.s.op(() => {
      const row = this.s.t.sessions.get(tokenHash);
      if (!row) return false;
      const touched = {
        ...row,
        lastActiveAt: lastActiveAt.getTime(),
        expiresAt: expiresAt.getTime(),
      };
      put(this.s.t.sessions, tokenHash, touched, this.s.undo);
      return true;
    });
  }

  remove(tokenHash: string): Promise<boolean> {
    return this.s.op(() => this.#drop(tokenHash));
  }

  removeById(accountId: string, id: string): Promise<boolean> {
    return this.s.op(() => {
      for (const hash of this.#hashesOf(accountId, false) ?? []) {
        if (this.s.t.sessions.get(hash)?.id === id) return this.#drop(hash);
      }
      return false;
    });
  }

  removeAll(accountId: string, exceptTokenHash?: string): Promise<number> {
    return this.s.op(() => {
      let removed = 0;
      for (const hash of [...(this.#hashesOf(accountId, false) ?? [])]) {
        if (hash !== exceptTokenHash && this.#drop(hash)) removed++;
      }
      return removed;
    });
  }

  list(accountId: string): Promise<Session[]> {
    return this.s.op(() =>
      [...(this.#hashesOf(accountId, false) ?? [])].flatMap((hash) => {
        const row = this.s.t.sessions.get(hash);
        return row ? [sessionOf(row)] : [];
      }),
    );
  }

  countLive(accountIds: readonly string[], now: Date): Promise<Map<string, number>> {
    return this.s.op(() => {
      const counts = new Map<string, number>();
      for (const id of accountIds) {
        let live = 0;
        for (const hash of this.#hashesOf(id, false) ?? []) {
          if ((this.s.t.sessions.get(hash)?.expiresAt ?? 0) > now.getTime()) live++;
        }
        if (live > 0) counts.set(id, live);
      }
      return counts;
    });
  }

  /** The account's session-hash set, created (and its creation logged) when asked to. */
  #hashesOf(accountId: string, create: boolean): Set<string> | undefined {
    const index = this.s.t.sessionHashesByAccount;
    let hashes = index.get(accountId);
    if (!hashes && create) {
      hashes = new Set();
      put(index, accountId, hashes, this.s.undo);
    }
    return hashes;
  }

  #drop(tokenHash: string): boolean {
    const { t, undo } = this.s;
    const session = drop(t.sessions, tokenHash, undo);
    if (!session) return false;
    const hashes = t.sessionHashesByAccount.get(session.accountId);
    if (hashes?.delete(tokenHash)) {
      undo?.push(() => hashes.add(tokenHash));
      // Forget accounts with no sessions left, so deleted accounts leave nothing behind.
      if (hashes.size === 0) drop(t.sessionHashesByAccount, session.accountId, undo);
    }
    return true;
  }
}

class MemoryDevices implements DeviceStore {
  constructor(private readonly s: Scope) {}

  add(device: DeviceToken): Promise<void> {
    return this.s.op(() => put(this.s.t.devices, device.tokenHash, { ...device }, this.s.undo));
  }

  get(tokenHash: string): Promise<DeviceToken | null> {
    return this.s.op(() => copy(this.s.t.devices.get(tokenHash)));
  }

  recordFailure(tokenHash: string): Promise<number> {
    return this.s.op(() => {
      const device = this.s.t.devices.get(tokenHash);
      if (!device) return 0;
      const failures = device.failures + 1;
      put(this.s.t.devices, tokenHash, { ...device, failures }, this.s.undo);
      return failures;
    });
  }

  remove(tokenHash: string): Promise<boolean> {
    return this.s.op(() => drop(this.s.t.devices, tokenHash, this.s.undo) !== undefined);
  }

  removeForAccount(accountId: string): Promise<number> {
    return this.s.op(() => {
      let removed = 0;
      for (const [hash, device] of this.s.t.devices) {
        if (device.accountId === accountId && drop(this.s.t.devices, hash, this.s.undo)) removed++;
      }
      return removed;
    });
  }
}

class MemoryOutbox implements OutboxStore {
  constructor(private readonly s: Scope) {}

  add(mail: OutboxMail): Promise<void> {
    return this.s.op(() =>
      put(this.s.t.outbox, mail.id, { ...mail, deadLettered: false }, this.s.undo),
    );
  }

  claim(now: Date, leaseUntil: Date): Promise<OutboxMail | null> {
    return this.s.op(() => {
      for (const row of this.s.t.outbox.values()) {
        const due = row.nextAttemptAt <= now && (row.leaseUntil === null || row.leaseUntil <= now);
        if (row.deadLettered || !due) continue;
        put(this.s.t.outbox, row.id, { ...row, leaseUntil }, this.s.undo);
        const { deadLettered: _, ...mail } = row;
        return { ...mail, leaseUntil };
      }
      return null;
    });
  }

  remove(id: string): Promise<void> {
    return this.s.op(() => {
      drop(this.s.t.outbox, id, this.s.undo);
    });
  }

  reschedule(id: string, attempts: number, nextAttemptAt: Date): Promise<void> {
    return this.#update(id, { attempts, nextAttemptAt, leaseUntil: null });
  }

  deadLetter(id: string, attempts: number): Promise<void> {
    return this.#update(id, {
      attempts,
      leaseUntil: null,
      deadLettered: true,
      payload: new Uint8Array(),
    });
  }

  #update(id: string, change: Partial<OutboxRow>): Promise<void> {
    return this.s.op(() => {
      const row = this.s.t.outbox.get(id);
      if (row) put(this.s.t.outbox, id, { ...row, ...change }, this.s.undo);
    });
  }

  count(): Promise<OutboxCounts> {
    return this.s.op(() => {
      let deadLettered = 0;
      for (const row of this.s.t.outbox.values()) if (row.deadLettered) deadLettered++;
      return { pending: this.s.t.outbox.size - deadLettered, deadLettered };
    });
  }
}

function portsOver(scope: Scope): Stores {
  return {
    accounts: new MemoryAccounts(scope),
    tokens: new MemoryTokens(scope),
    sessions: new MemorySessions(scope),
    devices: new MemoryDevices(scope),
    outbox: new MemoryOutbox(scope),
  };
}

/**
 * In-memory Store: the default when no database is configured, and the
 * reference the contract suites hold every store to. Transactions are real:
 * serialised, isolated (autocommit operations wait for them), and rolled back
 * from an undo log when the work throws.
 */
export class MemoryStore implements Store, StoreLifecycle {
  readonly #tables = new Tables();
  readonly #lock = new AsyncLock();
  readonly accounts: AccountStore;
  readonly tokens: TokenStore;
  readonly sessions: SessionStore;
  readonly devices: DeviceStore;
  readonly outbox: OutboxStore;

  constructor() {
    ({
      accounts: this.accounts,
      tokens: this.tokens,
      sessions: this.sessions,
      devices: this.devices,
      outbox: this.outbox,
    } = portsOver(new Scope(this.#tables, this.#lock, null)));
  }

  transaction<T>(work: (tx: Stores) => Promise<T>): Promise<T> {
    return this.#lock.run(async () => {
      const undo: Undo = [];
      try {
        return await work(portsOver(new Scope(this.#tables, this.#lock, undo)));
      } catch (error) {
        for (const revert of undo.reverse()) revert();
        throw error;
      }
    });
  }

  async ping(): Promise<void> {}

  /** A deep copy of every record (for tests and debugging), taken between transactions. */
  async snapshot(): Promise<Record<string, unknown[]>> {
    return this.transaction(async () =>
      structuredClone(
        Object.fromEntries(
          Object.entries(this.#tables).map(([name, map]) => [
            name,
            [...(map as Map<unknown, unknown>)],
          ]),
        ),
      ),
    );
  }

  async close(): Promise<void> {}

  /** What a database's TTL index does: drop records whose `expiresAt` has passed. */
  sweepExpired(now: Date): Promise<number> {
    return this.transaction(async () => {
      let removed = 0;
      const t = this.#tables;
      for (const map of [t.verifications, t.resets, t.devices, t.outbox] as Map<
        string,
        { expiresAt: Date }
      >[]) {
        for (const [key, record] of map) {
          if (record.expiresAt <= now && map.delete(key)) removed++;
        }
      }
      for (const [hash, session] of t.sessions) {
        if (session.expiresAt > now.getTime()) continue;
        t.sessions.delete(hash);
        const hashes = t.sessionHashesByAccount.get(session.accountId);
        hashes?.delete(hash);
        if (hashes?.size === 0) t.sessionHashesByAccount.delete(session.accountId);
        removed++;
      }
      return removed;
    });
  }
}
