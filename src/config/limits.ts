import { z } from "zod";
import type { LimitPolicy } from "../core/limits.js";
import { budget, duration, integer } from "./values.js";

/**
 * Rate limits per IP, account, device and email; locks after failed password
 * checks. What each one protects and what an outsider can do with it:
 * SECURITY.md, "Limits and lockout"; the rules themselves: src/core/limits.ts.
 */
export const LIMITS = z.object({
  LIMIT_LOGIN_IP: budget
    .prefault("100/1m")
    .meta({ description: "Login attempts per client IP (IPv6: per /64)." }),
  LIMIT_LOGIN_ACCOUNT: budget.prefault("10/1m").meta({
    description:
      "Login attempts per account (its username and email share one budget); per normalised name when it resolves to none.",
  }),
  LIMIT_LOGIN_DEVICE: budget.prefault("10/1m").meta({
    description:
      "Login attempts per device token; a login with a trusted device counts here instead of per account.",
  }),
  LIMIT_REGISTER_IP: budget.prefault("20/1h").meta({ description: "Registrations per client IP." }),
  LIMIT_MAIL_EMAIL: budget.prefault("5/1h").meta({
    description:
      "SendPasswordReset, ResendVerification and ChangeEmail naming one address from one client IP (an outsider's budget, never the owner's).",
  }),
  LIMIT_MAIL_IP: budget.prefault("50/1h").meta({
    description: "SendPasswordReset, ResendVerification and ChangeEmail per client IP.",
  }),
  LIMIT_MAIL_SENT: budget.prefault("10/1h").meta({
    description:
      "Mail that others can trigger (resets, resent and change links, notices) queued to one address; beyond it mail is held back and the answer stays OK.",
  }),
  LOCKOUT_FAILURES: integer(1, 1_000).prefault("5").meta({
    description:
      "Failed logins for one account from one IP (or wrong passwords in one session) per lock.",
  }),
  LOCKOUT_ACCOUNT_FAILURES: integer(1, 10_000).prefault("20").meta({
    description:
      "Failed logins for one account from anywhere (or wrong passwords across its sessions) per lock.",
  }),
  LOCKOUT_BASE: duration.prefault("30s").meta({
    description:
      "First lock; each further one (a full count of failures later, within LOCKOUT_WINDOW) doubles.",
  }),
  LOCKOUT_MAX: duration
    .prefault("15m")
    .meta({ description: "Longest lock for one account from one IP, or for one session." }),
  LOCKOUT_ACCOUNT_MAX: duration.prefault("5m").meta({
    description:
      "Longest lock for an account from anywhere (keeps attackers from locking users out for long).",
  }),
  LOCKOUT_WINDOW: duration.prefault("1h").meta({
    description:
      "Failures older than this are forgotten, and locks start doubling from the base again.",
  }),
});

/**
 * The limit variables as the core's policy. The per-client thresholds serve a
 * session's password confirmations too, and the account-wide ones the
 * account's sessions together: the same numbers, other keys.
 */
export function limitPolicy(v: z.output<typeof LIMITS>): LimitPolicy {
  const perClient = { threshold: v.LOCKOUT_FAILURES, maxMs: v.LOCKOUT_MAX };
  const perAccount = { threshold: v.LOCKOUT_ACCOUNT_FAILURES, maxMs: v.LOCKOUT_ACCOUNT_MAX };
  return {
    budgets: {
      login_ip: v.LIMIT_LOGIN_IP,
      login_account: v.LIMIT_LOGIN_ACCOUNT,
      login_device: v.LIMIT_LOGIN_DEVICE,
      register_ip: v.LIMIT_REGISTER_IP,
      mail_ip: v.LIMIT_MAIL_IP,
      mail_email: v.LIMIT_MAIL_EMAIL,
      mail_sent: v.LIMIT_MAIL_SENT,
    },
    lockout: {
      windowMs: v.LOCKOUT_WINDOW,
      baseMs: v.LOCKOUT_BASE,
      rules: {
        account: perAccount,
        account_client: perClient,
        session: perClient,
        account_sessions: perAccount,
      },
    },
  };
}
