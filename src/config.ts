import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { z } from "zod";
import type { SmtpSettings } from "./adapters/email/smtp/smtp-sender.js";
import type { ThrottlePolicy } from "./adapters/throttle/flexible-throttle.js";
import { MAX_RETRY_DELAY_MS, type RetryPolicy } from "./core/domain/mail-retry.js";
import { PASSWORD_MIN_LENGTH } from "./core/domain/password-policy.js";
import { type ApiKey, apiKeysSchema } from "./rpc/api-key-config.js";

/**
 * The one config module: every environment variable, its default and its
 * meaning in one zod schema, validated at start. A bad value stops the start
 * with one line naming the variable (see ConfigError).
 */

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** "15", "m" -> 900000 (the regexes below only let known units through). */
const toMs = (amount = "", unit = "") => Number(amount) * (UNIT_MS[unit] ?? Number.NaN);

/** "90s", "15m", "24h", "30d" -> milliseconds. */
const duration = z
  .string()
  .regex(DURATION, "must be a duration like 500ms, 30s, 15m, 24h or 7d")
  .transform((text) => {
    const [, amount, unit] = DURATION.exec(text) ?? [];
    return toMs(amount, unit);
  })
  .refine((ms) => ms > 0, "must be greater than zero");

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** "10/1m": 10 requests per minute. */
const BUDGET = /^(\d+)\/(\d+)(ms|s|m|h|d)$/;
const budget = z
  .string()
  .regex(BUDGET, "must look like 10/1m (requests per duration)")
  .transform((text) => {
    const [, points, amount, unit] = BUDGET.exec(text) ?? [];
    return {
      points: Number(points),
      durationMs: toMs(amount, unit),
    };
  })
  .refine((b) => b.points > 0 && b.durationMs >= 1_000, "needs at least 1 request per at least 1s");

/** CORS_ORIGINS: comma-separated exact origins (scheme://host[:port]) or "*". */
const corsOrigins = z
  .string()
  .transform((text) =>
    text
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .refine(
          (o) => o === "*" || (URL.canParse(o) && new URL(o).origin === o),
          "entries must be exact origins like https://app.example.com (scheme, host, optional port; no path or trailing slash), or *",
        ),
    ),
  );

const defaultHashConcurrency = Math.min(4, availableParallelism());
const flag = z.stringbool();
const urlTemplate = z
  .url({ protocol: /^https?$/ })
  .refine((url) => url.includes("{token}"), "must contain {token}");

/**
 * Every variable: its type and range (the schema), its default as it would be
 * typed in the environment (`.default()`, or `.prefault()` where the text is
 * then parsed), and its meaning (`.meta()`; `secret` values are never echoed).
 * README's table is generated from this object (scripts/config-table.ts).
 */
