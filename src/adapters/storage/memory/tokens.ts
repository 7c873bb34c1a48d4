import type { AccountToken } from "../../../core/domain/account-token.js";
import type { TokenKind, TokenStore } from "../../../core/ports/token-store.js";
import { copy, drop, type OperationContext, put } from "./tables.js";

/** Verification and reset tokens, one table per kind, keyed by hash. */
export class MemoryTokens implements TokenStore {
  constructor(private readonly op: OperationContext) {}

  #table(kind: TokenKind): Map<string, AccountToken> {
    return kind === "verification" ? this.op.t.verifications : this.op.t.resets;
  }

  add(kind: TokenKind, token: AccountToken): Promise<void> {
    return this.op.run(() => put(this.#table(kind), token.tokenHash, { ...token }, this.op.undo));
  }

  find(kind: TokenKind, tokenHash: string): Promise<AccountToken | null> {
    return this.op.run(() => copy(this.#table(kind).get(tokenHash)));
  }

  consume(kind: TokenKind, tokenHash: string): Promise<AccountToken | null> {
    return this.op.run(() => copy(drop(this.#table(kind), tokenHash, this.op.undo)));
  }

  removeForAccount(accountId: string, kind?: TokenKind): Promise<number> {
    return this.op.run(() => {
      let removed = 0;
      const maps = kind ? [this.#table(kind)] : [this.op.t.verifications, this.op.t.resets];
      for (const map of maps) {
        for (const [hash, token] of map) {
          if (token.accountId === accountId && drop(map, hash, this.op.undo)) removed++;
        }
      }
      return removed;
    });
  }
}
