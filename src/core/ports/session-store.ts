import type { Session } from "../domain/session.js";

/** Login sessions, keyed by token hash; each points at its account's id. */
export interface SessionStore {
  add(session: Session): Promise<void>;
  get(tokenHash: string): Promise<Session | null>;
  /** Records activity; returns false if the session is gone. */
  touch(tokenHash: string, lastActiveAt: Date, expiresAt: Date): Promise<boolean>;
  /** Returns false if there was no such session. */
  remove(tokenHash: string): Promise<boolean>;
  /** Removes the session with this public id if it belongs to the account. */
  removeById(accountId: string, id: string): Promise<boolean>;
  /** Removes all of the account's sessions, except one if given; returns how many. */
  removeAll(accountId: string, exceptTokenHash?: string): Promise<number>;
  /** All stored sessions of the account (expired ones included; the core filters). */
  list(accountId: string): Promise<Session[]>;
  /** How many sessions of each account expire after `now` (accounts with none are left out). */
  countLive(accountIds: readonly string[], now: Date): Promise<Map<string, number>>;
}