export const ENVIRONMENT = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development").meta({
    description: "production requires SECRET_KEY, API_KEYS and SMTP, and refuses DEV_MAILBOX_FILE.",
  }),
  HOST: z
    .string()
    .min(1)
    .default("127.0.0.1")
    .meta({ description: "Listen address (0.0.0.0 in the container)." }),
  PORT: integer(0, 65_535)
    .prefault("50051")
    .meta({ description: "Port for gRPC, gRPC-Web and Connect (HTTP/2 and HTTP/1.1)." }),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info")
    .meta({ description: "pino log level." }),
  SECRET_KEY: z.string().min(32, "must be at least 32 characters").optional().meta({
    description:
      "Keys token hashes and mail encryption. Required in production and whenever MONGODB_URI is set (a random key per start would orphan stored sessions, links and queued mail); in development with the memory store a random one is made per start.",
    secret: true,
  }),
  REQUEST_MAX_BYTES: integer(1_024, 64 * 1_048_576)
    .prefault(String(4 * 1_048_576))
    .meta({ description: "Largest accepted request message; larger ones get RESOURCE_EXHAUSTED." }),
  REQUIRE_VERIFIED_EMAIL: flag
    .prefault("true")
    .meta({ description: "Login refuses unverified emails (EMAIL_NOT_VERIFIED)." }),
  PASSWORD_MIN_LENGTH: integer(PASSWORD_MIN_LENGTH.floor, PASSWORD_MIN_LENGTH.ceiling)
    .prefault(String(PASSWORD_MIN_LENGTH.default))
    .meta({
      description:
        "Shortest password accepted for new passwords (characters after NFKC; 12 meets ASVS V2.1.1; 8 is the floor NIST allows).",
    }),
  VERIFICATION_TTL: duration
    .prefault("24h")
    .meta({ description: "Lifetime of an email verification token." }),
  RESET_TTL: duration.prefault("1h").meta({ description: "Lifetime of a password reset token." }),
  DEVICE_TOKEN_TTL: duration.prefault("180d").meta({
    description:
      "Lifetime of a device token (trusted device: exempt from the account-wide login limit and lock).",
  }),
  DEVICE_TOKEN_FAILURES: integer(1, 1_000).prefault("5").meta({
    description: "Failed logins with one device token after which it is no longer trusted.",
  }),
  SESSION_TTL: duration.prefault("30d").meta({ description: "Absolute session lifetime." }),
  SESSION_IDLE_TTL: duration.prefault("7d").meta({
    description:
      "A session unused this long expires; use is recorded every tenth of this, at most once a minute.",
  }),
  ARGON2_MEMORY_KIB: integer(1_024, 4_194_304)
    .prefault("19456")
    .meta({ description: "argon2id memory cost (KiB)." }),
  ARGON2_TIME_COST: integer(1, 100).prefault("2").meta({ description: "argon2id iterations." }),
  ARGON2_PARALLELISM: integer(1, 64).prefault("1").meta({ description: "argon2id lanes." }),
  VERIFY_URL_TEMPLATE: urlTemplate
    .default("http://localhost:3000/verify-email?token={token}")
    .meta({ description: "Link in verification mail; {token} is replaced." }),
  RESET_URL_TEMPLATE: urlTemplate
    .default("http://localhost:3000/reset-password?token={token}")
    .meta({ description: "Link in password reset mail; {token} is replaced." }),
  DEV_MAILBOX_FILE: z.string().min(1).optional().meta({
    description:
      "Development only: also append each dev-mailbox message (with its token) as a JSON line to this file.",
  }),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/ })
    .optional()
    .meta({
      description:
        "smtp://user:password@host:587 (STARTTLS) or smtps://...:465 (implicit TLS). Setting SMTP turns the dev mailbox off.",
      secret: true,
    }),
  SMTP_HOST: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "SMTP server, instead of SMTP_URL." }),
  SMTP_PORT: integer(1, 65_535)
    .optional()
    .meta({ description: "SMTP port (default 465 with SMTP_SECURE, else 587)." }),
  SMTP_SECURE: flag
    .prefault("false")
    .meta({ description: "Implicit TLS from the first byte (usually port 465)." }),
  SMTP_REQUIRE_TLS: flag.prefault("true").meta({
    description:
      "Without SMTP_SECURE, refuse to send unless the server upgrades with STARTTLS (false only for local sinks).",
  }),
  SMTP_USER: z.string().min(1).optional().meta({ description: "SMTP login." }),
  SMTP_PASSWORD: z.string().min(1).optional().meta({ description: "SMTP password.", secret: true }),
  SMTP_CA_FILE: z.string().min(1).optional().meta({
    description: "PEM CA to trust for the SMTP server's certificate (private CA, self-signed).",
  }),
  SMTP_TIMEOUT: duration.prefault("10s").meta({ description: "SMTP connect/greeting timeout." }),
  MAIL_FROM: z
    .string()
    .min(3)
    .default("UserHarbor <no-reply@localhost>")
    .meta({ description: "Sender of every mail." }),
  MAIL_PRODUCT_NAME: z
    .string()
    .min(1)
    .default("UserHarbor")
    .meta({ description: "Product name used in mail subjects and bodies." }),
  MAIL_TEMPLATE_DIR: z.string().min(1).optional().meta({
    description:
      "Directory whose <kind>.txt / <kind>.html files replace the built-in templates (kinds: verification, password_reset, password_changed, registration_attempt, email_change_requested, email_change_attempt).",
  }),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, "must be a mongodb:// or mongodb+srv:// URI")
    .optional()
    .meta({
      description:
        "Store accounts in MongoDB (a replica set: transactions). Unset: in-memory store.",
      secret: true,
    }),
  MONGODB_DB: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "Database name (default: the URI's path, else userharbor)." }),
  MONGODB_TRANSACTIONS: z.enum(["required", "off"]).default("required").meta({
    description:
      "off: accept a standalone mongod, giving up atomic multi-record changes (see README).",
  }),
  MONGODB_TIMEOUT: duration.prefault("2s").meta({
    description:
      "How long an operation waits for MongoDB before the RPC fails with UNAVAILABLE / STORE_UNAVAILABLE.",
  }),
  MAIL_LEASE: duration.prefault("60s").meta({
    description:
      "How long a mail worker holds a mail it is sending before another replica (or this one, restarted after a crash) may take it over; longer than SMTP_TIMEOUT x 4.",
  }),
  MONGODB_WRITE_LOG: z.string().min(1).optional().meta({
    description:
      "Diagnostics: append one JSON line per MongoDB write and per transaction commit or abort (collection, _ids, session, outcome; never field values) to this file. The crash drill reads it.",
  }),
  MAIL_MAX_ATTEMPTS: integer(1, 50)
    .prefault("5")
    .meta({ description: "Delivery attempts before a mail is dead-lettered." }),
  MAIL_RETRY_BACKOFF: duration.prefault("2s").meta({
    description: `First retry delay; doubles per attempt up to ${MAX_RETRY_DELAY_MS / 60_000}m, each delay shortened by a random 0-50% so replicas sharing the outbox spread their retries.`,
  }),
  API_KEYS: apiKeysSchema.optional().meta({
    description:
      "Callers' keys as `name=key:scope,scope;name2=...`, sent as `authorization: Bearer <key>`; scopes `accounts`, `client-ip` (ClientContext.ip is believed), `admin`; a key may be given as `sha256:<hex>` of it. Logs show the name. Required in production; unset in development = open, every scope (with a warning).",
    secret: true,
  }),
  CORS_ORIGINS: corsOrigins.optional().meta({
    description:
      "Browser pages allowed to call from another origin: comma-separated exact origins (https://app.example.com), or * (not in production). Unset: CORS off.",
  }),
  TLS_CERT_FILE: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "PEM certificate: serve TLS (HTTP/2 and HTTP/1.1 by ALPN)." }),
  TLS_KEY_FILE: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "PEM private key for TLS_CERT_FILE." }),
  TLS_CLIENT_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "PEM CA bundle: require client certificates signed by it (mTLS)." }),
  HASH_CONCURRENCY: integer(1, 64).optional().meta({
    description: "Password hashes computed at once (default: the number of cores, at most 4).",
  }),
  HASH_QUEUE: integer(0, 10_000).optional().meta({
    description:
      "Hashes that may wait for a slot; beyond, RESOURCE_EXHAUSTED / OVERLOADED (default: 2 x HASH_CONCURRENCY).",
  }),
  HASH_THREAD_NICE: integer(0, 19).prefault("10").meta({
    description:
      "Linux niceness of the hashing threads, so a login flood cannot take the cores cheap RPCs need; 0 = off.",
  }),
  LIMIT_LOGIN_IP: budget
    .prefault("100/1m")
    .meta({ description: "Login attempts per client IP (IPv6: per /64)." }),
  LIMIT_LOGIN_ACCOUNT: budget.prefault("10/1m").meta({
    description:
      "Login attempts per account (its username and email share one budget); per normalised name when it resolves to none.",
  }),
  LIMIT_LOGIN_DEVICE: budget.prefault("10/1m").meta({
    description:
      "Login attempts per device token; a login with a trusted device counts here instead of per account.",
  }),
  LIMIT_REGISTER_IP: budget.prefault("20/1h").meta({ description: "Registrations per client IP." }),
  LIMIT_MAIL_EMAIL: budget
    .prefault("5/1h")
    .meta({ description: "SendPasswordReset + ResendVerification per email." }),
  LIMIT_MAIL_IP: budget
    .prefault("50/1h")
    .meta({ description: "SendPasswordReset + ResendVerification per client IP." }),
  LOCKOUT_FAILURES: integer(1, 1_000)
    .prefault("5")
    .meta({ description: "Failed logins for one account from one IP before it locks." }),
  LOCKOUT_ACCOUNT_FAILURES: integer(1, 10_000)
    .prefault("20")
    .meta({ description: "Failed logins for one account from anywhere before it locks." }),
  LOCKOUT_BASE: duration
    .prefault("30s")
    .meta({ description: "First lock; doubles with each further failure." }),
  LOCKOUT_MAX: duration
    .prefault("15m")
    .meta({ description: "Longest lock for one account from one IP." }),
  LOCKOUT_ACCOUNT_MAX: duration.prefault("5m").meta({
    description:
      "Longest lock for an account from anywhere (keeps attackers from locking users out for long).",
  }),
  LOCKOUT_WINDOW: duration
    .prefault("1h")
    .meta({ description: "Failures older than this are forgotten." }),
  METRICS_PORT: integer(0, 65_535).prefault("9090").meta({
    description: "Port of the Prometheus endpoint (GET /metrics), apart from the RPC port.",
  }),
  METRICS_ENABLED: flag.prefault("true").meta({ description: "Serve /metrics at all." }),
  GRPC_FAST_PATH: flag.prefault("true").meta({
    description:
      "Serve gRPC unary calls straight from HTTP/2 streams (same services, interceptors and errors as the Connect path); false sends them through connect-node too.",
  }),
  HEALTH_CHECK_INTERVAL: duration
    .prefault("2s")
    .meta({ description: "How often the store is pinged for the health status." }),
  HTTP_MAX_CONNECTIONS: integer(1, 1_000_000).prefault("10000").meta({
    description:
      "Open connections accepted at once (HTTP/2 and HTTP/1.1); beyond, new ones are closed.",
  }),
  HTTP_HEADERS_TIMEOUT: duration.prefault("10s").meta({
    description:
      "A connection must send its HTTP/1.1 request headers (or its HTTP/2 preface) within this: slowloris peers are cut.",
  }),
  HTTP_REQUEST_TIMEOUT: duration.prefault("30s").meta({
    description: "An HTTP/1.1 request must arrive whole (headers and body) within this.",
  }),
  HTTP_KEEP_ALIVE_TIMEOUT: duration
    .prefault("5s")
    .meta({ description: "An idle HTTP/1.1 keep-alive connection is closed after this." }),
  HTTP_MAX_HEADER_BYTES: integer(1_024, 1_048_576).prefault("16384").meta({
    description:
      "Largest header block accepted, HTTP/1.1 and HTTP/2 (decoded, so an HPACK bomb counts at full size).",
  }),
  H2_MAX_HEADER_LIST_PAIRS: integer(4, 10_000)
    .prefault("64")
    .meta({ description: "Most header fields in one HTTP/2 request." }),
  H2_MAX_CONCURRENT_STREAMS: integer(1, 10_000)
    .prefault("100")
    .meta({ description: "Streams one HTTP/2 connection may have open at once (SETTINGS)." }),
  H2_MAX_SESSION_MEMORY_MB: integer(1, 1_024).prefault("10").meta({
    description:
      "Memory one HTTP/2 connection may hold (buffers, header tables) before new streams are refused.",
  }),
  H2_MAX_REJECTED_STREAMS: integer(1, 100_000).prefault("100").meta({
    description:
      "Streams refused on one HTTP/2 connection (over the stream limit) before it is closed.",
  }),
  H2_MAX_INVALID_FRAMES: integer(1, 100_000).prefault("100").meta({
    description: "Invalid frames tolerated on one HTTP/2 connection before it is closed.",
  }),
  H2_STREAM_RESETS: budget.prefault("200/1s").meta({
    description:
      "Stream resets (RST_STREAM) a peer may send: a burst of this many, refilled at this rate (rapid reset, CVE-2023-44487); beyond, the connection is closed. Node 22.? and later.",
  }),
  H2_MAX_SETTINGS: integer(1, 1_000)
    .prefault("32")
    .meta({ description: "Settings entries accepted in one HTTP/2 SETTINGS frame." }),
  H2_IDLE_TIMEOUT: duration.prefault("5m").meta({
    description: "An HTTP/2 connection with no frames for this long is closed.",
  }),
  SHUTDOWN_TIMEOUT: duration
    .prefault("10s")
    .meta({ description: "How long SIGTERM waits for in-flight RPCs." }),
});

