import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { AccountService } from "@userharbor/client";
import { AdminService } from "@userharbor/client/userharbor/v1/admin_pb.js";
import { AccountEventsService } from "@userharbor/client/userharbor/v1/events_pb.js";
import type { Logger } from "pino";
import { Argon2Hasher } from "./adapters/crypto/argon2-hasher.js";
import { BoundedHasher } from "./adapters/crypto/bounded-hasher.js";
import { lowerHashThreadPriority } from "./adapters/crypto/hash-thread-priority.js";
import { DevMailbox } from "./adapters/email/dev-mailbox.js";
import { MailTemplates } from "./adapters/email/mail-templates.js";
import { defaultPace, MailWorker } from "./adapters/email/outbox-worker.js";
import { SmtpSender } from "./adapters/email/smtp/smtp-sender.js";
import { commonPasswordCheck } from "./adapters/password-lists/common-passwords.js";
import { MemoryStore } from "./adapters/storage/memory/memory-store.js";
import { openMongoStore } from "./adapters/storage/mongodb/index.js";
import { WebhookDispatcher } from "./adapters/webhooks/dispatcher.js";
import { type Config, ConfigError, loadConfig } from "./config/index.js";
import { type Accounts, createAccounts } from "./core/accounts.js";
import { createAdmin } from "./core/admin.js";
import type { AccountContext } from "./core/context.js";
import { MailSeal } from "./core/domain/mail-seal.js";
import { PageTokens } from "./core/domain/page-token.js";
import { deriveSecretKeys } from "./core/domain/secret-keys.js";
import { SessionAssertions } from "./core/domain/session-assertions.js";
import { SessionKeyRing } from "./core/domain/session-keys.js";
import { TokenHasher } from "./core/domain/tokens.js";
import { Limits } from "./core/limits.js";
import type { AuditLog } from "./core/ports/audit-log.js";
import { type Clock, systemClock } from "./core/ports/clock.js";
import type { EmailSender } from "./core/ports/email-sender.js";
import type { PasswordHasher } from "./core/ports/password-hasher.js";
import type { Store, StoreLifecycle } from "./core/ports/store.js";
import { sessionTouchInterval } from "./core/settings.js";
import type { EventsContext } from "./core/use-cases/events/account-events.js";
import { EventFeed } from "./core/use-cases/events/feed.js";
import { createLogger } from "./observability/logger.js";
import { Metrics } from "./observability/metrics.js";
import { corsGate } from "./rpc/cors.js";
import { rpcHandlers } from "./rpc/handlers.js";
import { HealthStatus, OVERALL, ServingStatus } from "./rpc/health.js";
import { keySetRoute } from "./rpc/key-set.js";
import { listen } from "./rpc/listener.js";
import { watchStoreHealth } from "./rpc/store-health.js";

/**
 * The composition root: the one place that picks adapters from config, wires
 * them into the core, and starts the listeners. Tests call `startServer` with
 * overrides (a capturing mailbox, an injected clock); `npm start` runs `main`.
 */

/** Adapters a caller may supply instead of the configured ones (it then owns them). */
export interface Overrides {
  store?: Store & StoreLifecycle;
  sender?: EmailSender;
  clock?: Clock;
  hasher?: PasswordHasher;
  logger?: Logger;
}

