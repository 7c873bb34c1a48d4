import type { User } from "../../../core/domain/account.js";
import { DuplicateError, type NewUser } from "../../../core/ports/user-store.js";
import type { UserDoc } from "./collections.js";
import { duplicateUserField } from "./errors.js";
import { literal } from "./literal.js";
import type { Scope } from "./scope.js";

/** The password hash only leaves the store through getPasswordHash. */
const WITHOUT_HASH = { projection: { password_hash: 0 } } as const;

function toUser(doc: Omit<UserDoc, "password_hash">): User {
  return {
    username: doc._id,
    email: doc.email,
    emailKey: doc.email_key,
    verified: doc.verified,
    createdAt: doc.created_at,
  };
}

export async function createUser(s: Scope, user: NewUser): Promise<void> {
  const doc: UserDoc = {
    _id: literal(user.username),
    email: user.email,
    email_key: literal(user.emailKey),
    verified: user.verified,
    created_at: user.createdAt,
    password_hash: user.passwordHash,
  };
  try {
    await s.c.users.insertOne(doc, s.with);
  } catch (error) {
    const field = duplicateUserField(error);
    throw field ? new DuplicateError(field) : error;
  }
}

export async function updateUser(
  s: Scope,
  username: string,
  change: Partial<Pick<UserDoc, "verified" | "password_hash">>,
): Promise<void> {
  await s.c.users.updateOne({ _id: literal(username) }, { $set: change }, s.with);
}

export async function deleteUser(s: Scope, username: string): Promise<void> {
  await s.c.users.deleteOne({ _id: literal(username) }, s.with);
}

export async function findUser(
  s: Scope,
  by: { username: string } | { emailKey: string },
): Promise<User | null> {
  const filter =
    "username" in by ? { _id: literal(by.username) } : { email_key: literal(by.emailKey) };
  const doc = await s.c.users.findOne(filter, { ...WITHOUT_HASH, ...s.with });
  return doc ? toUser(doc) : null;
}

export async function getPasswordHash(s: Scope, username: string): Promise<string | null> {
  const doc = await s.c.users.findOne(
    { _id: literal(username) },
    { projection: { password_hash: 1 }, ...s.with },
  );
  return doc?.password_hash ?? null;
}
