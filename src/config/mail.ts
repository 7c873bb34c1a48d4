import { z } from "zod";
import type { SmtpSettings } from "../adapters/email/smtp/smtp-sender.js";
import { MAX_RETRY_DELAY_MS } from "../core/domain/mail-retry.js";
import { duration, flag, integer } from "./values.js";

const urlTemplate = z
  .url({ protocol: /^https?$/ })
  .refine((url) => url.includes("{token}"), "must contain {token}");

/** Mail: the links it carries, SMTP or the dev mailbox, templates, delivery retries. */
export const MAIL = z.object({
  VERIFY_URL_TEMPLATE: urlTemplate
    .default("http://localhost:3000/verify-email?token={token}")
    .meta({ description: "Link in verification mail; {token} is replaced." }),
  RESET_URL_TEMPLATE: urlTemplate
    .default("http://localhost:3000/reset-password?token={token}")
    .meta({ description: "Link in password reset mail; {token} is replaced." }),
  DEV_MAILBOX_FILE: z.string().min(1).optional().meta({
    description:
      "Development only: also append each dev-mailbox message (with its token) as a JSON line to this file.",
  }),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/ })
    .optional()
    .meta({
      description:
        "smtp://user:password@host:587 (STARTTLS) or smtps://...:465 (implicit TLS). Setting SMTP turns the dev mailbox off.",
      secret: true,
    }),
  SMTP_HOST: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "SMTP server, instead of SMTP_URL." }),
  SMTP_PORT: integer(1, 65_535)
    .optional()
    .meta({ description: "SMTP port (default 465 with SMTP_SECURE, else 587)." }),
  SMTP_SECURE: flag
    .prefault("false")
    .meta({ description: "Implicit TLS from the first byte (usually port 465)." }),
  SMTP_REQUIRE_TLS: flag.prefault("true").meta({
    description:
      "Without SMTP_SECURE, refuse to send unless the server upgrades with STARTTLS (false only for local sinks).",
  }),
  SMTP_USER: z.string().min(1).optional().meta({ description: "SMTP login." }),
  SMTP_PASSWORD: z.string().min(1).optional().meta({ description: "SMTP password.", secret: true }),
  SMTP_CA_FILE: z.string().min(1).optional().meta({
    description: "PEM CA to trust for the SMTP server's certificate (private CA, self-signed).",
  }),
  SMTP_TIMEOUT: duration.prefault("10s").meta({ description: "SMTP connect/greeting timeout." }),
  MAIL_FROM: z
    .string()
    .min(3)
    .default("UserHarbor <no-reply@localhost>")
    .meta({ description: "Sender of every mail." }),
  MAIL_PRODUCT_NAME: z
    .string()
    .min(1)
    .default("UserHarbor")
    .meta({ description: "Product name used in mail subjects and bodies." }),
  MAIL_TEMPLATE_DIR: z.string().min(1).optional().meta({
    description:
      "Directory whose <kind>.txt / <kind>.html files replace the built-in templates (kinds: verification, password_reset, password_changed, registration_attempt, email_change_requested, email_change_attempt, email_changed).",
  }),
  MAIL_LEASE: duration.prefault("60s").meta({
    description:
      "How long a mail worker holds a mail it is sending before another replica (or this one, restarted after a crash) may take it over; keep it above SMTP_TIMEOUT x 4.",
  }),
  MAIL_MAX_ATTEMPTS: integer(1, 50)
    .prefault("5")
    .meta({ description: "Delivery attempts before a mail is dead-lettered." }),
  MAIL_RETRY_BACKOFF: duration.prefault("2s").meta({
    description: `First retry delay; doubles per attempt up to ${MAX_RETRY_DELAY_MS / 60_000}m, each delay shortened by a random 0-50% so replicas sharing the outbox spread their retries.`,
  }),
});

/** SMTP_URL, or the SMTP_HOST family, as one settings object; undefined when SMTP is off. */
export function smtpSettings(v: z.output<typeof MAIL>): SmtpSettings | undefined {
  const common = {
    requireTls: v.SMTP_REQUIRE_TLS,
    caFile: v.SMTP_CA_FILE,
    from: v.MAIL_FROM,
    timeoutMs: v.SMTP_TIMEOUT,
  };
  if (v.SMTP_URL) {
    const url = new URL(v.SMTP_URL);
    const secure = url.protocol === "smtps:";
    return {
      ...common,
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      user: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
    };
  }
  if (!v.SMTP_HOST) return undefined;
  const secure = v.SMTP_SECURE;
  return {
    ...common,
    host: v.SMTP_HOST,
    port: v.SMTP_PORT ?? (secure ? 465 : 587),
    secure,
    user: v.SMTP_USER,
    password: v.SMTP_PASSWORD,
  };
}
