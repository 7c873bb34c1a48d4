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