export type Environment = z.output<typeof ENVIRONMENT>;

/** Never echoed back in an error message. */
const SECRET_VARIABLES = new Set(
  Object.entries(ENVIRONMENT.shape)
    .filter(([, schema]) => schema.meta()?.secret === true)
    .map(([name]) => name),
);

/** A bad variable. Its message is the one line printed before exiting. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`config: ${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

/** Parses the variables `schema` knows (an empty value counts as unset); throws ConfigError naming the first bad one. */
function parse<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const input = Object.fromEntries(
    Object.keys(schema.shape).map((name) => [name, env[name] || undefined]),
  );
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0]);
  const raw = env[name] ?? "";
  const shown = SECRET_VARIABLES.has(name) ? "" : ` (got ${JSON.stringify(raw.slice(0, 80))})`;
  throw new ConfigError(name, `${issue?.message ?? "is invalid"}${shown}`);
}

/** Every variable's default, parsed (undefined where a variable has none). */
export const DEFAULTS: Environment = parse(ENVIRONMENT, {});

export interface Config {
  env: "development" | "production" | "test";
  host: string;
  port: number;
  logLevel: string;
  secretKey: string;
  /** True when no SECRET_KEY was set and a random one was made for this run. */
  secretKeyGenerated: boolean;
  requestMaxBytes: number;
  accounts: {
    requireVerifiedEmail: boolean;
    verificationTtlMs: number;
    resetTtlMs: number;
    deviceTokenTtlMs: number;
    deviceTokenMaxFailures: number;
    sessionAbsoluteTtlMs: number;
    sessionIdleTtlMs: number;
    passwordMinLength: number;
  };
  argon2: { memoryKiB: number; timeCost: number; parallelism: number };
  /** Limits on every connection to the listener (HTTP_*, H2_*). */
  http: HttpLimits;
  mail: {
    /** MAIL_LEASE: how long a worker holds a mail it is sending. */
    leaseMs: number;
    links: { verifyUrl: string; resetUrl: string };
    /** Set when SMTP is configured; otherwise the dev mailbox logs each mail. */
    smtp: SmtpSettings | undefined;
    product: string;
    templateDir: string | undefined;
    devMailboxFile: string | undefined;
    retry: RetryPolicy;
  };
  shutdownTimeoutMs: number;
  /** Undefined when METRICS_ENABLED=false. */
  metricsPort: number | undefined;
  /** gRPC unary calls bypass connect-node's request layers (GRPC_FAST_PATH). */
  grpcFastPath: boolean;
  healthCheckIntervalMs: number;
  /** Set when MONGODB_URI is; otherwise accounts live in memory. */
  mongodb:
    | {
        uri: string;
        dbName: string | undefined;
        transactions: "required" | "off";
        timeoutMs: number;
        writeLog: string | undefined;
      }
    | undefined;
  /** Accepted API keys (digests, names, scopes); empty = open (development only). */
  apiKeys: ApiKey[];
  /** Origins browsers may call from (CORS); empty = CORS off. */
  corsOrigins: string[];
  tls: { certFile: string; keyFile: string; clientCaFile: string | undefined } | undefined;
  hashing: { maxInFlight: number; maxQueued: number; threadNice: number };
  throttle: ThrottlePolicy;
}

