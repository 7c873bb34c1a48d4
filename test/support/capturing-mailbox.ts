import type { MailKind, MailMessage } from "../../src/core/domain/mail.js";
import type { EmailSender } from "../../src/core/ports/email-sender.js";

type Waiter = { match: (m: MailMessage) => boolean; resolve: (m: MailMessage) => void };

/** An EmailSender that keeps every message, so tests can take the token from "the mail". */
export class CapturingMailbox implements EmailSender {
  readonly sent: MailMessage[] = [];
  #waiters: Waiter[] = [];

  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
    const [served, waiting] = [this.#waiters.filter((w) => w.match(message)), this.#waiters];
    this.#waiters = waiting.filter((w) => !served.includes(w));
    for (const w of served) w.resolve(message);
  }

  /** The first message (already sent or still to come) to `to` of `kind` after `skip` earlier ones. */
  next<K extends MailKind>(
    to: string,
    kind: K,
    skip = 0,
    timeoutMs = 5_000,
  ): Promise<Extract<MailMessage, { kind: K }>> {
    let seen = 0;
    const match = (m: MailMessage) => m.to === to && m.kind === kind && seen++ >= skip;
    const found = this.sent.find(match);
    if (found) return Promise.resolve(found as Extract<MailMessage, { kind: K }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${kind} mail to ${to} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<MailMessage, { kind: K }>);
        },
      });
    });
  }

  /** Runs `action` and returns the token of the `kind` mail to `to` that it caused. */
  async tokenFrom(
    to: string,
    kind: "verification" | "password_reset",
    action: () => Promise<unknown>,
  ): Promise<string> {
    const skip = this.count(to, kind);
    await action();
    return (await this.next(to, kind, skip)).token;
  }

  count(to: string, kind?: MailKind): number {
    return this.sent.filter((m) => m.to === to && (!kind || m.kind === kind)).length;
  }
}
