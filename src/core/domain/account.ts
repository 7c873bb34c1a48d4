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
