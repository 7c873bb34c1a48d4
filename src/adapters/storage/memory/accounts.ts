import type { Account } from "../../../core/domain/account.js";
import {
  type AccountPageQuery,
  type AccountStore,
  type CredentialChange,
  DuplicateError,
  type NewAccount,
} from "../../../core/ports/account-store.js";
import { drop, type OperationContext, put } from "./tables.js";

function publicAccount({ passwordHash: _, ...account }: NewAccount): Account {
  return account;
}

/** Accounts, and the username and email claims that keep both unique. */
export class MemoryAccounts implements AccountStore {
  constructor(private readonly op: OperationContext) {}

  create(account: NewAccount): Promise<void> {
    return this.createMany([account]);
  }

  createMany(accounts: readonly NewAccount[]): Promise<void> {
    return this.op.run(() => {
      const { t, undo } = this.op;
      // Check every claim first (stored and within the batch), so a duplicate writes nothing.
      for (const [field, claims, key] of [
        ["username", t.usernameClaims, (a: NewAccount) => a.username],
        ["email", t.emailClaims, (a: NewAccount) => a.emailKey],
      ] as const) {
        const batch = new Set(accounts.map(key));
        if (batch.size < accounts.length || [...batch].some((k) => claims.has(k))) {
          throw new DuplicateError(field);
        }
      }
      for (const account of accounts) {
        put(t.accounts, account.id, { ...account }, undo);
        put(t.usernameClaims, account.username, account.id, undo);
        put(t.emailClaims, account.emailKey, account.id, undo);
      }
    });
  }

  get(id: string): Promise<Account | null> {
    return this.op.run(() => this.#read(id));
  }

  findByUsername(username: string): Promise<Account | null> {
    return this.op.run(() => this.#read(this.op.t.usernameClaims.get(username)));
  }

  findByEmail(emailKey: string): Promise<Account | null> {
    return this.op.run(() => this.#read(this.op.t.emailClaims.get(emailKey)));
  }

  #read(id: string | undefined): Account | null {
    const account = id === undefined ? undefined : this.op.t.accounts.get(id);
    return account ? publicAccount(account) : null;
  }

  getCredentials(id: string) {
    return this.op.run(() => {
      const account = this.op.t.accounts.get(id);
      return account
        ? { passwordHash: account.passwordHash, generation: account.credentialGeneration }
        : null;
    });
  }

  setVerified(id: string): Promise<void> {
    return this.op.run(() => {
      this.#update(id, { verified: true });
    });
  }

  changeCredentials(id: string, change: CredentialChange): Promise<boolean> {
    return this.op.run(() => {
      const { t, undo } = this.op;
      const account = t.accounts.get(id);
      if (!account) return false;
      const { email, ...rest } = change;
      if (email && email.key !== account.emailKey) {
        if (t.emailClaims.has(email.key)) throw new DuplicateError("email");
        drop(t.emailClaims, account.emailKey, undo);
        put(t.emailClaims, email.key, id, undo);
      }
      return this.#update(id, {
        ...rest,
        ...(email && { email: email.address, emailKey: email.key }),
        credentialGeneration: account.credentialGeneration + 1,
      });
    });
  }

  recordLogin(id: string, generation: number, at: Date, rehashed?: string): Promise<boolean> {
    return this.op.run(() => {
      if (this.op.t.accounts.get(id)?.credentialGeneration !== generation) return false;
      return this.#update(id, { lastLoginAt: at, ...(rehashed && { passwordHash: rehashed }) });
    });
  }

  #update(id: string, change: Partial<NewAccount>): boolean {
    const account = this.op.t.accounts.get(id);
    if (account) put(this.op.t.accounts, id, { ...account, ...change }, this.op.undo);
    return account !== undefined;
  }

  list(query: AccountPageQuery): Promise<Account[]> {
    return this.op.run(() => {
      const matches = (a: NewAccount) =>
        (query.afterId === undefined || a.id > query.afterId) &&
        (query.verified === undefined || a.verified === query.verified) &&
        (query.disabled === undefined || a.disabled === query.disabled) &&
        (!query.createdFrom || a.createdAt >= query.createdFrom) &&
        (!query.createdBefore || a.createdAt < query.createdBefore);
      return [...this.op.t.accounts.values()]
        .filter(matches)
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .slice(0, query.limit)
        .map(publicAccount);
    });
  }

  remove(id: string): Promise<void> {
    return this.op.run(() => {
      const { t, undo } = this.op;
      const account = drop(t.accounts, id, undo);
      if (!account) return;
      drop(t.usernameClaims, account.username, undo);
      drop(t.emailClaims, account.emailKey, undo);
    });
  }
}
