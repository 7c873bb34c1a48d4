import type { MailMessage } from "../../core/domain/mail.js";

/** Where the links in mail point: the caller's own web pages, with `{token}` filled in. */
export interface LinkTemplates {
  verifyUrl: string;
  resetUrl: string;
}

/** The link a message carries, if any. */
export function linkFor(message: MailMessage, templates: LinkTemplates): string | undefined {
  switch (message.kind) {
    case "verification":
      return templates.verifyUrl.replaceAll("{token}", encodeURIComponent(message.token));
    case "password_reset":
      return templates.resetUrl.replaceAll("{token}", encodeURIComponent(message.token));
    default:
      return undefined;
  }
}
