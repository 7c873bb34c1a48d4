import { type CommonPasswordCheck, PASSWORD_MIN_LENGTH } from "./domain/password-policy.js";

/** Account policy knobs (config.ts fills them from the environment). */
export interface AccountSettings {
  verificationTtlMs: number;
  resetTtlMs: number;
  sessionAbsoluteTtlMs: number;
  sessionIdleTtlMs: number;
  /** Session activity is written at most this often, so VerifySession is usually a pure read. */
  sessionTouchIntervalMs: number;
  requireVerifiedEmail: boolean;
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

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const defaultAccountSettings: AccountSettings = {
  verificationTtlMs: DAY,
  resetTtlMs: HOUR,
  sessionAbsoluteTtlMs: 30 * DAY,
  sessionIdleTtlMs: 7 * DAY,
  sessionTouchIntervalMs: sessionTouchInterval(7 * DAY),
  requireVerifiedEmail: true,
  passwordMinLength: PASSWORD_MIN_LENGTH.default,
};
