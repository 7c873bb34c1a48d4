import type { AccountContext } from "../context.js";
import { isLive } from "../domain/expiry.js";
import { isTokenOf } from "../domain/tokens.js";
import type { Stores } from "../ports/store.js";

/**
 * Device trust, as OWASP's "device cookies" describe it: a browser that once
 * proved the password gets a device token, and a login that brings it back is
 * exempt from the account-wide budget and lock (limited per device instead),
 * so an attacker flooding a username cannot lock its owner out.
 */

/** The store key of a device token: an HMAC over the account id and the token, so it is worth nothing for another account. */
export function deviceTokenHash(ctx: AccountContext, accountId: string, token: string): string {
  return ctx.tokens.hash(`${accountId}\n${token}`);
}

/**
 * The presented token's hash if it is a live, still-trusted device token of
 * this account; else null. A missing, malformed, foreign, expired or revoked
 * token all mean the same: an untrusted login, never an error.
 */
export async function presentedDevice(
  ctx: AccountContext,
  account: { id: string } | null,
  presented: string | undefined,
): Promise<string | null> {
  if (!presented || !isTokenOf("device", presented)) return null;
  // A name that resolves to no account costs the same read, so a device token times no name.
  const tokenHash = deviceTokenHash(ctx, account?.id ?? "", presented);
  const device = await ctx.store.devices.get(tokenHash);
  const trusted =
    account !== null &&
    device?.accountId === account.id &&
    isLive(device, ctx.clock.now()) &&
    device.failures < ctx.settings.deviceTokenMaxFailures;
  return trusted ? tokenHash : null;
}

/** A device this login is trusted on, with the failure it reserved. */
export interface TrustedDevice {
  tokenHash: string;
  /** Failures counted on the device, this attempt's reservation included. */
  failures: number;
}

/**
 * Reserves this attempt's failure on the device before any password is hashed,
 * atomically: of parallel guesses made with one token, at most the failure
 * limit are checked as trusted; the rest are untrusted logins (null) and face
 * the account-wide limit and lock.
 */
export async function reserveDeviceFailure(
  ctx: AccountContext,
  tokenHash: string,
): Promise<TrustedDevice | null> {
  const failures = await ctx.store.devices.recordFailure(tokenHash);
  if (failures > 0 && failures <= ctx.settings.deviceTokenMaxFailures) {
    return { tokenHash, failures };
  }
  if (failures > 0) await ctx.store.devices.releaseFailure(tokenHash);
  return null;
}

/** The right password: the reservation is given back. */
export async function deviceLoginSucceeded(ctx: AccountContext, device: TrustedDevice) {
  await ctx.store.devices.releaseFailure(device.tokenHash);
}

/**
 * A wrong password sent with a trusted device token: its reservation stands as
 * the failure, and at the limit the device is trusted no more (its record goes).
 * Returns true when this failure ended the trust.
 */
export async function deviceLoginFailed(
  ctx: AccountContext,
  device: TrustedDevice,
): Promise<boolean> {
  if (device.failures < ctx.settings.deviceTokenMaxFailures) return false;
  return ctx.store.devices.remove(device.tokenHash);
}

/**
 * Stores a freshly issued device token inside Login's transaction, retiring the
 * one presented (OWASP: a new device cookie on every successful login), so a
 * device's failure count starts over and a copied token dies at the owner's next
 * login. An account keeps at most `deviceTokensPerAccount`, the oldest going first.
 */
export async function storeDeviceToken(
  ctx: AccountContext,
  tx: Stores,
  accountId: string,
  token: string,
  now: Date,
  replacing: string | null,
): Promise<void> {
  if (replacing) await tx.devices.remove(replacing);
  await tx.devices.add({
    accountId,
    tokenHash: deviceTokenHash(ctx, accountId, token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + ctx.settings.deviceTokenTtlMs),
    failures: 0,
  });
  // A backend that never sends device tokens back adds one per login: keep the newest few.
  await tx.devices.removeOldest(accountId, ctx.settings.deviceTokensPerAccount);
}
