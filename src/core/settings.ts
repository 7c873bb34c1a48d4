import type { CommonPasswordCheck } from "./domain/password-policy.js";

/** Account policy knobs (config.ts fills them from the environment). */
export interface AccountSettings {
  verificationTtlMs: number;
  resetTtlMs: number;
  sessionAbsoluteTtlMs: number;
  sessionIdleTtlMs: number;
  /** Session activity is written at most this often, so VerifySession is usually a pure read. */
  sessionTouchIntervalMs: number;
  requireVerifiedEmail: boolean;
  isCommonPassword?: CommonPasswordCheck;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const defaultAccountSettings: AccountSettings = {
  verificationTtlMs: DAY,
  resetTtlMs: HOUR,
  sessionAbsoluteTtlMs: 30 * DAY,
  sessionIdleTtlMs: 7 * DAY,
  sessionTouchIntervalMs: 60_000,
  requireVerifiedEmail: true,
};
