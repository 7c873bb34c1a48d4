import { appendFile } from "node:fs/promises";
import type { Logger } from "pino";
import { maskEmail } from "../../core/domain/identity.js";
import type { MailMessage } from "../../core/domain/mail.js";
import type { EmailSender } from "../../core/ports/email-sender.js";
import { type LinkTemplates, linkFor } from "./links.js";

/**
 * Development stand-in for SMTP: logs each message with its link so a developer
 * can click through the flows, and optionally appends it as a JSON line to a file
 * (DEV_MAILBOX_FILE) for scripts and SDK examples. This is the one place a raw
 * token is ever printed; it is never used when SMTP is configured.
 */
export class DevMailbox implements EmailSender {
  constructor(
    private readonly log: Logger,
    private readonly links: LinkTemplates,
    private readonly file?: string,
  ) {}

  async send(message: MailMessage): Promise<void> {
    const link = linkFor(message, this.links);
    this.log.info(
      {
        mail: message.kind,
        to: maskEmail(message.to),
        username: message.username,
        ...(link && { link }),
      },
      `dev mailbox: ${message.kind} mail for ${message.username}${link ? ` -> ${link}` : ""}`,
    );
    if (this.file) {
      const entry = { at: new Date().toISOString(), ...message, ...(link && { link }) };
      await appendFile(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    }
  }
}
