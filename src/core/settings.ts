import type { CommonPasswordCheck } from "./domain/password-policy.js";

/** Account policy knobs (src/config fills them from the environment). */
export interface AccountSettings {
  verificationTtlMs: number;
  resetTtlMs: number;
  sessionAbsoluteTtlMs: number;
  sessionIdleTtlMs: number;
  /** Session activity is written at most this often, so VerifySession is usually a pure read. */
  sessionTouchIntervalMs: number;
  requireVerifiedEmail: boolean;
  /** Lifetime of a device token (trusted device) from the login that issued it. */
  deviceTokenTtlMs: number;
  /** Failed logins made with one device token after which it is no longer trusted. */
  deviceTokenMaxFailures: number;
  /** Device tokens kept per account; a login beyond it drops the oldest. */
  deviceTokensPerAccount: number;
  /** Shortest acceptable new password, in characters after NFKC. */
  passwordMinLength: number;
  isCommonPassword?: CommonPasswordCheck;
}

/**
 * How often session activity is written: every tenth of the idle TTL, at most
 * once a minute. A fixed interval longer than the idle TTL would never slide
 * the expiry, so a session in constant use would die; a tenth keeps the idle
 * expiry accurate to 10% while VerifySession stays mostly a pure read.
 */
export function sessionTouchInterval(idleTtlMs: number): number {
  return Math.max(1, Math.min(60_000, Math.floor(idleTtlMs / 10)));
}