/** What the listener enforces on every connection (src/rpc/listener.ts applies them). */
export interface HttpLimits {
  maxConnections: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxHeaderBytes: number;
  maxHeaderListPairs: number;
  maxConcurrentStreams: number;
  maxSessionMemoryMb: number;
  maxRejectedStreams: number;
  maxInvalidFrames: number;
  streamResets: { burst: number; perSecond: number };
  maxSettings: number;
  idleTimeoutMs: number;
}

/** SMTP_URL, or the SMTP_HOST family, as one settings object; undefined when SMTP is off. */
function smtpSettings(v: Environment): SmtpSettings | undefined {
  const common = {
    requireTls: v.SMTP_REQUIRE_TLS,
    caFile: v.SMTP_CA_FILE,
    from: v.MAIL_FROM,
    timeoutMs: v.SMTP_TIMEOUT,
  };
  if (v.SMTP_URL) {
    const url = new URL(v.SMTP_URL);
    const secure = url.protocol === "smtps:";
    return {
      ...common,
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      user: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
    };
  }
  if (!v.SMTP_HOST) return undefined;
  const secure = v.SMTP_SECURE;
  return {
    ...common,
    host: v.SMTP_HOST,
    port: v.SMTP_PORT ?? (secure ? 465 : 587),
    secure,
    user: v.SMTP_USER,
    password: v.SMTP_PASSWORD,
  };
}

