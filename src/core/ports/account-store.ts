import type { Account } from "../domain/account.js";

/** An account to create: its record plus the password hash (kept apart from reads on purpose). */
export interface NewAccount extends Account {
  passwordHash: string;
}

/** What a credential change writes; every one of them moves the credential generation on. */
export interface CredentialChange {
  passwordHash?: string;
  /** A confirmed new address: the email claim moves with it. */
  email?: { address: string; key: string };
  verified?: boolean;
  /** Disabling moves the generation on too, so a Login that checked the password before fails. */
  disabled?: boolean;
}

/** One page of ListAccounts: ids above `afterId`, ascending, matching every filter given. */
export interface AccountPageQuery {
  afterId?: string | undefined;
  limit: number;
  verified?: boolean | undefined;
  disabled?: boolean | undefined;
  /** Inclusive. */
  createdFrom?: Date | undefined;
  /** Exclusive. */
  createdBefore?: Date | undefined;
}

/** Thrown by `create` and `changeCredentials` when a username or email claim is held by another account. */
export class DuplicateError extends Error {
  constructor(readonly field: "username" | "email") {
    super(`duplicate ${field}`);
    this.name = "DuplicateError";
  }
}

/**
 * Accounts with their claims. An account is keyed by its id; its username and
 * email are attributes, made unique by claim records (one per normalised
 * username, one per email key) that the store writes and removes together with
 * the account, in the same transaction.
 */
export interface AccountStore {
  /** Throws DuplicateError when the username or email is claimed; writes nothing then. */
  create(account: NewAccount): Promise<void>;
  /**
   * Creates many accounts at once (an import, a load test): all or, when any
   * username or email is claimed (by a stored account or twice in the batch),
   * DuplicateError and none.
   */
  createMany(accounts: readonly NewAccount[]): Promise<void>;
  get(id: string): Promise<Account | null>;
  findByUsername(username: string): Promise<Account | null>;
  findByEmail(emailKey: string): Promise<Account | null>;
  /** The hash and the generation it belongs to, read together. */
  getCredentials(id: string): Promise<{ passwordHash: string; generation: number } | null>;
  setVerified(id: string): Promise<void>;
  /**
   * Writes the change and increments the credential generation. Moving the email
   * to a key another account claims throws DuplicateError("email"), changing nothing.
   * Returns false if there is no such account.
   */
  changeCredentials(id: string, change: CredentialChange): Promise<boolean>;
  /**
   * Login's write to the account record: sets last-login time (and an upgraded
   * hash) only if the credential generation is still `generation`. Returns false
   * (writing nothing) if the account is gone or its credentials changed since.
   */
  recordLogin(
    id: string,
    generation: number,
    at: Date,
    rehashed?: string | undefined,
  ): Promise<boolean>;
  /**
   * Accounts in id order (UUIDv7: creation order), for paging: a page resumes
   * after the last id seen, so accounts added meanwhile are neither lost nor repeated.
   */
  list(query: AccountPageQuery): Promise<Account[]>;
  /** Removes the account and its claims; flows remove sessions and tokens in the same transaction. */
  remove(id: string): Promise<void>;
}
