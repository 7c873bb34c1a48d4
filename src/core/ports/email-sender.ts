import { type MailMessage, PERMANENT_FAILURE } from "../domain/mail.js";

/**
 * Delivers one message. Only sends: token validity, hashing and every account
 * rule stay in the core. Throwing means "not delivered"; throw a
 * PermanentDeliveryError when retrying cannot help (e.g. SMTP 550), so the
 * outbox dead-letters the mail at once instead of retrying it.
 */
export interface EmailSender {
  send(message: MailMessage): Promise<void>;
}

export class PermanentDeliveryError extends Error {
  readonly [PERMANENT_FAILURE] = true;
  override name = "PermanentDeliveryError";
}
