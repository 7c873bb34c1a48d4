import type { Session, User, UserToken } from "../../../core/domain/account.js";
import {
  DuplicateError,
  type NewUser,
  type OutboxCounts,
  type OutboxMail,
  type StoreLifecycle,
  type UserStore,
} from "../../../core/ports/user-store.js";
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
  username: string;
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
  users = new Map<string, NewUser>();
  usernameByEmail = new Map<string, string>();
  verifications = new Map<string, UserToken>();
  resets = new Map<string, UserToken>();
  sessions = new Map<string, SessionRow>();
  sessionHashesByUser = new Map<string, Set<string>>();
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

function publicUser({ passwordHash: _, ...user }: NewUser): User {
  return user;
}

/**
 * One implementation of every operation, used two ways: the store itself
 * (autocommit; waits while a transaction runs, so nobody reads uncommitted
 * writes) and the handle a transaction passes to its work (writes logged for
 * rollback).
 */
class MemoryStoreView implements UserStore {
  constructor(
    protected readonly tables: Tables,
    private readonly lock: AsyncLock,
    private readonly undo: Undo | null,
  ) {}

  /** Runs a synchronous operation once no transaction is in progress (or at once, inside one). */
  private async op<T>(operation: () => T): Promise<T> {
    if (!this.undo) while (this.lock.busy) await this.lock.free();
    return operation();
  }

  async transaction<T>(work: (tx: UserStore) => Promise<T>): Promise<T> {
    if (this.undo) return work(this);
    return this.lock.run(async () => {
      const undo: Undo = [];
      try {
        return await work(new MemoryStoreView(this.tables, this.lock, undo));
      } catch (error) {
        for (const revert of undo.reverse()) revert();
        throw error;
      }
    });
  }

  createUser(user: NewUser): Promise<void> {
    return this.op(() => {
      const t = this.tables;
      if (t.users.has(user.username)) throw new DuplicateError("username");
      if (t.usernameByEmail.has(user.emailKey)) throw new DuplicateError("email");
      put(t.users, user.username, { ...user }, this.undo);
      put(t.usernameByEmail, user.emailKey, user.username, this.undo);
    });
  }

  setUserVerified(username: string): Promise<void> {
    return this.updateUser(username, { verified: true });
  }

  setPasswordHash(username: string, passwordHash: string): Promise<void> {
    return this.updateUser(username, { passwordHash });
  }

  private updateUser(username: string, change: Partial<NewUser>): Promise<void> {
    return this.op(() => {
      const user = this.tables.users.get(username);
      if (user) put(this.tables.users, username, { ...user, ...change }, this.undo);
    });
  }

  deleteUser(username: string): Promise<void> {
    return this.op(() => {
      const user = drop(this.tables.users, username, this.undo);
      if (user) drop(this.tables.usernameByEmail, user.emailKey, this.undo);
    });
  }

  getUserByUsername(username: string): Promise<User | null> {
    return this.op(() => {
      const user = this.tables.users.get(username);
      return user ? publicUser(user) : null;
    });
  }

  getUserByEmail(emailKey: string): Promise<User | null> {
    return this.op(() => {
      const username = this.tables.usernameByEmail.get(emailKey);
      const user = username === undefined ? undefined : this.tables.users.get(username);
      return user ? publicUser(user) : null;
    });
  }

  getPasswordHash(username: string): Promise<string | null> {
    return this.op(() => this.tables.users.get(username)?.passwordHash ?? null);
  }

  setEmailVerification(verification: UserToken): Promise<void> {
    return this.op(() =>
      put(this.tables.verifications, verification.tokenHash, { ...verification }, this.undo),
    );
  }

  getEmailVerification(tokenHash: string): Promise<UserToken | null> {
    return this.op(() => copy(this.tables.verifications.get(tokenHash)));
  }

  consumeEmailVerification(tokenHash: string): Promise<UserToken | null> {
    return this.op(() => copy(drop(this.tables.verifications, tokenHash, this.undo)));
  }

  async removeEmailVerification(tokenHash: string): Promise<void> {
    await this.consumeEmailVerification(tokenHash);
  }

  setPasswordReset(reset: UserToken): Promise<void> {
    return this.op(() => put(this.tables.resets, reset.tokenHash, { ...reset }, this.undo));
  }

  getPasswordReset(tokenHash: string): Promise<UserToken | null> {
    return this.op(() => copy(this.tables.resets.get(tokenHash)));
  }

  consumePasswordReset(tokenHash: string): Promise<UserToken | null> {
    return this.op(() => copy(drop(this.tables.resets, tokenHash, this.undo)));
  }

  async removePasswordReset(tokenHash: string): Promise<void> {
    await this.consumePasswordReset(tokenHash);
  }

  removeUserTokens(username: string): Promise<number> {
    return this.op(() => {
      let removed = 0;
      for (const map of [this.tables.verifications, this.tables.resets]) {
        for (const [hash, token] of map) {
          if (token.username === username && drop(map, hash, this.undo)) removed++;
        }
      }
      return removed;
    });
  }

  addSession(session: Session): Promise<void> {
    return this.op(() => {
      put(this.tables.sessions, session.tokenHash, sessionRow(session), this.undo);
      const hashes = this.userSessionHashes(session.username, true);
      if (hashes && !hashes.has(session.tokenHash)) {
        hashes.add(session.tokenHash);
        this.undo?.push(() => hashes.delete(session.tokenHash));
      }
    });
  }

