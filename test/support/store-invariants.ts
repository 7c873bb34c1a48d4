import type { Session, UserToken } from "../../src/core/domain/account.js";
import type { NewUser } from "../../src/core/ports/user-store.js";
import type { StoreInstance } from "./stores.js";

/** What MemoryUserStore.snapshot() returns: each table as [key, record] pairs. */
export interface MemoryTables {
  users: [string, NewUser][];
  usernameByEmail: [string, string][];
  verifications: [string, UserToken][];
  resets: [string, UserToken][];
  sessions: [string, Session][];
  sessionHashesByUser: [string, Set<string>][];
  outbox: [string, unknown][];
}

export type ViolationKind =
  | "password-hash"
  | "user-key"
  | "email-index"
  | "orphan-session"
  | "orphan-verification"
  | "orphan-reset"
  | "session-index"
  | "session-expiry";

export interface Violation {
  kind: ViolationKind;
  username: string;
  /** The record's key (a username, an email key or a token hash: never a raw secret). */
  key: string;
}

/**
 * Store invariants that no sequence of RPCs, concurrent or not, may break:
 * every user has a password hash; the email index is a bijection onto users;
 * no session, verification or reset record names a user that does not exist;
 * the per-user session index matches the sessions.
 */
export function storeViolations(tables: MemoryTables): Violation[] {
  const found: Violation[] = [];
  const flag = (kind: ViolationKind, username: string, key: string) =>
    found.push({ kind, username, key });
  const users = new Map(tables.users);
  const emails = new Map(tables.usernameByEmail);

  for (const [key, user] of users) {
    if (!/^\$argon2id\$.+/.test(user.passwordHash ?? "")) flag("password-hash", key, key);
    if (key !== user.username || user.username !== user.username.toLowerCase()) {
      flag("user-key", key, key);
    }
    if (user.emailKey !== user.email.toLowerCase() || emails.get(user.emailKey) !== key) {
      flag("email-index", key, user.emailKey);
    }
  }
  for (const [emailKey, username] of emails) {
    if (users.get(username)?.emailKey !== emailKey) flag("email-index", username, emailKey);
  }
  if (emails.size !== users.size)
    flag("email-index", "*", `${emails.size} keys, ${users.size} users`);

  const tokenTables = [
    ["orphan-verification", tables.verifications],
    ["orphan-reset", tables.resets],
  ] as const;
  for (const [kind, rows] of tokenTables) {
    for (const [hash, token] of rows) {
      if (!users.has(token.username) || token.tokenHash !== hash) flag(kind, token.username, hash);
    }
  }
  const index = new Map(tables.sessionHashesByUser);
  for (const [hash, session] of tables.sessions) {
    if (!users.has(session.username)) flag("orphan-session", session.username, hash);
    if (!index.get(session.username)?.has(hash) || session.tokenHash !== hash) {
      flag("session-index", session.username, hash);
    }
    if (session.expiresAt > session.absoluteExpiresAt)
      flag("session-expiry", session.username, hash);
  }
  const sessions = new Map(tables.sessions);
  for (const [username, hashes] of index) {
    for (const hash of hashes) {
      if (sessions.get(hash)?.username !== username) flag("session-index", username, hash);
    }
  }
  return found;
}

export async function memoryTables(store: StoreInstance): Promise<MemoryTables> {
  return (await store.snapshot()) as MemoryTables;
}
