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
