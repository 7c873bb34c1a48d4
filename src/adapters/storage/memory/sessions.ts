import type { Session } from "../../../core/domain/session.js";
import type { SessionStore } from "../../../core/ports/session-store.js";
import { drop, indexKey, keysOf, type OperationContext, put, unindexKey } from "./tables.js";

/**
 * A session as this store keeps it: times as epoch milliseconds. A Date is a full
 * object (about 110 bytes on the heap) where a number is 16, and sessions are the
 * records there are most of: three Dates made up a third of each session's memory.
 */
export interface SessionRow {
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

/** Sessions keyed by token hash, with a per-account index of their hashes. */
export class MemorySessions implements SessionStore {
  constructor(private readonly op: OperationContext) {}

  add(session: Session): Promise<void> {
    return this.op.run(() => {
      const { t, undo } = this.op;
      put(t.sessions, session.tokenHash, sessionRow(session), undo);
      indexKey(t.sessionHashesByAccount, session.accountId, session.tokenHash, undo);
    });
  }

  get(tokenHash: string): Promise<Session | null> {
    return this.op.run(() => {
      const row = this.op.t.sessions.get(tokenHash);
      return row ? sessionOf(row) : null;
    });
  }

  touch(tokenHash: string, lastActiveAt: Date, expiresAt: Date): Promise<boolean> {
    return this.op.run(() => {
      const row = this.op.t.sessions.get(tokenHash);
      if (!row) return false;
      const touched = {
        ...row,
        lastActiveAt: lastActiveAt.getTime(),
        expiresAt: expiresAt.getTime(),
      };
      put(this.op.t.sessions, tokenHash, touched, this.op.undo);
      return true;
    });
  }

  remove(tokenHash: string): Promise<boolean> {
    return this.op.run(() => this.#drop(tokenHash));
  }

  removeById(accountId: string, id: string): Promise<boolean> {
    return this.op.run(() => {
      for (const hash of this.#hashesOf(accountId)) {
        if (this.op.t.sessions.get(hash)?.id === id) return this.#drop(hash);
      }
      return false;
    });
  }

  removeAll(accountId: string, exceptTokenHash?: string): Promise<number> {
    return this.op.run(() => {
      let removed = 0;
      for (const hash of this.#hashesOf(accountId)) {
        if (hash !== exceptTokenHash && this.#drop(hash)) removed++;
      }
      return removed;
    });
  }

  list(accountId: string): Promise<Session[]> {
    return this.op.run(() =>
      this.#hashesOf(accountId).flatMap((hash) => {
        const row = this.op.t.sessions.get(hash);
        return row ? [sessionOf(row)] : [];
      }),
    );
  }

  countLive(accountIds: readonly string[], now: Date): Promise<Map<string, number>> {
    return this.op.run(() => {
      const counts = new Map<string, number>();
      for (const id of accountIds) {
        let live = 0;
        for (const hash of this.#hashesOf(id)) {
          if ((this.op.t.sessions.get(hash)?.expiresAt ?? 0) > now.getTime()) live++;
        }
        if (live > 0) counts.set(id, live);
      }
      return counts;
    });
  }

  #hashesOf(accountId: string): readonly string[] {
    return keysOf(this.op.t.sessionHashesByAccount, accountId);
  }

  #drop(tokenHash: string): boolean {
    const { t, undo } = this.op;
    const session = drop(t.sessions, tokenHash, undo);
    if (!session) return false;
    // Accounts with no sessions left are forgotten, so deleted accounts leave nothing behind.
    unindexKey(t.sessionHashesByAccount, session.accountId, tokenHash, undo);
    return true;
  }
}
