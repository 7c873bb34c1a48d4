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

// SMTP 5xx replies that mean "this message will never go through"; auth failures
// (530, 534, 535, 538) are configuration problems an operator fixes, so those retry.
const AUTH_CODES = new Set([530, 534, 535, 538]);

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
      const code = (error as { responseCode?: unknown }).responseCode;
      if (typeof code === "number" && code >= 500 && code < 600 && !AUTH_CODES.has(code)) {
        throw Object.assign(new PermanentDeliveryError(`SMTP ${code}`, { cause: error }), {
          responseCode: code,
        });
      }
      throw error;
    }
  }

  close(): void {
    this.#transport.close();
  }
}
