import { readFileSync } from "node:fs";
import nodemailer, { type Transporter } from "nodemailer";
import type { MailMessage } from "../../../core/domain/mail.js";
import {
  type Delivery,
  DeliveryError,
  type EmailSender,
} from "../../../core/ports/email-sender.js";
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
 * an operator fixes, so those retry and the mail waits. Everything else
 * (timeouts, 4xx, refused connections) is temporary.
 */
const AUTH_CODES = new Set([530, 534, 535, 538]);
const CONNECTION_ERRORS = new Set(["EAUTH", "ETLS", "ECONNECTION", "ESOCKET", "ETIMEDOUT", "EDNS"]);

/** nodemailer's reply and error codes, read here so no other module sees them. */
function classify(error: unknown): DeliveryError {
  const fields = typeof error === "object" && error !== null ? error : {};
  const responseCode: unknown = Reflect.get(fields, "responseCode");
  const code: unknown = Reflect.get(fields, "code");
  const reply = typeof responseCode === "number" ? responseCode : undefined;
  const permanent =
    reply !== undefined &&
    reply >= 500 &&
    reply < 600 &&
    !AUTH_CODES.has(reply) &&
    !CONNECTION_ERRORS.has(String(code));
  if (permanent) return new DeliveryError("permanent", String(reply), { cause: error });
  const detail = [code, reply].filter((p) => typeof p === "string" || typeof p === "number");
  return new DeliveryError("temporary", detail.join(" "), { cause: error });
}

/** The domain of the From address (`a@b` or `Name <a@b>`), for Message-IDs. */
function domainOf(from: string): string {
  return /@([^\s>@]+)>?\s*$/.exec(from)?.[1] ?? "userharbor.invalid";
}

/** Delivers rendered mail over SMTP with nodemailer (pooled connections). */
export class SmtpSender implements EmailSender {
  readonly #transport: Transporter;
  /**
   * An outbox mail's Message-ID is its id at the sender's domain (RFC 5322 wants a
   * unique left part and a domain the sender controls). Every attempt to send one mail
   * carries the same, so a receiver (or a person) can tell a copy sent again after a
   * lost 250 or a crash from a new mail.
   */
  readonly #idDomain: string;

  constructor(
    private readonly settings: SmtpSettings,
    private readonly templates: MailTemplates,
    private readonly links: LinkTemplates,
  ) {
    this.#idDomain = domainOf(settings.from);
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

  async send(message: MailMessage, delivery?: Delivery): Promise<void> {
    const mail = this.templates.render(message, linkFor(message, this.links));
    // Without a delivery id nodemailer makes a random Message-ID per attempt.
    const messageId = delivery && `<${delivery.id}@${this.#idDomain}>`;
    try {
      await this.#transport.sendMail({
        from: this.settings.from,
        to: message.to,
        ...mail,
        ...(messageId && { messageId }),
      });
    } catch (error) {
      throw classify(error);
    }
  }

  close(): void {
    this.#transport.close();
  }
}
