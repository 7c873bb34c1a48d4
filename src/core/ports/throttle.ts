/**
 * Request budgets and login lockout, kept where every replica sees them (the
 * store). Keys are normalised names and IPs (see domain/client-key.ts); an
 * implementation stores only keyed hashes of them, never the names.
 */
export type LimitName =
  | "login_ip"
  | "login_account"
  /** Logins presenting a trusted device token: limited per device instead of per account. */
  | "login_device"
  | "register_ip"
  | "mail_email"
  | "mail_ip";

/** A login attempt's lockout keys: the account alone, and the account from this client. */
export interface LockKeys {
  account: string;
  accountFromIp: string;
}

export interface Throttle {
  /** Counts one request against `limit` for `key`; returns how long to wait (ms) if over budget, else 0. */
  hit(limit: LimitName, key: string): Promise<number>;
  /** How long (ms) login stays locked for these keys; 0 when open. */
  lockedFor(keys: LockKeys): Promise<number>;
  /** Records a failed login; returns the lock (ms) it started, 0 if none. */
  loginFailed(keys: LockKeys): Promise<number>;
  /** A successful login forgets this client's failures for the account. */
  loginSucceeded(keys: LockKeys): Promise<void>;
}
