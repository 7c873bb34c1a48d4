import type { MailMessage } from "../domain/mail.js";

/**
 * Delivers one message. Only sends: token validity, hashing and every account
 * rule stay in the core. Throwing means "not delivered"; set `permanent` on the
 * error when retrying cannot help (e.g. SMTP 5xx), so the outbox dead-letters it.
 */
export interface EmailSender {
  send(message: MailMessage): Promise<void>;
}

export class PermanentDeliveryError extends Error {
  readonly permanent = true;
  override name = "PermanentDeliveryError";
}