  getSession(tokenHash: string): Promise<Session | null> {
    return this.op(() => {
      const row = this.tables.sessions.get(tokenHash);
      return row ? sessionOf(row) : null;
    });
  }

  touchSession(tokenHash: string, lastActiveAt: Date, expiresAt: Date): Promise<boolean> {
    return this.op(() => {
      const row = this.tables.sessions.get(tokenHash);
      if (!row) return false;
      const touched = {
        ...row,
        lastActiveAt: lastActiveAt.getTime(),
        expiresAt: expiresAt.getTime(),
      };
      put(this.tables.sessions, tokenHash, touched, this.undo);
      return true;
    });
  }

  removeSession(tokenHash: string): Promise<boolean> {
    return this.op(() => this.dropSession(tokenHash));
  }

  removeSessionById(username: string, id: string): Promise<boolean> {
    return this.op(() => {
      for (const hash of this.userSessionHashes(username, false) ?? []) {
        if (this.tables.sessions.get(hash)?.id === id) return this.dropSession(hash);
      }
      return false;
    });
  }

  removeAllSessions(username: string, exceptTokenHash?: string): Promise<number> {
    return this.op(() => {
      let removed = 0;
      for (const hash of [...(this.userSessionHashes(username, false) ?? [])]) {
        if (hash !== exceptTokenHash && this.dropSession(hash)) removed++;
      }
      return removed;
    });
  }

  listSessions(username: string): Promise<Session[]> {
    return this.op(() =>
      [...(this.userSessionHashes(username, false) ?? [])].flatMap((hash) => {
        const row = this.tables.sessions.get(hash);
        return row ? [sessionOf(row)] : [];
      }),
    );
  }

  /** The user's session-hash set, created (and its creation logged) when asked to. */
  private userSessionHashes(username: string, create: boolean): Set<string> | undefined {
    const index = this.tables.sessionHashesByUser;
    let hashes = index.get(username);
    if (!hashes && create) {
      hashes = new Set();
      put(index, username, hashes, this.undo);
    }
    return hashes;
  }

  private dropSession(tokenHash: string): boolean {
    const session = drop(this.tables.sessions, tokenHash, this.undo);
    if (!session) return false;
    const index = this.tables.sessionHashesByUser;
    const hashes = index.get(session.username);
    if (hashes?.delete(tokenHash)) {
      this.undo?.push(() => hashes.add(tokenHash));
      // Forget users with no sessions left, so deleted accounts leave nothing behind.
      if (hashes.size === 0) drop(index, session.username, this.undo);
    }
    return true;
  }

  addOutboxMail(mail: OutboxMail): Promise<void> {
    return this.op(() =>
      put(this.tables.outbox, mail.id, { ...mail, deadLettered: false }, this.undo),
    );
  }

  claimOutboxMail(now: Date, leaseUntil: Date): Promise<OutboxMail | null> {
    return this.op(() => {
      for (const row of this.tables.outbox.values()) {
        const due = row.nextAttemptAt <= now && (row.leaseUntil === null || row.leaseUntil <= now);
        if (row.deadLettered || !due) continue;
        put(this.tables.outbox, row.id, { ...row, leaseUntil }, this.undo);
        const { deadLettered: _, ...mail } = row;
        return { ...mail, leaseUntil };
      }
      return null;
    });
  }

  removeOutboxMail(id: string): Promise<void> {
    return this.op(() => {
      drop(this.tables.outbox, id, this.undo);
    });
  }

  rescheduleOutboxMail(id: string, attempts: number, nextAttemptAt: Date): Promise<void> {
    return this.updateOutbox(id, { attempts, nextAttemptAt, leaseUntil: null });
  }

  deadLetterOutboxMail(id: string, attempts: number): Promise<void> {
    return this.updateOutbox(id, {
      attempts,
      leaseUntil: null,
      deadLettered: true,
      payload: new Uint8Array(),
    });
  }

  private updateOutbox(id: string, change: Partial<OutboxRow>): Promise<void> {
    return this.op(() => {
      const row = this.tables.outbox.get(id);
      if (row) put(this.tables.outbox, id, { ...row, ...change }, this.undo);
    });
  }

  countOutbox(): Promise<OutboxCounts> {
    return this.op(() => {
      let deadLettered = 0;
      for (const row of this.tables.outbox.values()) if (row.deadLettered) deadLettered++;
      return { pending: this.tables.outbox.size - deadLettered, deadLettered };
    });
  }
}

/**
 * In-memory UserStore: the default when no database is configured, and the
 * reference the contract suite holds every store to. Transactions are real:
 * serialised, isolated (autocommit operations wait for them), and rolled back
 * from an undo log when the work throws.
 */
export class MemoryUserStore extends MemoryStoreView implements StoreLifecycle {
  constructor() {
    super(new Tables(), new AsyncLock(), null);
  }

  async ping(): Promise<void> {}

  /** A deep copy of every record (for tests and debugging), taken between transactions. */
  async snapshot(): Promise<Record<string, unknown[]>> {
    return this.transaction(async () =>
      structuredClone(
        Object.fromEntries(
          Object.entries(this.tables).map(([name, map]) => [
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
      const t = this.tables;
      for (const map of [t.verifications, t.resets, t.outbox] as Map<
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
        const hashes = t.sessionHashesByUser.get(session.username);
        hashes?.delete(hash);
        if (hashes?.size === 0) t.sessionHashesByUser.delete(session.username);
        removed++;
      }
      return removed;
    });
  }
}
