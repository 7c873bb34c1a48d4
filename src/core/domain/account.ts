/** An account as the store keeps it (the password hash travels separately, on purpose). */
export interface Account {
  /** UUIDv7, lower-case text: immutable and never reused. Everything of the account points here. */
  id: string;
  /** Canonical (lower-case) username: an attribute, unique through its claim. */
  username: string;
  /** Address as registered (or as last confirmed by ChangeEmail). */
  email: string;
  /** Lower-cased address: unique across accounts through its claim. */
  emailKey: string;
  verified: boolean;
  /** Set by an operator (AdminService): no login, no sessions, no tokens until enabled again. */
  disabled: boolean;
  createdAt: Date;
  /**
   * Changes with every password or email change and with deletion. Login checks,
   * in the transaction that opens the session, that the generation it read still
   * holds (and writes the record), so no session is opened under old credentials.
   */
  credentialGeneration: number;
  lastLoginAt: Date | null;
}

/**
 * A single-use token (email verification or password reset), as its hash.
 * A verification token names the address it proves: the registered one, or
 * the new one a ChangeEmail asked for.
 */
export interface AccountToken {
  accountId: string;
  tokenHash: string;
  expiresAt: Date;
  /** Verification tokens only: the address (as typed) whose ownership the link proves. */
  email?: string | undefined;
}

/** A login session, keyed by its token hash; `id` is the public handle. */
export interface Session {
  id: string;
  tokenHash: string;
  accountId: string;
  /**
   * The account's username, which never changes: VerifySession answers from
   * the session alone. Absent on sessions stored before sessions kept it.
   */
  username?: string | undefined;
  createdAt: Date;
  lastActiveAt: Date;
  /** Absolute limit: no activity extends a session past this. */
  absoluteExpiresAt: Date;
  /** min(absolute limit, last activity + idle limit): when the session dies if unused. */
  expiresAt: Date;
  ip: string;
  userAgent: string;
}

/**
 * A trusted device (OWASP "device cookie"): Login issued it to a browser that
 * proved the password. Keyed by an HMAC bound to the account id, so a device
 * token is worth nothing for another account. `failures` counts wrong passwords
 * sent with it; at the limit it stops being trusted.
 */
export interface DeviceToken {
  accountId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  failures: number;
}

export function isLive(record: { expiresAt: Date }, now: Date): boolean {
  return record.expiresAt.getTime() > now.getTime();
}
