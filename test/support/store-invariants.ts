import type { AccountToken } from "../../src/core/domain/account-token.js";
import type { DeviceToken } from "../../src/core/domain/device.js";
import type { Session } from "../../src/core/domain/session.js";
import type { NewAccount } from "../../src/core/ports/account-store.js";
import type { StoreInstance } from "./stores.js";

/** What MemoryStore.snapshot() returns: each table as [key, record] pairs. */
export interface MemoryTables {
  accounts: [string, NewAccount][];
  usernameClaims: [string, string][];
  emailClaims: [string, string][];
  verifications: [string, AccountToken][];
  resets: [string, AccountToken][];
  sessions: [string, Session][];
  sessionHashesByAccount: [string, Set<string>][];
  devices: [string, DeviceToken][];
  outbox: [string, unknown][];
}

export type ViolationKind =
  | "password-hash"
  | "account-key"
  | "username-claim"
  | "email-claim"
  | "orphan-session"
  | "orphan-verification"
  | "orphan-reset"
  | "orphan-device"
  | "session-index"
  | "session-expiry";

export interface Violation {
  kind: ViolationKind;
  /** The account id the record names (a record of a missing account names that missing id). */
  accountId: string;
  /** The record's key (an id, a claim key or a token hash: never a raw secret). */
  key: string;
}

/**
 * Store invariants that no sequence of RPCs, concurrent or not, may break:
 * every account has a password hash; the username and email claims are each a
 * bijection onto the accounts; no session, verification, reset or device record names
 * an account that does not exist; the per-account session index matches the sessions.
 */
export function storeViolations(tables: MemoryTables): Violation[] {
  const found: Violation[] = [];
  const flag = (kind: ViolationKind, accountId: string, key: string) =>
    found.push({ kind, accountId, key });
  const accounts = new Map(tables.accounts);
  const usernames = new Map(tables.usernameClaims);
  const emails = new Map(tables.emailClaims);

  for (const [id, account] of accounts) {
    if (!/^\$argon2id\$.+/.test(account.passwordHash ?? "")) flag("password-hash", id, id);
    if (id !== account.id) flag("account-key", id, id);
    if (
      account.username !== account.username.toLowerCase() ||
      usernames.get(account.username) !== id
    ) {
      flag("username-claim", id, account.username);
    }
    if (account.emailKey !== account.email.toLowerCase() || emails.get(account.emailKey) !== id) {
      flag("email-claim", id, account.emailKey);
    }
  }
  for (const [username, id] of usernames) {
    if (accounts.get(id)?.username !== username) flag("username-claim", id, username);
  }
  for (const [emailKey, id] of emails) {
    if (accounts.get(id)?.emailKey !== emailKey) flag("email-claim", id, emailKey);
  }

  const tokenTables = [
    ["orphan-verification", tables.verifications],
    ["orphan-reset", tables.resets],
    ["orphan-device", tables.devices],
  ] as const;
  for (const [kind, rows] of tokenTables) {
    for (const [hash, token] of rows) {
      if (!accounts.has(token.accountId) || token.tokenHash !== hash) {
        flag(kind, token.accountId, hash);
      }
    }
  }
  const index = new Map(tables.sessionHashesByAccount);
  for (const [hash, session] of tables.sessions) {
    if (!accounts.has(session.accountId)) flag("orphan-session", session.accountId, hash);
    if (!index.get(session.accountId)?.has(hash) || session.tokenHash !== hash) {
      flag("session-index", session.accountId, hash);
    }
    if (session.expiresAt > session.absoluteExpiresAt) {
      flag("session-expiry", session.accountId, hash);
    }
  }
  const sessions = new Map(tables.sessions);
  for (const [accountId, hashes] of index) {
    for (const hash of hashes) {
      if (sessions.get(hash)?.accountId !== accountId) flag("session-index", accountId, hash);
    }
  }
  return found;
}

export async function memoryTables(store: StoreInstance): Promise<MemoryTables> {
  return (await store.snapshot()) as MemoryTables;
}
