import { afterEach, describe, expect, it } from "vitest";
import { MailTemplates } from "../../src/adapters/email/mail-templates.js";
import { SmtpSender, type SmtpSettings } from "../../src/adapters/email/smtp/smtp-sender.js";
import type { MailMessage } from "../../src/core/domain/mail.js";
import { DeliveryError } from "../../src/core/ports/email-sender.js";
import { type SinkOptions, type SmtpSink, startSmtpSink } from "../support/smtp-sink.js";

const message: MailMessage = {
  kind: "password_changed",
  to: "classified@example.com",
  username: "classified",
};
const links = { verifyUrl: "http://x/?t={token}", resetUrl: "http://x/?t={token}" };

/** The SMTP sender against a real SMTP server: every failure comes back typed, its codes read nowhere else. */
describe("SmtpSender failures", () => {
  const open: Array<{ sink: SmtpSink; sender: SmtpSender }> = [];
  afterEach(async () => {
    for (const { sink, sender } of open.splice(0)) {
      sender.close();
      await sink.stop();
    }
  });
  const senderFor = async (options: SinkOptions, settings: Partial<SmtpSettings> = {}) => {
    const sink = await startSmtpSink(options);
    const sender = new SmtpSender(
      {
        host: "127.0.0.1",
        port: sink.port,
        secure: false,
        requireTls: false,
        user: undefined,
        password: undefined,
        caFile: undefined,
        from: "Accounts <accounts@example.com>",
        timeoutMs: 1_000,
        ...settings,
      },
      new MailTemplates({ product: "UserHarbor", verificationTtlMs: 1, resetTtlMs: 1 }),
      links,
    );
    open.push({ sink, sender });
    return { sink, sender };
  };
  const failureOf = async (sender: SmtpSender) => {
    const error = await sender.send(message).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeliveryError);
    const failure = error as DeliveryError;
    expect(`${failure.message} ${failure.detail}`).not.toContain("classified");
    return failure;
  };

  it("reports a refused mailbox (550) as permanent, with only the reply code", async () => {
    const { sender } = await senderFor({ rejectWith: 550 });
    const failure = await failureOf(sender);
    expect([failure.failure, failure.name, failure.detail]).toEqual([
      "permanent",
      "PermanentDeliveryError",
      "550",
    ]);
  });

  it("reports a 4xx refusal as temporary", async () => {
    const { sender } = await senderFor({ rejectWith: 451 });
    const failure = await failureOf(sender);
    expect(failure.failure).toBe("temporary");
    expect(failure.detail).toMatch(/\b451$/);
  });

  it("reports a failed login (535) as temporary: configuration an operator fixes", async () => {
    const { sender } = await senderFor(
      { auth: { user: "mailer", password: "right" } },
      { user: "mailer", password: "wrong" },
    );
    const failure = await failureOf(sender);
    expect([failure.failure, failure.detail]).toEqual(["temporary", "EAUTH 535"]);
  });

  it("reports an unreachable server as temporary", async () => {
    const { sink, sender } = await senderFor({});
    await sink.stop();
    const failure = await failureOf(sender);
    expect(failure.failure).toBe("temporary");
    expect(failure.detail).toMatch(/^E[A-Z]+$/);
  });
});
