import type { AccountContext, ClientInfo } from "../context.js";
import type { User } from "../domain/account.js";
import { parseLoginName } from "../domain/identity.js";
import { normalisePassword } from "../domain/password-policy.js";
import { newId, newToken } from "../domain/tokens.js";
import { AccountError } from "../errors.js";
import { checkPassword } from "./password-check.js";

export interface LoginInput {
  /** Username or email. */
  username: string;
  password: string;
  client: ClientInfo;
}

export interface LoginResult {
  sessionToken: string;
  expiresAt: Date;
  user: User;
}

/**
 * Checks credentials and opens a session. Unknown accounts and wrong passwords
 * are indistinguishable (same answer, same hashing work); EMAIL_NOT_VERIFIED is
 * only said to someone who knows the password.
 */
export async function login(ctx: AccountContext, input: LoginInput): Promise<LoginResult> {
  const name = parseLoginName(input.username);
  const user = !name
    ? null
    : name.kind === "username"
      ? await ctx.store.getUserByUsername(name.username)
      : await ctx.store.getUserByEmail(name.email.key);
  const check = await checkPassword(ctx, user?.username ?? null, input.password);
  if (!user || !check.ok) throw new AccountError("INVALID_CREDENTIALS");
  if (ctx.settings.requireVerifiedEmail && !user.verified) {
    throw new AccountError("EMAIL_NOT_VERIFIED");
  }
  if (check.passwordHash && ctx.hasher.needsRehash(check.passwordHash)) {
    // Parameters changed since this hash was made: upgrade it while we hold the password.
    await ctx.store.setPasswordHash(
      user.username,
      await ctx.hasher.hash(normalisePassword(input.password)),
    );
  }

  const sessionToken = newToken("session");
  const now = ctx.clock.now();
  const absoluteExpiresAt = new Date(now.getTime() + ctx.settings.sessionAbsoluteTtlMs);
  const expiresAt = new Date(
    Math.min(absoluteExpiresAt.getTime(), now.getTime() + ctx.settings.sessionIdleTtlMs),
  );
  await ctx.store.addSession({
    id: newId(),
    tokenHash: ctx.tokens.hash(sessionToken),
    username: user.username,
    createdAt: now,
    lastActiveAt: now,
    absoluteExpiresAt,
    expiresAt,
    ip: input.client.ip,
    userAgent: input.client.userAgent,
  });
  return { sessionToken, expiresAt, user };
}
