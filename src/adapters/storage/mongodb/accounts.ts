import type { Filter } from "mongodb";
import type { Account } from "../../../core/domain/account.js";
import type {
  AccountPageQuery,
  CredentialChange,
  NewAccount,
} from "../../../core/ports/account-store.js";
import { DuplicateError } from "../../../core/ports/account-store.js";
import type { AccountDoc } from "./collections.js";
import { claimUnique, isDuplicateKey } from "./errors.js";
import { literal } from "./literal.js";
import type { OperationContext } from "./operation.js";

/** The password hash only leaves the store through getCredentials. */
export const WITHOUT_HASH = { projection: { password_hash: 0 } } as const;

function toAccount(doc: Omit<AccountDoc, "password_hash">): Account {
  return {
    id: doc._id,
    username: doc.username,
    email: doc.email,
    emailKey: doc.email_key,
    verified: doc.verified,
    disabled: doc.disabled ?? false,
    createdAt: doc.created_at,
    credentialGeneration: doc.credential_generation,
    lastLoginAt: doc.last_login_at ?? null,
  };
}

function accountDoc(account: NewAccount): AccountDoc {
  return {
    _id: literal(account.id),
    username: literal(account.username),
    email: account.email,
    email_key: literal(account.emailKey),
    verified: account.verified,
    disabled: account.disabled,
    created_at: account.createdAt,
    password_hash: account.passwordHash,
    credential_generation: account.credentialGeneration,
    last_login_at: account.lastLoginAt,
  };
}

/**
 * Call inside a transaction: three bulk inserts (claims, then accounts). A
 * claim already taken, or twice in the batch, is a duplicate key: DuplicateError
 * for that field, and the transaction writes nothing.
 */
export async function createAccounts(
  op: OperationContext,
  accounts: readonly NewAccount[],
): Promise<void> {
  if (accounts.length === 0) return;
  const docs = accounts.map(accountDoc);
  for (const field of ["username", "email"] as const) {
    const claims = field === "username" ? op.c.username_claims : op.c.email_claims;
    const key = field === "username" ? "username" : "email_key";
    try {
      await claims.insertMany(
        docs.map((d) => ({ _id: d[key], account_id: d._id })),
        op.with,
      );
    } catch (error) {
      throw isDuplicateKey(error) ? new DuplicateError(field) : error;
    }
  }
  await op.c.accounts.insertMany(docs, op.with);
}

/**
 * Claims first, then the account. Inside a transaction a taken claim aborts it
 * all; outside one (transactions "off") the claims this call made are taken back.
 */
export async function createAccount(op: OperationContext, account: NewAccount): Promise<void> {
  const id = literal(account.id);
  const claimed: Array<() => Promise<unknown>> = [];
  try {
    await claimUnique(op, "username", literal(account.username), id);
    claimed.push(() => op.c.username_claims.deleteOne({ _id: account.username, account_id: id }));
    await claimUnique(op, "email", literal(account.emailKey), id);
    claimed.push(() => op.c.email_claims.deleteOne({ _id: account.emailKey, account_id: id }));
    await op.c.accounts.insertOne(accountDoc(account), op.with);
  } catch (error) {
    if (!op.with.session) for (const undo of claimed) await undo();
    throw error;
  }
}

export async function getAccount(op: OperationContext, id: string): Promise<Account | null> {
  const doc = op.batched
    ? await op.batched.accounts.get(id)
    : await op.c.accounts.findOne({ _id: literal(id) }, { ...WITHOUT_HASH, ...op.with });
  return doc ? toAccount(doc) : null;
}

/** A claim names the account; two point reads by `_id`, each targeted to one shard. */
export async function findByClaim(
  op: OperationContext,
  kind: "username" | "email",
  key: string,
): Promise<Account | null> {
  const claims = kind === "username" ? op.c.username_claims : op.c.email_claims;
  const claim = await claims.findOne({ _id: literal(key) }, op.with);
  return claim ? getAccount(op, claim.account_id) : null;
}

