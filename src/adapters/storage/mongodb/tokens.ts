import type { UserToken } from "../../../core/domain/account.js";
import type { TokenDoc } from "./collections.js";
import { literal } from "./literal.js";
import type { Scope } from "./scope.js";

/** Email verifications and password resets: one shape, one set of operations, two collections. */
export type TokenCollection = "email_verifications" | "password_resets";

const TOKEN_COLLECTIONS: readonly TokenCollection[] = ["email_verifications", "password_resets"];

function toToken(doc: TokenDoc): UserToken {
  return { username: doc.username, tokenHash: doc._id, expiresAt: doc.expires_at };
}

export async function setToken(s: Scope, kind: TokenCollection, token: UserToken): Promise<void> {
  const doc: TokenDoc = {
    _id: literal(token.tokenHash),
    username: literal(token.username),
    expires_at: token.expiresAt,
  };
  await s.c[kind].replaceOne({ _id: doc._id }, doc, { upsert: true, ...s.with });
}

export async function getToken(
  s: Scope,
  kind: TokenCollection,
  tokenHash: string,
): Promise<UserToken | null> {
  const doc = await s.c[kind].findOne({ _id: literal(tokenHash) }, s.with);
  return doc ? toToken(doc) : null;
}

/**
 * Single use: of N concurrent consumers of one hash, only the one whose delete
 * removes the record gets the token. Read, then delete by `_id`: both steps are
 * retryable, so a failover mid-consume neither burns the token nor hands it out
 * twice (a delete whose reply was lost is retried and still counts once).
 * Not findOneAndDelete: the driver sends `new: false, upsert: false` with it,
 * which the jongodb emulator rejects ("new is not allowed when remove=true"),
 * and spelling out findAndModify by hand would lose the driver's retry.
 */
export async function consumeToken(
  s: Scope,
  kind: TokenCollection,
  tokenHash: string,
): Promise<UserToken | null> {
  const filter = { _id: literal(tokenHash) };
  const doc = await s.c[kind].findOne(filter, s.with);
  if (!doc) return null;
  const { deletedCount } = await s.c[kind].deleteOne(filter, s.with);
  return deletedCount === 1 ? toToken(doc) : null;
}

export async function removeToken(s: Scope, kind: TokenCollection, tokenHash: string) {
  await s.c[kind].deleteOne({ _id: literal(tokenHash) }, s.with);
}

/** Sequential, not parallel: operations sharing a transaction's session must not overlap. */
export async function removeUserTokens(s: Scope, username: string): Promise<number> {
  let removed = 0;
  for (const kind of TOKEN_COLLECTIONS) {
    removed += (await s.c[kind].deleteMany({ username: literal(username) }, s.with)).deletedCount;
  }
  return removed;
}