/**
 * Where this server listens, for the container HEALTHCHECK: HOST, PORT and
 * whether TLS is on, with the server's defaults; no other variable is checked.
 */
export function listenerAddress(env: NodeJS.ProcessEnv = process.env): {
  host: string;
  port: number;
  tls: boolean;
} {
  const v = parse(ENVIRONMENT.pick({ HOST: true, PORT: true, TLS_CERT_FILE: true }), env);
  return { host: v.HOST, port: v.PORT, tls: v.TLS_CERT_FILE !== undefined };
}

/** Throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const v = parse(ENVIRONMENT, env);
  const mode = v.NODE_ENV;
  if (mode === "production" && !v.SECRET_KEY) {
    throw new ConfigError("SECRET_KEY", "is required when NODE_ENV=production");
  }
  if (v.MONGODB_URI && !v.SECRET_KEY) {
    throw new ConfigError(
      "SECRET_KEY",
      "is required with MONGODB_URI: stored sessions, links and queued mail are keyed by it and a per-start random key would orphan them on restart",
    );
  }
  if (mode === "production" && !v.API_KEYS?.length) {
    throw new ConfigError("API_KEYS", "is required when NODE_ENV=production");
  }
  const smtp = Boolean(v.SMTP_URL || v.SMTP_HOST);
  if (v.SMTP_URL && v.SMTP_HOST)
    throw new ConfigError("SMTP_HOST", "cannot be combined with SMTP_URL");
  if (mode === "production" && !smtp) {
    throw new ConfigError(
      "SMTP_URL",
      "(or SMTP_HOST) is required when NODE_ENV=production: the dev mailbox would log tokens",
    );
  }
  if (v.DEV_MAILBOX_FILE && (smtp || mode === "production")) {
    throw new ConfigError(
      "DEV_MAILBOX_FILE",
      "is a development feature: not with SMTP or in production",
    );
  }
  if (Boolean(v.TLS_CERT_FILE) !== Boolean(v.TLS_KEY_FILE)) {
    throw new ConfigError(
      v.TLS_CERT_FILE ? "TLS_KEY_FILE" : "TLS_CERT_FILE",
      "must be set together with the other TLS file",
    );
  }
  if (v.TLS_CLIENT_CA_FILE && !v.TLS_CERT_FILE) {
    throw new ConfigError(
      "TLS_CLIENT_CA_FILE",
      "needs TLS_CERT_FILE and TLS_KEY_FILE (mTLS runs over TLS)",
    );
  }
  if (mode === "production" && v.CORS_ORIGINS?.includes("*")) {
    throw new ConfigError(
      "CORS_ORIGINS",
      "cannot be * when NODE_ENV=production: list exact origins",
    );
  }
  return {
    env: mode,
    host: v.HOST,
    port: v.PORT,
    logLevel: v.LOG_LEVEL,
    secretKey: v.SECRET_KEY ?? randomBytes(32).toString("base64url"),
    secretKeyGenerated: !v.SECRET_KEY,
    requestMaxBytes: v.REQUEST_MAX_BYTES,
    accounts: {
      requireVerifiedEmail: v.REQUIRE_VERIFIED_EMAIL,
      verificationTtlMs: v.VERIFICATION_TTL,
      resetTtlMs: v.RESET_TTL,
      deviceTokenTtlMs: v.DEVICE_TOKEN_TTL,
      deviceTokenMaxFailures: v.DEVICE_TOKEN_FAILURES,
      sessionAbsoluteTtlMs: v.SESSION_TTL,
      sessionIdleTtlMs: v.SESSION_IDLE_TTL,
      passwordMinLength: v.PASSWORD_MIN_LENGTH,
    },
    argon2: {
      memoryKiB: v.ARGON2_MEMORY_KIB,
      timeCost: v.ARGON2_TIME_COST,
      parallelism: v.ARGON2_PARALLELISM,
    },
    http: {
      maxConnections: v.HTTP_MAX_CONNECTIONS,
      headersTimeoutMs: v.HTTP_HEADERS_TIMEOUT,
      requestTimeoutMs: v.HTTP_REQUEST_TIMEOUT,
      keepAliveTimeoutMs: v.HTTP_KEEP_ALIVE_TIMEOUT,
      maxHeaderBytes: v.HTTP_MAX_HEADER_BYTES,
      maxHeaderListPairs: v.H2_MAX_HEADER_LIST_PAIRS,
      maxConcurrentStreams: v.H2_MAX_CONCURRENT_STREAMS,
      maxSessionMemoryMb: v.H2_MAX_SESSION_MEMORY_MB,
      maxRejectedStreams: v.H2_MAX_REJECTED_STREAMS,
      maxInvalidFrames: v.H2_MAX_INVALID_FRAMES,
      streamResets: {
        burst: v.H2_STREAM_RESETS.points,
        perSecond: v.H2_STREAM_RESETS.points / (v.H2_STREAM_RESETS.durationMs / 1_000),
      },
      maxSettings: v.H2_MAX_SETTINGS,
      idleTimeoutMs: v.H2_IDLE_TIMEOUT,
    },
    mail: {
      leaseMs: v.MAIL_LEASE,
      links: { verifyUrl: v.VERIFY_URL_TEMPLATE, resetUrl: v.RESET_URL_TEMPLATE },
      smtp: smtpSettings(v),
      product: v.MAIL_PRODUCT_NAME,
      templateDir: v.MAIL_TEMPLATE_DIR,
      devMailboxFile: v.DEV_MAILBOX_FILE,
      retry: { maxAttempts: v.MAIL_MAX_ATTEMPTS, backoffMs: v.MAIL_RETRY_BACKOFF },
    },
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT,
    metricsPort: v.METRICS_ENABLED ? v.METRICS_PORT : undefined,
    grpcFastPath: v.GRPC_FAST_PATH,
    healthCheckIntervalMs: v.HEALTH_CHECK_INTERVAL,
    mongodb: v.MONGODB_URI
      ? {
          uri: v.MONGODB_URI,
          dbName: v.MONGODB_DB,
          transactions: v.MONGODB_TRANSACTIONS,
          timeoutMs: v.MONGODB_TIMEOUT,
          writeLog: v.MONGODB_WRITE_LOG,
        }
      : undefined,
    apiKeys: v.API_KEYS ?? [],
    corsOrigins: v.CORS_ORIGINS ?? [],
    tls:
      v.TLS_CERT_FILE && v.TLS_KEY_FILE
        ? { certFile: v.TLS_CERT_FILE, keyFile: v.TLS_KEY_FILE, clientCaFile: v.TLS_CLIENT_CA_FILE }
        : undefined,
    hashing: {
      maxInFlight: v.HASH_CONCURRENCY ?? defaultHashConcurrency,
      maxQueued: v.HASH_QUEUE ?? 2 * (v.HASH_CONCURRENCY ?? defaultHashConcurrency),
      threadNice: v.HASH_THREAD_NICE,
    },
    throttle: {
      limits: {
        login_ip: v.LIMIT_LOGIN_IP,
        login_account: v.LIMIT_LOGIN_ACCOUNT,
        login_device: v.LIMIT_LOGIN_DEVICE,
        register_ip: v.LIMIT_REGISTER_IP,
        mail_email: v.LIMIT_MAIL_EMAIL,
        mail_ip: v.LIMIT_MAIL_IP,
      },
      lockout: {
        windowMs: v.LOCKOUT_WINDOW,
        baseMs: v.LOCKOUT_BASE,
        accountFromIp: { threshold: v.LOCKOUT_FAILURES, maxMs: v.LOCKOUT_MAX },
        account: {
          threshold: v.LOCKOUT_ACCOUNT_FAILURES,
          maxMs: v.LOCKOUT_ACCOUNT_MAX,
        },
      },
    },
  };
}
