import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Mustache from "mustache";
import type { MailKind, MailMessage } from "../../core/domain/mail.js";

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface TemplateValues {
  /** Product name shown in subjects and bodies. */
  product: string;
  verificationTtlMs: number;
  resetTtlMs: number;
}

const KINDS: MailKind[] = [
  "verification",
  "password_reset",
  "password_changed",
  "registration_attempt",
  "email_change_requested",
  "email_change_attempt",
  "email_changed",
];
const BUILT_IN = fileURLToPath(new URL("./templates/", import.meta.url));
const plain = { escape: (value: unknown) => String(value) };

/**
 * Plain-text and HTML bodies per message kind, from `templates/<kind>.txt`
 * (first line "Subject: ...") and `<kind>.html`, each overridable by a file of
 * the same name in MAIL_TEMPLATE_DIR. Mustache escapes every value in HTML, so
 * a username can never inject markup; the text form is left as typed.
 */
export class MailTemplates {
  readonly #templates = new Map<MailKind, { subject: string; text: string; html: string }>();

  constructor(
    private readonly values: TemplateValues,
    overrideDir?: string,
  ) {
    const load = (file: string) => {
      const custom = overrideDir && `${overrideDir}/${file}`;
      return readFileSync(custom && existsSync(custom) ? custom : `${BUILT_IN}${file}`, "utf8");
    };
    for (const kind of KINDS) {
      const [first = "", ...rest] = load(`${kind}.txt`).split("\n");
      if (!first.startsWith("Subject: "))
        throw new Error(`mail template ${kind}.txt must start with "Subject: "`);
      const text = rest.join("\n").replace(/^\n/, "");
      this.#templates.set(kind, {
        subject: first.slice(9).trim(),
        text,
        html: load(`${kind}.html`),
      });
      Mustache.parse(text); // fail at start-up, not at the first send, on a broken override
    }
  }

  render(message: MailMessage, link: string | undefined): RenderedMail {
    const template = this.#templates.get(message.kind);
    if (!template) throw new Error(`no mail template for ${message.kind}`);
    const view = {
      username: message.username,
      product: this.values.product,
      link: link ?? "",
      expires: humanDuration(
        message.kind === "password_reset" ? this.values.resetTtlMs : this.values.verificationTtlMs,
      ),
    };
    return {
      subject: Mustache.render(template.subject, view, {}, plain).replace(/[\r\n]+/g, " "),
      text: Mustache.render(template.text, view, {}, plain),
      html: Mustache.render(template.html, view),
    };
  }
}

/** 3_600_000 -> "1 hour", 86_400_000 -> "24 hours", 90_000 -> "2 minutes". */
export function humanDuration(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours >= 1) {
    const n = Math.round(hours);
    return `${n} hour${n === 1 ? "" : "s"}`;
  }
  const minutes = Math.max(1, Math.round(ms / 60_000));
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