export async function getCredentials(op: OperationContext, id: string) {
  const doc = await op.c.accounts.findOne(
    { _id: literal(id) },
    { projection: { password_hash: 1, credential_generation: 1 }, ...op.with },
  );
  return doc ? { passwordHash: doc.password_hash, generation: doc.credential_generation } : null;
}

export async function setVerified(op: OperationContext, id: string): Promise<void> {
  await op.c.accounts.updateOne({ _id: literal(id) }, { $set: { verified: true } }, op.with);
}

/** Call inside a transaction: moving an email claim writes three documents. */
export async function changeCredentials(
  op: OperationContext,
  id: string,
  change: CredentialChange,
): Promise<boolean> {
  const account = await getAccount(op, id);
  if (!account) return false;
  const set: Partial<AccountDoc> = {};
  if (change.passwordHash !== undefined) set.password_hash = change.passwordHash;
  if (change.verified !== undefined) set.verified = change.verified;
  if (change.disabled !== undefined) set.disabled = change.disabled;
  if (change.email && change.email.key !== account.emailKey) {
    await claimUnique(op, "email", literal(change.email.key), account.id);
    await op.c.email_claims.deleteOne({ _id: account.emailKey, account_id: account.id }, op.with);
  }
  if (change.email) {
    set.email = change.email.address;
    set.email_key = change.email.key;
  }
  const result = await op.c.accounts.updateOne(
    { _id: account.id },
    { $set: set, $inc: { credential_generation: 1 } },
    op.with,
  );
  return result.matchedCount === 1;
}

/**
 * Login's write to the account record, conditional on the credential generation
 * its password check read. Why a write and not just a re-read: Login reads the
 * account and inserts a session; a password change, reset, email change or
 * deletion writes the account and deletes the account's sessions. If Login only
 * read the account, the two transactions would write no document in common, so
 * under snapshot isolation both could commit (write skew): the change's delete
 * would not see the new session, and the session would outlive the change. By
 * updating the account document too, both transactions write the same document:
 * MongoDB fails the later writer with a WriteConflict (a TransientTransactionError),
 * withTransaction re-runs it on a fresh snapshot, and there either the generation
 * no longer matches (Login fails) or the change's delete now sees the session.
 */
export async function recordLogin(
  op: OperationContext,
  id: string,
  generation: number,
  at: Date,
  rehashed?: string,
): Promise<boolean> {
  const set: Partial<AccountDoc> = { last_login_at: at };
  if (rehashed) set.password_hash = rehashed;
  const result = await op.c.accounts.updateOne(
    { _id: literal(id), credential_generation: generation },
    { $set: set },
    op.with,
  );
  return result.matchedCount === 1;
}

/** Call inside a transaction: the account and both its claims go together. */
export async function removeAccount(op: OperationContext, id: string): Promise<void> {
  const account = await getAccount(op, id);
  if (!account) return;
  await op.c.accounts.deleteOne({ _id: account.id }, op.with);
  await op.c.username_claims.deleteOne({ _id: account.username, account_id: account.id }, op.with);
  await op.c.email_claims.deleteOne({ _id: account.emailKey, account_id: account.id }, op.with);
}

/**
 * One page in `_id` order, resuming after `afterId`: the `_id` index serves the
 * order, and `{disabled, _id}` serves listing disabled accounts.
 */
export async function listAccounts(
  op: OperationContext,
  query: AccountPageQuery,
): Promise<Account[]> {
  const filter: Filter<AccountDoc> = {};
  if (query.afterId !== undefined) filter._id = { $gt: literal(query.afterId) };
  if (query.verified !== undefined) filter.verified = query.verified;
  // Accounts stored before the field existed are enabled.
  if (query.disabled !== undefined) filter.disabled = query.disabled ? true : { $ne: true };
  if (query.createdFrom || query.createdBefore) {
    filter.created_at = {
      ...(query.createdFrom && { $gte: query.createdFrom }),
      ...(query.createdBefore && { $lt: query.createdBefore }),
    };
  }
  const docs = await op.c.accounts
    .find(filter, { ...WITHOUT_HASH, ...op.with })
    .sort({ _id: 1 })
    .limit(query.limit)
    .toArray();
  return docs.map(toAccount);
}
