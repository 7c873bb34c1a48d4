/** An account as the store keeps it (the password hash travels separately, on purpose). */
export interface User {
  /** Canonical (lower-case) username; the account's identity. */
  username: string;
  /** Address as registered. */
  email: string;
  /** Lower-cased address: unique across accounts. */
  emailKey: string;
  verified: boolean;
  createdAt: Date;
}

/** A single-use token (email verification or password reset), as its hash. */
export interface UserToken {
  username: string;
  tokenHash: string;
  expiresAt: Date;
}

/** A login session, keyed by its token hash; `id` is the public handle. */
export interface Session {
  id: string;
  tokenHash: string;
  username: string;
  createdAt: Date;
  lastActiveAt: Date;
  /** Absolute limit: no activity extends a session past this. */
  absoluteExpiresAt: Date;
  /** min(absolute limit, last activity + idle limit): when the session dies if unused. */
  expiresAt: Date;
  ip: string;
  userAgent: string;
}

export function isLive(record: { expiresAt: Date }, now: Date): boolean {
  return record.expiresAt.getTime() > now.getTime();
}
