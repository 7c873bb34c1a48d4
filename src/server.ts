import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { AccountService } from "@userharbor/client";
import { type Logger, pino } from "pino";
import { Argon2Hasher } from "./adapters/crypto/argon2-hasher.js";
import { BoundedHasher } from "./adapters/crypto/bounded-hasher.js";
import { DevMailbox } from "./adapters/email/dev-mailbox.js";
import { MailTemplates } from "./adapters/email/mail-templates.js";
import { SmtpSender, type SmtpSettings } from "./adapters/email/smtp/smtp-sender.js";
import { commonPasswordCheck } from "./adapters/password-lists/common-passwords.js";
import { MemoryUserStore } from "./adapters/storage/memory/memory-user-store.js";
import { createThrottle } from "./adapters/throttle/flexible-throttle.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { type Accounts, createAccounts } from "./core/accounts.js";
import type { AccountContext } from "./core/context.js";
import { MailSeal } from "./core/domain/mail-seal.js";
import { deriveSecretKeys } from "./core/domain/secret-keys.js";
import { TokenHasher } from "./core/domain/tokens.js";
import type { AccountEvents } from "./core/ports/account-events.js";
import { type Clock, systemClock } from "./core/ports/clock.js";
import type { EmailSender } from "./core/ports/email-sender.js";
import type { PasswordHasher } from "./core/ports/password-hasher.js";
import type { StoreLifecycle, UserStore } from "./core/ports/user-store.js";
import { defaultDeliveryPolicy, MailWorker } from "./core/use-cases/mail-delivery.js";
import { HealthStatus, OVERALL, ServingStatus } from "./rpc/health.js";
import { type Listener, listen } from "./rpc/listener.js";
import { rpcHandler } from "./rpc/routes.js";

/**
 * The composition root: the one place that picks adapters from config, wires
 * them into the core, and starts the listener. Tests call `startServer` with
 * overrides (a capturing mailbox, an injected clock); `npm start` runs `main`.
 */

/** Adapters a caller may supply instead of the configured ones. */
export interface Overrides {
  store?: UserStore & StoreLifecycle;
  sender?: EmailSender;
  clock?: Clock;
  hasher?: PasswordHasher;
  logger?: Logger;
}

export interface RunningServer {
  port: number;
  url: string;
  accounts: Accounts;
  store: UserStore;
  health: HealthStatus;
  /** Graceful stop: finish in-flight RPCs (up to the shutdown timeout), stop workers, close the store. */
  close(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 60_000;

export async function startServer(
  config: Config,
  overrides: Overrides = {},
): Promise<RunningServer> {
  const log = overrides.logger ?? pino({ level: config.logLevel, base: { service: "userharbor" } });
  const clock = overrides.clock ?? systemClock;
  const keys = deriveSecretKeys(config.secretKey);
  const seal = new MailSeal(keys.mailSealing);
  const memoryStore = overrides.store ? undefined : new MemoryUserStore();
  const store = overrides.store ?? (memoryStore as MemoryUserStore);
  const smtp =
    !overrides.sender && config.mail.smtp ? smtpSender(config, config.mail.smtp) : undefined;
  const sender =
    overrides.sender ??
    smtp ??
    new DevMailbox(
      log.child({ component: "dev-mailbox" }),
      config.mail.links,
      config.mail.devMailboxFile,
    );
  const events: AccountEvents = {
    emit: (event) => log.info({ event: event.type, ...event }, event.type),
  };

  const worker = new MailWorker(
    {
      store,
      sender,
      seal,
      clock,
      events,
      policy: {
        ...defaultDeliveryPolicy,
        maxAttempts: config.mail.maxAttempts,
        backoffMs: config.mail.backoffMs,
      },
    },
    (error) => log.warn({ err: error }, "mail delivery round failed; retrying later"),
  );
  const hasher = new BoundedHasher(
    overrides.hasher ?? new Argon2Hasher(config.argon2),
    config.hashing,
  );
  const ctx: AccountContext = {
    store,
    hasher,
    clock,
    tokens: new TokenHasher(keys.tokenHashing),
    seal,
    settings: {
      ...config.accounts,
      sessionTouchIntervalMs: 60_000,
      isCommonPassword: commonPasswordCheck(),
    },
    events,
    throttle: createThrottle({ kind: "memory" }, config.throttle),
    mailQueued: () => worker.wake(),
  };
  const accounts = createAccounts(ctx);

  const health = new HealthStatus({
    [OVERALL]: ServingStatus.SERVING,
    [AccountService.typeName]: ServingStatus.SERVING,
  });
  const shutdown = new AbortController();
  const handler = rpcHandler({
    accounts,
    health,
    requestMaxBytes: config.requestMaxBytes,
    apiKeyDigests: config.apiKeyDigests,
    shutdownSignal: shutdown.signal,
    onInternal: (error) => log.error({ err: error }, "internal error"),
  });
  const tls = config.tls && {
    cert: readFileSync(config.tls.certFile),
    key: readFileSync(config.tls.keyFile),
    ...(config.tls.clientCaFile && { ca: readFileSync(config.tls.clientCaFile) }),
  };
  const listener: Listener = await listen(handler, config.host, config.port, tls);
  worker.start();
  const sweeper =
    memoryStore && setInterval(() => void memoryStore.sweepExpired(clock.now()), SWEEP_INTERVAL_MS);
  sweeper?.unref();
  log.info(
    {
      host: config.host,
      port: listener.port,
      store: memoryStore ? "memory" : "custom",
      mail: overrides.sender ? "custom" : smtp ? "smtp" : "dev-mailbox",
    },
    `UserHarbor listening on ${config.host}:${listener.port}`,
  );

  let closing: Promise<void> | undefined;
  return {
    port: listener.port,
    url: `${tls ? "https" : "http"}://${config.host.includes(":") ? `[${config.host}]` : config.host}:${listener.port}`,
    accounts,
    store,
    health,
    close: () => {
      closing ??= (async () => {
        // Drain: health says NOT_SERVING, Watch streams end, late account RPCs get
        // UNAVAILABLE, in-flight ones finish (up to the timeout), then the rest stops.
        health.shutdown();
        shutdown.abort();
        await listener.close(config.shutdownTimeoutMs);
        clearInterval(sweeper);
        await worker.stop();
        smtp?.close();
        // Close only what this root opened; a supplied store belongs to its caller.
        if (!overrides.store) await store.close();
      })();
      return closing;
    },
  };
}

function smtpSender(config: Config, settings: SmtpSettings): SmtpSender {
  const templates = new MailTemplates(
    {
      product: config.mail.product,
      verificationTtlMs: config.accounts.verificationTtlMs,
      resetTtlMs: config.accounts.resetTtlMs,
    },
    config.mail.templateDir,
  );
  return new SmtpSender(settings, templates, config.mail.links);
}

/** `npm start`: config from the environment, graceful stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  const server = await startServer(config);
  const log = pino({ level: config.logLevel, base: { service: "userharbor" } });
  if (config.secretKeyGenerated) {
    log.warn(
      "SECRET_KEY is not set: using a random key for this run; sessions and links die on restart",
    );
  }
  const stop = (signal: string) => {
    log.info({ signal }, "shutting down");
    server.close().then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await main();
}
