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
