import type { AccountToken } from "../../../core/domain/account-token.js";
import type { TokenKind, TokenStore } from "../../../core/ports/token-store.js";
import { copy, drop, put, type Scope } from "./tables.js";

/** Verification and reset tokens, one table per kind, keyed by hash. */
export class MemoryTokens implements TokenStore {
  constructor(private readonly s: Scope) {}

  #table(kind: TokenKind): Map<string, AccountToken> {
    return kind === "verification" ? this.s.t.verifications : this.s.t.resets;
  }

  add(kind: TokenKind, token: AccountToken): Promise<void> {
    return this.s.op(() => put(this.#table(kind), token.tokenHash, { ...token }, this.s.undo));
  }

  find(kind: TokenKind, tokenHash: string): Promise<AccountToken | null> {
    return this.s.op(() => copy(this.#table(kind).get(tokenHash)));
  }

  consume(kind: TokenKind, tokenHash: string): Promise<AccountToken | null> {
    return this.s.op(() => copy(drop(this.#table(kind), tokenHash, this.s.undo)));
  }

  removeForAccount(accountId: string): Promise<number> {
    return this.s.op(() => {
      let removed = 0;
      for (const map of [this.s.t.verifications, this.s.t.resets]) {
        for (const [hash, token] of map) {
          if (token.accountId === accountId && drop(map, hash, this.s.undo)) removed++;
        }
      }
      return removed;
    });
  }
}
