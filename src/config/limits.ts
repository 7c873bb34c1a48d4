import { z } from "zod";
import type { ThrottlePolicy } from "../adapters/throttle/flexible-throttle.js";
import { budget, duration, integer } from "./values.js";

/** Rate limits per IP, account, device and email; lockout after failed logins. */
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
      "SendPasswordReset, ResendVerification and ChangeEmail (its new address) per email.",
  }),
  LIMIT_MAIL_IP: budget
    .prefault("50/1h")
    .meta({ description: "SendPasswordReset, ResendVerification and ChangeEmail per client IP." }),
  LOCKOUT_FAILURES: integer(1, 1_000)
    .prefault("5")
    .meta({ description: "Failed logins for one account from one IP before it locks." }),
  LOCKOUT_ACCOUNT_FAILURES: integer(1, 10_000)
    .prefault("20")
    .meta({ description: "Failed logins for one account from anywhere before it locks." }),
  LOCKOUT_BASE: duration
    .prefault("30s")
    .meta({ description: "First lock; doubles with each further failure." }),
  LOCKOUT_MAX: duration
    .prefault("15m")
    .meta({ description: "Longest lock for one account from one IP." }),
  LOCKOUT_ACCOUNT_MAX: duration.prefault("5m").meta({
    description:
      "Longest lock for an account from anywhere (keeps attackers from locking users out for long).",
  }),
  LOCKOUT_WINDOW: duration
    .prefault("1h")
    .meta({ description: "Failures older than this are forgotten." }),
});

/** The limits and the lockout as the throttle takes them. */
export function throttlePolicy(v: z.output<typeof LIMITS>): ThrottlePolicy {
  return {
    limits: {
      login_ip: v.LIMIT_LOGIN_IP,
      login_account: v.LIMIT_LOGIN_ACCOUNT,
      login_device: v.LIMIT_LOGIN_DEVICE,
      register_ip: v.LIMIT_REGISTER_IP,
      mail_email: v.LIMIT_MAIL_EMAIL,
      mail_ip: v.LIMIT_MAIL_IP,
    },
    lockout: {
      windowMs: v.LOCKOUT_WINDOW,
      baseMs: v.LOCKOUT_BASE,
      accountFromIp: { threshold: v.LOCKOUT_FAILURES, maxMs: v.LOCKOUT_MAX },
      account: {
        threshold: v.LOCKOUT_ACCOUNT_FAILURES,
        maxMs: v.LOCKOUT_ACCOUNT_MAX,
      },
    },
  };
}
