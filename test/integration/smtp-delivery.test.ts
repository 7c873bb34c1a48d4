import type { ParsedMail } from "mailparser";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { makeTestPki } from "../support/certificates.js";
import { eventually } from "../support/eventually.js";
import { type SinkOptions, type SmtpSink, startSmtpSink } from "../support/smtp-sink.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const PASSWORD = "smtp delivered correct horse";
const client = { ip: "192.0.2.25", userAgent: "smtp-test" };
const tokenIn = (mail: ParsedMail, prefix: "uhv" | "uhr") =>
  new RegExp(`token=(${prefix}_[A-Za-z0-9_-]{43})`).exec(mail.text ?? "")?.[1] ?? "";

/** A server whose mail goes over SMTP to `sink`. */
function serverFor(sink: SmtpSink, env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({
    mail: "configured",
    env: {
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(sink.port),
      SMTP_REQUIRE_TLS: "false",
      SMTP_TIMEOUT: "1s",
      MAIL_FROM: "Accounts <accounts@example.com>",
      MAIL_RETRY_BACKOFF: "200ms",
      ...env,
    },
  });
}

describe("SMTP delivery through the outbox", () => {
  const cleanup: Array<() => Promise<void>> = [];
  const sinkWith = async (options?: SinkOptions) => {
    const sink = await startSmtpSink(options);
    cleanup.push(() => sink.stop());
    return sink;
  };
  const serverWith = async (sink: SmtpSink, env?: Record<string, string>) => {
    const t = await serverFor(sink, env);
    cleanup.unshift(() => t.close());
    return t;
  };
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
  });
  afterAll(async () => {
    for (const step of cleanup.splice(0)) await step();
  });

  it("delivers verification and reset mail whose links work through the RPCs", async () => {
    const sink = await sinkWith();
    const t = await serverWith(sink);
    const api = t.client("grpc");
    const email = "reader@example.com";
    await api.register({ username: "reader", email, password: PASSWORD, client });
    const [verification] = await sink.waitFor(email);
    expect(verification?.subject).toBe("Confirm your email for UserHarbor");
    expect(verification?.from?.text).toBe('"Accounts" <accounts@example.com>');
    const token = tokenIn(verification as ParsedMail, "uhv");
    expect(verification?.html).toContain(token); // the HTML link carries the same token
    expect((await api.verifyEmail({ token, client })).user?.emailVerified).toBe(true);

    await api.sendPasswordReset({ email, client });
    const reset = (await sink.waitFor(email, 2))[1] as ParsedMail;
    expect(reset.subject).toBe("Reset your UserHarbor password");
    await api.resetPassword({
      token: tokenIn(reset, "uhr"),
      newPassword: "a new smtp password",
      client,
    });
    const changed = (await sink.waitFor(email, 3))[2] as ParsedMail;
    expect(changed.subject).toBe("Your UserHarbor password was changed");
    expect(
      (await api.login({ username: "reader", password: "a new smtp password", client })).user
        ?.username,
    ).toBe("reader");
  });

  it("escapes user-supplied values in HTML and serves an overridden template", async () => {
    const sink = await sinkWith();
    const t = await serverWith(sink, { MAIL_PRODUCT_NAME: "<b>Acme</b> & Co" });
    await t
      .client("connect")
      .register({ username: "escaper", email: "escaper@example.com", password: PASSWORD, client });
    const [mail] = await sink.waitFor("escaper@example.com");
    expect(mail?.html).toContain("&lt;b&gt;Acme&lt;&#x2F;b&gt; &amp; Co");
    expect(mail?.html).not.toContain("<b>Acme</b>");
    expect(mail?.subject).toBe("Confirm your email for <b>Acme</b> & Co"); // plain text stays as typed
  });

  it("authenticates with SMTP_URL credentials", async () => {
    const sink = await sinkWith({ auth: { user: "mailer", password: "s3cret pass" } });
    const t = await startTestServer({
      mail: "configured",
      env: {
        SMTP_URL: `smtp://mailer:s3cret%20pass@127.0.0.1:${sink.port}`,
        SMTP_REQUIRE_TLS: "false",
      },
    });
    cleanup.unshift(() => t.close());
    await t
      .client("grpc")
      .register({ username: "authed", email: "authed@example.com", password: PASSWORD, client });
    await sink.waitFor("authed@example.com");
    expect(sink.logins).toContainEqual({ user: "mailer", ok: true });
  });

  it("upgrades with STARTTLS to a server whose certificate a private CA signed, and authenticates", async () => {
    const pki = await makeTestPki();
    cleanup.push(() => pki.dispose());
    const sink = await sinkWith({
      tls: { key: pki.server.key, cert: pki.server.cert },
      auth: { user: "mailer", password: "tls pass" },
    });
    const t = await serverWith(sink, {
      SMTP_REQUIRE_TLS: "true",
      SMTP_CA_FILE: pki.ca.certFile,
      SMTP_USER: "mailer",
      SMTP_PASSWORD: "tls pass",
    });
    await t.client("grpc").register({
      username: "starttls",
      email: "starttls@example.com",
      password: PASSWORD,
      client,
    });
    await sink.waitFor("starttls@example.com");
    expect(sink.encrypted).toEqual([true]);
    expect(sink.logins).toEqual([{ user: "mailer", ok: true }]);
  });

  it("speaks TLS from the first byte with SMTP_SECURE", async () => {
    const pki = await makeTestPki();
    cleanup.push(() => pki.dispose());
    const sink = await sinkWith({
      tls: { key: pki.server.key, cert: pki.server.cert, secure: true },
    });
    const t = await serverWith(sink, { SMTP_SECURE: "true", SMTP_CA_FILE: pki.ca.certFile });
    await t.client("grpc").register({
      username: "implicit",
      email: "implicit@example.com",
      password: PASSWORD,
      client,
    });
    await sink.waitFor("implicit@example.com");
    expect(sink.encrypted).toEqual([true]);
  });

  it("never sends in the clear when STARTTLS is required but not offered", async () => {
    const sink = await sinkWith(); // no STARTTLS on offer
    const t = await serverWith(sink, { SMTP_REQUIRE_TLS: "true" });
    await t.client("grpc").register({
      username: "cleartext",
      email: "cleartext@example.com",
      password: PASSWORD,
      client,
    });
    await eventually(async () => expect(t.logs.join("")).toContain('"mail.retry_scheduled"'));
    expect(sink.messages).toHaveLength(0);
  });

  it("answers RPCs without waiting for SMTP", async () => {
    const sink = await sinkWith({ delayMs: 1_500 });
    const t = await serverWith(sink);
    await t.client("grpc").register({
      username: "impatient",
      email: "impatient@example.com",
      password: PASSWORD,
      client,
    });
    expect(sink.messages).toHaveLength(0); // the RPC is done; the mail is still on its way
    await sink.waitFor("impatient@example.com");
  });

  it("holds mail while SMTP is down and delivers each exactly once when it is back", async () => {
    const sink = await sinkWith();
    const t = await serverWith(sink, { MAIL_MAX_ATTEMPTS: "20" });
    await sink.stop();
    const api = t.client("grpc");
    const emails = ["outage-1@example.com", "outage-2@example.com", "outage-3@example.com"];
    for (const [i, email] of emails.entries()) {
      await api.register({ username: `outage-${i + 1}`, email, password: PASSWORD, client });
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // several failed attempts
    expect(sink.messages).toHaveLength(0);
    expect((await t.store.store.outbox.count()).pending).toBe(3);
    await sink.start();
    for (const email of emails) await sink.waitFor(email, 1, 20_000);
    await t.settle();
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for any duplicate to show up
    expect(sink.messages.map((m) => m.to && [m.to].flat()[0]?.text).sort()).toEqual(emails);
    expect(t.logs.some((line) => line.includes('"mail.retry_scheduled"'))).toBe(true);
  });

  it("dead-letters a permanent 5xx after one attempt, and RPCs are unaffected", async () => {
    const sink = await sinkWith({ rejectWith: 550 });
    const t = await serverWith(sink);
    const started = performance.now();
    await t
      .client("grpc")
      .register({ username: "bounced", email: "bounced@example.com", password: PASSWORD, client });
    expect(performance.now() - started).toBeLessThan(5_000);
    for (let i = 0; i < 100 && (await t.store.store.outbox.count()).deadLettered === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await t.store.store.outbox.count()).toEqual({ pending: 0, deadLettered: 1 });
    const dead = t.logs.map((l) => JSON.parse(l)).filter((e) => e.event === "mail.dead_lettered");
    expect(dead).toEqual([
      expect.objectContaining({
        kind: "verification",
        attempts: 1,
        error: "PermanentDeliveryError 550",
      }),
    ]);
    expect(JSON.stringify(dead)).not.toContain("bounced@example.com");
  });

  it("keeps no raw token or address in the stored outbox", async () => {
    const sink = await sinkWith();
    await sink.stop(); // keep the mail in the outbox
    const t = await serverWith(sink, { MAIL_MAX_ATTEMPTS: "50" });
    await t.client("grpc").register({
      username: "sealed",
      email: "sealed-box@example.com",
      password: PASSWORD,
      client,
    });
    const { outbox } = (await t.store.snapshot()) as { outbox: unknown[] };
    expect(outbox).toHaveLength(1);
    const bytes = JSON.stringify(outbox, (_k, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString("latin1") : v,
    );
    expect(bytes).not.toMatch(/uh[vr]_[A-Za-z0-9_-]{43}/);
    expect(bytes).not.toContain("sealed");
    await sink.start();
    const [mail] = await sink.waitFor("sealed-box@example.com", 1, 20_000);
    expect(tokenIn(mail as ParsedMail, "uhv")).toMatch(/^uhv_/);
  });
  it("retries a mail whose 250 never came (the server took it, then dropped the line) under the same Message-ID", async () => {
    const sink = await sinkWith({ dropBeforeReply: 1 });
    const t = await serverWith(sink);
    const email = "dropped-reply@example.com";
    await t
      .client("grpc")
      .register({ username: "dropped-reply", email, password: PASSWORD, client });
    const [retried] = await sink.waitFor(email, 1, 20_000);
    const [taken] = sink.unacknowledged;
    // The copy the sender could not know about and the retry are one mail to the receiver.
    expect(taken?.messageId).toMatch(/^<[A-Za-z0-9_-]{16,}@example\.com>$/);
    expect(retried?.messageId).toBe(taken?.messageId);
    expect(tokenIn(retried as ParsedMail, "uhv")).toBe(tokenIn(taken as ParsedMail, "uhv"));
    await t.settle();
    expect(t.logs.some((l) => l.includes('"mail.retry_scheduled"'))).toBe(true);
  });
});
