import type { AccountToken } from "../../../core/domain/account-token.js";
import type { TokenKind } from "../../../core/ports/token-store.js";
import type { TokenDoc } from "./collections.js";
import { literal } from "./literal.js";
import type { OperationContext } from "./operation.js";

/** Email verifications and password resets: one shape, one set of operations, two collections. */
const COLLECTION = { verification: "email_verifications", reset: "password_resets" } as const;

function toToken(doc: TokenDoc): AccountToken {
  return {
    accountId: doc.account_id,
    tokenHash: doc._id,
    expiresAt: doc.expires_at,
    ...(doc.email !== undefined && { email: doc.email }),
  };
}

export async function addToken(
  op: OperationContext,
  kind: TokenKind,
  token: AccountToken,
): Promise<void> {
  const doc: TokenDoc = {
    _id: literal(token.tokenHash),
    account_id: literal(token.accountId),
    expires_at: token.expiresAt,
    ...(token.email !== undefined && { email: token.email }),
  };
  await op.c[COLLECTION[kind]].replaceOne({ _id: doc._id }, doc, { upsert: true, ...op.with });
}

export async function findToken(
  op: OperationContext,
  kind: TokenKind,
  tokenHash: string,
): Promise<AccountToken | null> {
  const doc = await op.c[COLLECTION[kind]].findOne({ _id: literal(tokenHash) }, op.with);
  return doc ? toToken(doc) : null;
}

/**
 * Single use: of N concurrent consumers of one hash, only the one whose delete
 * removes the record gets the token. Read, then delete by `_id` with a count
 * check: both steps are retryable, so a failover mid-consume neither burns the
 * token nor hands it out twice (a delete whose reply was lost is retried and
 * still counts once). Not findOneAndDelete: the driver sends `new: false,
 * upsert: false` with it, which the jongodb emulator rejects ("new is not
 * allowed when remove=true"), and spelling out findAndModify by hand would lose
 * the driver's retry.
 */
export async function consumeToken(
  op: OperationContext,
  kind: TokenKind,
  tokenHash: string,
): Promise<AccountToken | null> {
  const filter = { _id: literal(tokenHash) };
  const doc = await op.c[COLLECTION[kind]].findOne(filter, op.with);
  if (!doc) return null;
  const { deletedCount } = await op.c[COLLECTION[kind]].deleteOne(filter, op.with);
  return deletedCount === 1 ? toToken(doc) : null;
}

/** Sequential, not parallel: operations sharing a transaction's session must not overlap. */
export async function removeAccountTokens(
  op: OperationContext,
  accountId: string,
  kind?: TokenKind,
): Promise<number> {
  let removed = 0;
  for (const name of kind ? [COLLECTION[kind]] : Object.values(COLLECTION)) {
    removed += (await op.c[name].deleteMany({ account_id: literal(accountId) }, op.with))
      .deletedCount;
  }
  return removed;
}
