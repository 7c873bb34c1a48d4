import type { AddressInfo, Socket } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

export interface SinkOptions {
  /** Require this login (PLAIN/LOGIN). */
  auth?: { user: string; password: string };
  /** TLS material: with `secure` implicit TLS, otherwise offered via STARTTLS. */
  tls?: { key: Buffer; cert: Buffer; secure?: boolean };
  /** Reject every recipient with this SMTP reply code (e.g. 550). */
  rejectWith?: number;
  /** Hold each message this long before accepting it. */
  delayMs?: number;
  /**
   * Take the first N messages whole, then drop the connection instead of
   * answering 250: the sender cannot know the mail arrived (kept in `unacknowledged`).
   */
  dropBeforeReply?: number;
}

export interface SmtpSink {
  port: number;
  messages: ParsedMail[];
  /** Per message: whether it came over TLS (implicit, or upgraded by STARTTLS). */
  encrypted: boolean[];
  /** Every SMTP session that offered the login, successful or not. */
  logins: Array<{ user: string; ok: boolean }>;
  /** Messages received whole whose 250 the sender never got (dropped, or its connection died while held). */
  unacknowledged: ParsedMail[];
  /** Messages received whole and waiting for their 250 while replies are held. */
  held: ParsedMail[];
  /** From now on, receive each message whole but hold its 250 until the returned release is called. */
  holdReplies(): () => void;
  /** Resolves once `count` messages are being held. */
  waitForHeld(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves when `count` messages to `to` have arrived. */
  waitFor(to: string, count?: number, timeoutMs?: number): Promise<ParsedMail[]>;
  stop(): Promise<void>;
  /** Listen again on the same port (after stop). */
  start(): Promise<void>;
}

/** A real SMTP server (the `smtp-server` package) on 127.0.0.1, keeping every accepted message. */
export async function startSmtpSink(options: SinkOptions = {}, port = 0): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const encrypted: boolean[] = [];
  const logins: SmtpSink["logins"] = [];
  const unacknowledged: ParsedMail[] = [];
  const held: ParsedMail[] = [];
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  let toDrop = options.dropBeforeReply ?? 0;
  let hold: Promise<void> | undefined;
  /** Client sockets by remote port, to drop or watch the connection a message came on. */
  const sockets = new Map<number, Socket>();
  const config: SMTPServerOptions = {
    disabledCommands: [...(options.auth ? [] : ["AUTH"]), ...(options.tls ? [] : ["STARTTLS"])],
    authOptional: !options.auth,
    allowInsecureAuth: !options.tls,
    ...(options.tls && {
      key: options.tls.key,
      cert: options.tls.cert,
      secure: options.tls.secure ?? false,
    }),
    logger: false,
    onAuth(auth, _session, callback) {
      const ok = auth.username === options.auth?.user && auth.password === options.auth?.password;
      logins.push({ user: auth.username ?? "", ok });
      if (!ok)
        return callback(
          Object.assign(new Error("Invalid username or password"), { responseCode: 535 }),
        );
      callback(null, { user: auth.username });
    },
    onRcptTo(_address, _session, callback) {
      if (options.rejectWith) {
        return callback(
          Object.assign(new Error("Mailbox unavailable"), { responseCode: options.rejectWith }),
        );
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        async (mail) => {
          if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
          const socket = sockets.get(session.remotePort);
          if (toDrop > 0) {
            toDrop--;
            unacknowledged.push(mail);
            socket?.destroy();
            return notify();
          }
          if (hold) {
            held.push(mail);
            notify();
            await hold;
            held.splice(held.indexOf(mail), 1);
            if (!socket || socket.destroyed) {
              unacknowledged.push(mail);
              return notify();
            }
          }
          encrypted.push(session.secure);
          messages.push(mail);
          notify();
          callback();
        },
        (error) => callback(error),
      );
    },
  };
  let server = new SMTPServer(config);
  const listen = () =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () =>
        resolve((server.server.address() as AddressInfo).port),
      );
    });
  const track = () =>
    server.server.on("connection", (socket: Socket) => {
      const remote = socket.remotePort ?? 0;
      sockets.set(remote, socket);
      socket.once("close", () => sockets.delete(remote));
    });
  port = await listen();
  track();
  const recipients = (mail: ParsedMail) =>
    [mail.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address?.toLowerCase() ?? ""));

  return {
    port,
    messages,
    encrypted,
    logins,
    unacknowledged,
    held,
    holdReplies() {
      let release = () => {};
      hold = new Promise<void>((resolve) => {
        release = () => {
          hold = undefined;
          resolve();
        };
      });
      return release;
    },
    waitForHeld(count, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (held.length < count) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`${held.length}/${count} messages held within ${timeoutMs} ms`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    waitFor(to, count = 1, timeoutMs = 10_000) {
      const mine = () => messages.filter((m) => recipients(m).includes(to.toLowerCase()));
      return new Promise((resolve, reject) => {
        const check = () => {
          if (mine().length < count) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(mine());
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`${mine().length}/${count} mails to ${to} within ${timeoutMs} ms`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    async start() {
      server = new SMTPServer(config);
      await listen();
      track();
    },
  };
}
