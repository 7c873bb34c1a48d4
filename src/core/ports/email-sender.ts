import type { DeliveryFailureKind, MailMessage } from "../domain/mail.js";

/**
 * Delivers one message. Only sends: token validity, hashing and every account
 * rule stay in the core. A message that did not go through is reported as a
 * DeliveryError saying whether retrying can help; the outbox worker treats any
 * other error as temporary.
 */
export interface EmailSender {
  send(message: MailMessage, delivery?: Delivery): Promise<void>;
}

/** Which mail this is, the same on every attempt to send it. */
export interface Delivery {
  /**
   * The outbox mail's id. A sender that can label a message (SMTP: Message-ID)
   * derives the label from it, so a retried send after a lost reply or a crash
   * carries the same label and a receiver can drop the copy.
   */
  id: string;
}

/**
 * A send that failed, as the sender judged it. `detail` is logged: a reply or
 * error code ("550", "ECONNECTION"), never an address or the message. The
 * transport's own error stays in `cause`, which the core never reads.
 */
export class DeliveryError extends Error {
  constructor(
    readonly failure: DeliveryFailureKind,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(`${failure} delivery failure${detail ? ` (${detail})` : ""}`, options);
    this.name = failure === "permanent" ? "PermanentDeliveryError" : "TemporaryDeliveryError";
  }
}
