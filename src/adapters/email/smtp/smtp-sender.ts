import { readFileSync } from "node:fs";
import nodemailer, { type Transporter } from "nodemailer";
import type { MailMessage } from "../../../core/domain/mail.js";
import { type EmailSender, PermanentDeliveryError } from "../../../core/ports/email-sender.js";
import { type LinkTemplates, linkFor } from "../links.js";
import type { MailTemplates } from "../mail-templates.js";

export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (port 465); otherwise STARTTLS when offered. */
  secure: boolean;
  /** Refuse to send over a connection that did not upgrade with STARTTLS. */
  requireTls: boolean;
  user: string | undefined;
  password: string | undefined;
  /** Extra CA to trust (a private or self-signed server certificate). */
  caFile: string | undefined;
  from: string;
  timeoutMs: number;
}

/**
 * An SMTP 5xx reply means "this message will never go through" (no such
 * mailbox, policy refusal): retrying cannot help. Except when it is about the
 * connection rather than the message: authentication (530, 534, 535, 538) and
 * TLS (a server that does not offer the required STARTTLS) are configuration
 * an operator fixes, so those retry and the mail waits.
 */
const AUTH_CODES = new Set([530, 534, 535, 538]);
const CONNECTION_ERRORS = new Set(["EAUTH", "ETLS", "ECONNECTION", "ESOCKET", "ETIMEDOUT", "EDNS"]);

function isPermanent(error: unknown): error is { responseCode: number } {
  const { responseCode, code } = error as { responseCode?: unknown; code?: unknown };
  return (
    typeof responseCode === "number" &&
    responseCode >= 500 &&
    responseCode < 600 &&
    !AUTH_CODES.has(responseCode) &&
    !CONNECTION_ERRORS.has(String(code))
  );
}

/** Delivers rendered mail over SMTP with nodemailer (pooled connections). */
export class SmtpSender implements EmailSender {
  readonly #transport: Transporter;

  constructor(
    private readonly settings: SmtpSettings,
    private readonly templates: MailTemplates,
    private readonly links: LinkTemplates,
  ) {
    const tls = settings.caFile ? { ca: readFileSync(settings.caFile) } : {};
    const timeouts = {
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs * 3,
    };
    this.#transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.requireTls,
      pool: true,
      tls,
      ...timeouts,
      ...(settings.user && { auth: { user: settings.user, pass: settings.password ?? "" } }),
    });
  }

  async send(message: MailMessage): Promise<void> {
    const mail = this.templates.render(message, linkFor(message, this.links));
    try {
      await this.#transport.sendMail({ from: this.settings.from, to: message.to, ...mail });
    } catch (error) {
      if (isPermanent(error)) {
        const { responseCode } = error;
        throw Object.assign(new PermanentDeliveryError(`SMTP ${responseCode}`, { cause: error }), {
          responseCode,
        });
      }
      throw error;
    }
  }

  close(): void {
    this.#transport.close();
  }
}
