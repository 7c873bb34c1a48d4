import type { Session } from "../../../core/domain/session.js";
import type { SessionDoc } from "./collections.js";
import { literal } from "./literal.js";
import type { OperationContext } from "./operation.js";

function toDoc(session: Session): SessionDoc {
  return {
    _id: literal(session.tokenHash),
    public_id: literal(session.id),
    account_id: literal(session.accountId),
    ...(session.username !== undefined && { username: session.username }),
    created_at: session.createdAt,
    last_active_at: session.lastActiveAt,
    absolute_expires_at: session.absoluteExpiresAt,
    expires_at: session.expiresAt,
    ip: session.ip,
    user_agent: session.userAgent,
  };
}

function toSession(doc: SessionDoc): Session {
  return {
    id: doc.public_id,
    tokenHash: doc._id,
    accountId: doc.account_id,
    username: doc.username,
    createdAt: doc.created_at,
    lastActiveAt: doc.last_active_at,
    absoluteExpiresAt: doc.absolute_expires_at,
    expiresAt: doc.expires_at,
    ip: doc.ip,
    userAgent: doc.user_agent,
  };
}

export async function addSession(op: OperationContext, session: Session): Promise<void> {
  await op.c.sessions.insertOne(toDoc(session), op.with);
}

export async function getSession(op: OperationContext, tokenHash: string): Promise<Session | null> {
  const doc = op.batched
    ? await op.batched.sessions.get(tokenHash)
    : await op.c.sessions.findOne({ _id: literal(tokenHash) }, op.with);
  return doc ? toSession(doc) : null;
}

export async function touchSession(
  op: OperationContext,
  tokenHash: string,
  lastActiveAt: Date,
  expiresAt: Date,
): Promise<boolean> {
  const result = await op.c.sessions.updateOne(
    { _id: literal(tokenHash) },
    { $set: { last_active_at: lastActiveAt, expires_at: expiresAt } },
    op.with,
  );
  return result.matchedCount > 0;
}

export async function removeSession(op: OperationContext, tokenHash: string): Promise<boolean> {
  return (await op.c.sessions.deleteOne({ _id: literal(tokenHash) }, op.with)).deletedCount > 0;
}

/** Matching on the owner too is what keeps one account from revoking another's session. */
export async function removeSessionById(
  op: OperationContext,
  accountId: string,
  id: string,
): Promise<boolean> {
  const filter = { public_id: literal(id), account_id: literal(accountId) };
  return (await op.c.sessions.deleteOne(filter, op.with)).deletedCount > 0;
}

export async function removeAllSessions(
  op: OperationContext,
  accountId: string,
  exceptTokenHash?: string,
): Promise<number> {
  const filter =
    exceptTokenHash === undefined
      ? { account_id: literal(accountId) }
      : { account_id: literal(accountId), _id: { $ne: literal(exceptTokenHash) } };
  return (await op.c.sessions.deleteMany(filter, op.with)).deletedCount;
}

export async function listSessions(op: OperationContext, accountId: string): Promise<Session[]> {
  const docs = await op.c.sessions
    .find({ account_id: literal(accountId) }, op.with)
    .sort({ created_at: 1, _id: 1 })
    .toArray();
  return docs.map(toSession);
}

/** Live sessions per account, counted from their account ids alone (the `account_id` index). */
export async function countLiveSessions(
  op: OperationContext,
  accountIds: readonly string[],
  now: Date,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (accountIds.length === 0) return counts;
  const docs = op.c.sessions.find(
    { account_id: { $in: accountIds.map(literal) }, expires_at: { $gt: now } },
    { projection: { account_id: 1 }, ...op.with },
  );
  for await (const doc of docs) counts.set(doc.account_id, (counts.get(doc.account_id) ?? 0) + 1);
  return counts;
}
