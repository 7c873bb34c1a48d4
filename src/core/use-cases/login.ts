import type { AccountContext, ClientInfo } from "../context.js";
import type { Account } from "../domain/account.js";
import { parseLoginName } from "../domain/identity.js";
import { normalisePassword } from "../domain/password-policy.js";
import { newId, newToken } from "../domain/tokens.js";
import { AccountError } from "../errors.js";
import { accountLimitKey, type LockKey, loginLocks } from "../limits.js";
import {
  deviceLoginFailed,
  deviceLoginSucceeded,
  presentedDevice,
  reserveDeviceFailure,
  storeDeviceToken,
} from "./device-trust.js";
import { checkPassword } from "./password-check.js";
import { assertionSubject } from "./session-assertions.js";
import { inTransaction } from "./transaction.js";

/** How audit events name a failed login for an account that does not exist. */
const UNKNOWN_LOGIN = "<unknown>";

export interface LoginInput {
  /** Username or email. */
  username: string;
  password: string;
  client: ClientInfo;
}

export interface LoginResult {
  sessionToken: string;
  expiresAt: Date;
  user: Account;
  /** A new device token (`uhd_`) for this browser, to send back on later logins. */
  deviceToken: string;
  /** A session assertion for the new session (session-assertions.ts). */
  sessionAssertion: string;
}

/**
 * Checks credentials and opens a session. Unknown accounts and wrong passwords
 * are indistinguishable (same answer, same hashing work); EMAIL_NOT_VERIFIED is
 * only said to someone who knows the password. Over budget or locked out, the
 * answer is RATE_LIMITED before any hashing, right password or not.
 */
export async function login(ctx: AccountContext, input: LoginInput): Promise<LoginResult> {
  const { ip } = input.client;
  await ctx.limits.enforce(ctx.audit, ip, [["login_ip", ip]]);
  // Resolve first, so the username and the email of one account count against one budget.
  const parsed = parseLoginName(input.username);
  const user = !parsed
    ? null
    : parsed.kind === "username"
      ? await ctx.store.accounts.findByUsername(parsed.username)
      : await ctx.store.accounts.findByEmail(parsed.email.key);
  const accountKey = accountLimitKey(user, input.username);
  const locks = loginLocks(accountKey, ip);
  // A trusted device of this account is limited on its own, never by the account-wide
  // budget and lock an attacker can spend from anywhere.
  const presented = await presentedDevice(ctx, user, input.client.deviceToken);
  if (presented) await ctx.limits.enforce(ctx.audit, ip, [["login_device", presented]]);
  const device = presented ? await reserveDeviceFailure(ctx, presented) : null;
  if (!device) await enforceAccountLimits(ctx, ip, accountKey, locks);

  const check = await checkPassword(ctx, user?.id ?? null, input.password);
  if (!user || !check.ok) {
    const distrusted = device ? await deviceLoginFailed(ctx, device) : false;
    const lockMs = device ? 0 : await ctx.limits.failed(locks);
    // Never the name as typed: a password pasted into the username field would be logged.
    const login = user?.username ?? UNKNOWN_LOGIN;
    ctx.audit.emit({ type: "login.failed", login, ip, reason: "invalid_credentials" });
    if (lockMs > 0) ctx.audit.emit({ type: "login.locked", login, ip, lockMs });
    if (distrusted) ctx.audit.emit({ type: "device.distrusted", login, ip });
    throw new AccountError("INVALID_CREDENTIALS");
  }
  // The right password: this client's failures are forgiven, and the device's reservation.
  await ctx.limits.succeeded(locks);
  if (device) await deviceLoginSucceeded(ctx, device);
  if (user.disabled) {
    ctx.audit.emit({ type: "login.failed", login: user.username, ip, reason: "account_disabled" });
    throw new AccountError("ACCOUNT_DISABLED");
  }
  if (ctx.settings.requireVerifiedEmail && !user.verified) {
    ctx.audit.emit({
      type: "login.failed",
      login: user.username,
      ip,
      reason: "email_not_verified",
    });
    throw new AccountError("EMAIL_NOT_VERIFIED");
  }
  // Parameters changed since this hash was made: upgrade it while we hold the password.
  const rehashed = ctx.hasher.needsRehash(check.passwordHash)
    ? await ctx.hasher.hash(normalisePassword(input.password))
    : null;

  const sessionToken = newToken("session");
  const deviceToken = newToken("device");
  const now = ctx.clock.now();
  const absoluteExpiresAt = new Date(now.getTime() + ctx.settings.sessionAbsoluteTtlMs);
  const expiresAt = new Date(
    Math.min(absoluteExpiresAt.getTime(), now.getTime() + ctx.settings.sessionIdleTtlMs),
  );
  const session = {
    id: newId(),
    tokenHash: ctx.tokens.hash(sessionToken),
    accountId: user.id,
    username: user.username,
    createdAt: now,
    lastActiveAt: now,
    absoluteExpiresAt,
    expiresAt,
    ip,
    userAgent: input.client.userAgent,
  };
  await inTransaction(ctx, async (tx) => {
    // The password was checked outside, while hashing. Writing the account record
    // on the generation that check read makes a racing credential change and this
    // login collide on one record (see AccountStore.recordLogin): if the account
    // was deleted or its password or email changed since, no session is opened.
    if (!(await tx.accounts.recordLogin(user.id, check.generation, now, rehashed ?? undefined))) {
      throw new AccountError("INVALID_CREDENTIALS");
    }
    await tx.sessions.add(session);
    await storeDeviceToken(ctx, tx, user.id, deviceToken, now, device?.tokenHash ?? null);
  });
  ctx.audit.emit({ type: "login.succeeded", username: user.username, ip });
  const sessionAssertion = await ctx.assertions.issue(assertionSubject(session, user), now);
  return {
    sessionToken,
    expiresAt,
    user: { ...user, lastLoginAt: now },
    deviceToken,
    sessionAssertion,
  };
}

/** Without a trusted device: the account-wide budget, then the lock (bounded by its cap). */
async function enforceAccountLimits(
  ctx: AccountContext,
  ip: string,
  accountKey: string,
  locks: readonly LockKey[],
): Promise<void> {
  await ctx.limits.enforce(ctx.audit, ip, [["login_account", accountKey]]);
  const lockedMs = await ctx.limits.lockedFor(locks);
  if (lockedMs > 0) {
    ctx.audit.emit({
      type: "request.rate_limited",
      limit: "login_lockout",
      ip,
      retryAfterMs: lockedMs,
    });
    throw new AccountError("RATE_LIMITED", { retryAfterMs: lockedMs });
  }
}
