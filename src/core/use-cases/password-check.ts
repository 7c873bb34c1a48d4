import { randomBytes } from "node:crypto";
import type { AccountContext } from "../context.js";
import type { Account } from "../domain/account.js";
import {
  acceptPassword,
  couldBePassword,
  normalisePassword,
  type PasswordOwner,
} from "../domain/password-policy.js";
import type { Session } from "../domain/session.js";
import { AccountError } from "../errors.js";
import { confirmationLocks } from "../limits.js";
import type { PasswordHasher } from "../ports/password-hasher.js";

// One throwaway hash per hasher: unknown accounts are verified against it so
// they cost the same hashing work as known ones (no timing enumeration).
const decoys = new WeakMap<PasswordHasher, Promise<string>>();

function decoyHash(hasher: PasswordHasher): Promise<string> {
  let decoy = decoys.get(hasher);
  if (!decoy) {
    decoy = hasher.hash(randomBytes(24).toString("base64url"));
    // A failed decoy (e.g. OVERLOADED) must not stick: forget it so the next call retries.
    decoy.catch(() => decoys.delete(hasher));
    decoys.set(hasher, decoy);
  }
  return decoy;
}

export type PasswordCheck =
  | { ok: false }
  /** The stored hash that matched (for rehash decisions) and the credential generation it belongs to. */
  | { ok: true; passwordHash: string; generation: number };

/**
 * Verifies `raw` against the account's stored hash, spending one full hash
 * whether or not the account exists. A password no policy could accept is
 * refused without hashing: that reveals nothing about any account.
 */
export async function checkPassword(
  ctx: AccountContext,
  accountId: string | null,
  raw: string,
): Promise<PasswordCheck> {
  if (!couldBePassword(raw)) return { ok: false };
  const stored = accountId ? await ctx.store.accounts.getCredentials(accountId) : null;
  const ok = await ctx.hasher.verify(
    stored?.passwordHash ?? (await decoyHash(ctx.hasher)),
    normalisePassword(raw),
  );
  return ok && stored ? { ok, ...stored } : { ok: false };
}

/** Policy-checks a new password with the configured common-password list; returns the form to hash. */
export function acceptNewPassword(
  ctx: AccountContext,
  raw: string,
  owner: PasswordOwner,
  field = "password",
): string {
  return acceptPassword(raw, owner, {
    field,
    isCommon: ctx.settings.isCommonPassword,
    minLength: ctx.settings.passwordMinLength,
  });
}

/**
 * Re-checks the password of a signed-in user (ChangePassword, ChangeEmail,
 * DeleteAccount). A stolen session must not become an unlimited password
 * oracle, so wrong guesses lock this session, and the account's sessions
 * together; but not the login lock, which anyone who knows the username can
 * spend: the owner in their own session is never refused for an outsider's
 * failed logins.
 */
export async function confirmPassword(
  ctx: AccountContext,
  session: Session,
  user: Account,
  raw: string,
  field: string,
): Promise<void> {
  const locks = confirmationLocks(user.id, session.id);
  const lockedMs = await ctx.limits.lockedFor(locks);
  if (lockedMs > 0) throw new AccountError("RATE_LIMITED", { retryAfterMs: lockedMs });
  if (!(await checkPassword(ctx, user.id, raw)).ok) {
    await ctx.limits.failed(locks);
    throw new AccountError("INVALID_CREDENTIALS", { field });
  }
  await ctx.limits.succeeded(locks);
}
