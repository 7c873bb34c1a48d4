import type { AccountToken } from "../domain/account-token.js";

export type TokenKind = "verification" | "reset";

/**
 * Single-use email verification and password reset tokens, by hash (the store
 * never sees a raw token). `consume` is atomic: of N concurrent calls for one
 * hash, exactly one gets the record.
 */
export interface TokenStore {
  add(kind: TokenKind, token: AccountToken): Promise<void>;
  find(kind: TokenKind, tokenHash: string): Promise<AccountToken | null>;
  consume(kind: TokenKind, tokenHash: string): Promise<AccountToken | null>;
  /** Removes every token of the account (of one kind, if given); returns how many. */
  removeForAccount(accountId: string, kind?: TokenKind): Promise<number>;
}