export interface RunningServer {
  port: number;
  url: string;
  /** Port of GET /metrics; undefined when metrics are off. */
  metricsPort: number | undefined;
  accounts: Accounts;
  store: Store;
  health: HealthStatus;
  /** Graceful stop: finish in-flight RPCs (up to the shutdown timeout), stop workers, close the store. */
  close(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 60_000;
/** How often open watchers look for other replicas' events (their own wake at once). */
const EVENT_POLL_MS = 200;
/** How often an idle webhook endpoint looks for other replicas' events and a free lease. */
const WEBHOOK_POLL_MS = 1_000;
/** The in-memory store answers pings at once; this only bounds a store without its own timeout. */
const STORE_PING_TIMEOUT_MS = 2_000;

interface OpenedStore {
  store: Store & StoreLifecycle;
  kind: "memory" | "mongodb" | "supplied";
  /** Closes what this root opened (not a supplied store). */
  close(): Promise<void>;
  /** The memory store's stand-in for a TTL index. */
  sweep?: (now: Date) => Promise<number>;
}

/** MongoDB when MONGODB_URI is set, else memory. */
async function openStore(config: Config, supplied?: Store & StoreLifecycle): Promise<OpenedStore> {
  if (supplied)
    return {
      store: supplied,
      kind: "supplied",
      close: async () => {},
    };
  if (config.mongodb) {
    const store = await openMongoStore({
      ...config.mongodb,
      eventRetentionMs: config.events.retentionMs,
    });
    return {
      store,
      kind: "mongodb",
      close: () => store.close(),
    };
  }
  const store = new MemoryStore({ eventRetentionMs: config.events.retentionMs });
  return {
    store,
    kind: "memory",
    close: () => store.close(),
    sweep: (now) => store.sweepExpired(now),
  };
}

/** SMTP when configured, else the dev mailbox that logs links. */
function mailSender(
  config: Config,
  log: Logger,
): { sender: EmailSender; kind: string; close(): void } {
  const smtp = config.mail.smtp;
  if (!smtp) {
    const mailbox = new DevMailbox(
      log.child({ component: "dev-mailbox" }),
      config.mail.links,
      config.mail.devMailboxFile,
    );
    return { sender: mailbox, kind: "dev-mailbox", close: () => {} };
  }
  const templates = new MailTemplates(
    {
      product: config.mail.product,
      verificationTtlMs: config.accounts.verificationTtlMs,
      resetTtlMs: config.accounts.resetTtlMs,
    },
    config.mail.templateDir,
  );
  const sender = new SmtpSender(smtp, templates, config.mail.links);
  return { sender, kind: "smtp", close: () => sender.close() };
}

export async function startServer(
  config: Config,
  overrides: Overrides = {},
): Promise<RunningServer> {
  const log = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const keys = deriveSecretKeys(config.secretKey);
  const seal = new MailSeal(keys.mailSealing);
  const opened = await openStore(config, overrides.store);
  const { store } = opened;
  const mail = overrides.sender
    ? { sender: overrides.sender, kind: "supplied", close: () => {} }
    : mailSender(config, log);
  const argon2Hasher = new Argon2Hasher(config.argon2);
  const hasher = new BoundedHasher(overrides.hasher ?? argon2Hasher, config.hashing);
  if (!overrides.hasher && config.hashing.threadNice > 0) {
    const result = await lowerHashThreadPriority(config.hashing.threadNice, () =>
      argon2Hasher.hash("warm-up"),
    );
    log.info({ hashThreads: result }, "hashing threads yield to the event loop");
  }
  const metrics = new Metrics({ hashing: () => hasher, outbox: () => store.outbox.count() });
  // Audit lines name the calling API key's name (never the key) when an RPC caused them.
  const auditAs = (apiKey: string | undefined): AuditLog => ({
    emit: (event) => {
      metrics.record(event);
      log.info({ event: event.type, apiKey, ...event }, event.type);
    },
  });
  const audit = auditAs(undefined);

  const worker = new MailWorker(
    {
      store: store.outbox,
      sender: mail.sender,
      seal,
      clock,
      audit,
      retry: config.mail.retry,
      pace: { ...defaultPace, leaseMs: config.mail.leaseMs },
      random: Math.random,
    },
    (error) => log.warn({ err: error }, "mail delivery round failed; retrying later"),
  );
  // Watchers hear this replica's commits at once and poll for other replicas' while they wait.
  const feed = new EventFeed(
    async () => (await store.events.head()).sequence,
    EVENT_POLL_MS,
    (error) => log.warn({ err: error }, "event log poll failed; retrying"),
  );
  const events: EventsContext = {
    log: store.events,
    clock,
    retentionMs: config.events.retentionMs,
    feed,
  };
  const webhooks =
    config.events.webhooks.length === 0
      ? undefined
      : new WebhookDispatcher({
          log: store.events,
          webhooks: store.webhooks,
          clock,
          audit,
          endpoints: config.events.webhooks,
          settings: {
            timeoutMs: config.events.webhookTimeoutMs,
            backoffMs: config.events.webhookBackoffMs,
            retryForMs: config.events.webhookRetryForMs,
            retentionMs: config.events.retentionMs,
            pollMs: WEBHOOK_POLL_MS,
          },
          random: Math.random,
          onError: (error) => log.warn({ err: error }, "webhook delivery round failed; retrying"),
        });
  const context: AccountContext = {
    store,
    hasher,
    clock,
    tokens: new TokenHasher(keys.tokenHashing),
    seal,
    assertions: new SessionAssertions(
      new SessionKeyRing(keys.sessionKeys, config.assertions.rotationMs),
      config.assertions,
      () => metrics.assertionsSigned.inc(),
    ),
    settings: {
      ...config.accounts,
      sessionTouchIntervalMs: sessionTouchInterval(config.accounts.sessionIdleTtlMs),
      isCommonPassword: commonPasswordCheck(),
    },
    audit,
    // Limit counters live in the store, so every replica on one database shares them.
    limits: new Limits(store.limits, config.limits, clock, new TokenHasher(keys.limitKeying)),
    mailQueued: () => worker.wake(),
    eventsCommitted: () => {
      feed.wake();
      webhooks?.wake();
    },
  };
  const pageTokens = new PageTokens(keys.pageTokens);
  const accounts = (apiKey: string | undefined) =>
    createAccounts({ ...context, audit: auditAs(apiKey) });
  /** The flows outside any RPC (no API key to name): the key set route, tests. */
  const unattributed = accounts(undefined);
  const admin = (apiKey: string | undefined) =>
    createAdmin({ ...context, audit: auditAs(apiKey), pageTokens });

  const health = new HealthStatus({
    [OVERALL]: ServingStatus.SERVING,
    [AccountService.typeName]: ServingStatus.SERVING,
    [AdminService.typeName]: ServingStatus.SERVING,
    [AccountEventsService.typeName]: ServingStatus.SERVING,
  });
  const shutdown = new AbortController();
  const { handler, grpcUnary } = rpcHandlers(
    {
      accounts,
      admin,
      events,
      health,
      log,
      metrics,
      requestMaxBytes: config.requestMaxBytes,
      apiKeys: config.apiKeys,
      shutdownSignal: shutdown.signal,
    },
    { grpcFastPath: config.grpcFastPath },
  );
  const tls = config.tls && {
    cert: readFileSync(config.tls.certFile),
    key: readFileSync(config.tls.keyFile),
    ...(config.tls.clientCaFile && { ca: readFileSync(config.tls.clientCaFile) }),
  };
  const cors = corsGate(config.corsOrigins, log.child({ component: "cors" }));
  const listener = await listen(handler, config.host, config.port, tls, {
    cors,
    fastStream: grpcUnary,
    limits: config.http,
    httpRoute: keySetRoute(() => unattributed.getSessionKeys()),
  });
  const metricsServer =
    config.metricsPort === undefined
      ? undefined
      : await metrics.serve(config.host, config.metricsPort);
  worker.start();
  await webhooks?.start();
  const stopWatchingStore = watchStoreHealth(
    store,
    health,
    config.healthCheckIntervalMs,
    // A ping may first wait for index re-creation after an outage: two store timeouts.
    2 * (config.mongodb?.timeoutMs ?? STORE_PING_TIMEOUT_MS),
    (serving) =>
      serving
        ? log.info("store reachable again: serving")
        : log.error("store unreachable: health NOT_SERVING"),
  );
  const sweeper =
    opened.sweep && setInterval(() => void opened.sweep?.(clock.now()), SWEEP_INTERVAL_MS);
  sweeper?.unref();
  log.info(
    {
      host: config.host,
      port: listener.port,
      metricsPort: metricsServer?.port,
      store: opened.kind,
      mail: mail.kind,
      tls: Boolean(tls),
    },
    `UserHarbor listening on ${config.host}:${listener.port}`,
  );

  let closing: Promise<void> | undefined;
  return {
    port: listener.port,
    url: `${tls ? "https" : "http"}://${config.host.includes(":") ? `[${config.host}]` : config.host}:${listener.port}`,
    metricsPort: metricsServer?.port,
    accounts: unattributed,
    store,
    health,
    close: () => {
      closing ??= (async () => {
        // Drain: health says NOT_SERVING, Watch streams end, late account RPCs get
        // UNAVAILABLE, in-flight ones finish (up to the timeout), then the rest stops.
        health.shutdown();
        shutdown.abort();
        feed.close();
        stopWatchingStore();
        await listener.close(config.shutdownTimeoutMs);
        clearInterval(sweeper);
        await worker.stop();
        await webhooks?.stop();
        mail.close();
        await metricsServer?.close();
        metrics.close();
        await opened.close();
        log.info("stopped");
      })();
      return closing;
    },
  };
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
  const log = createLogger(config.logLevel);
  let server: RunningServer;
  try {
    server = await startServer(config, { logger: log });
  } catch (error) {
    // A start-up failure (database unreachable or standalone, port taken) in one line.
    log.fatal(
      { err: { message: (error as Error).message, code: (error as { code?: unknown }).code } },
      `cannot start: ${(error as Error).message}`,
    );
    process.exit(1);
  }
  if (config.secretKeyGenerated) {
    log.warn(
      "SECRET_KEY is not set: using a random key for this run; sessions and links die on restart",
    );
  }
  if (config.apiKeys.length === 0) {
    log.warn(
      "API_KEYS is not set: any caller may use the service with every scope (allowed outside production only)",
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
