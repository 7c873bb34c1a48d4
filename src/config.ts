import { createHash, randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { z } from "zod";
import type { SmtpSettings } from "./adapters/email/smtp/smtp-sender.js";
import type { ThrottlePolicy } from "./adapters/throttle/flexible-throttle.js";

/**
 * The one config module: every environment variable, its default and its
 * meaning, validated with zod at start. A bad value stops the start with one
 * line naming the variable (see ConfigError); README's table mirrors `VARIABLES`.
 */

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "90s", "15m", "24h", "30d" -> milliseconds. */
const duration = z
  .string()
  .regex(DURATION, "must be a duration like 500ms, 30s, 15m, 24h or 7d")
  .transform((text) => {
    const [, amount, unit] = DURATION.exec(text) as RegExpExecArray;
    return Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
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
    const [, points, amount, unit] = BUDGET.exec(text) as RegExpExecArray;
    return {
      points: Number(points),
      durationMs: Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS],
    };
  })
  .refine((b) => b.points > 0 && b.durationMs >= 1_000, "needs at least 1 request per at least 1s");

/** Comma-separated API keys; each raw (>= 24 characters) or "sha256:<hex digest of the key>". */
const apiKeys = z
  .string()
  .transform((text) =>
    text
      .split(",")
      .map((k) => k.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .refine(
          (key) =>
            key.startsWith("sha256:") ? /^sha256:[0-9a-f]{64}$/i.test(key) : key.length >= 24,
          "entries must be keys of at least 24 characters, or sha256:<64 hex digits>",
        ),
    ),
  );

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

interface Variable {
  schema: z.ZodType;
  default?: string;
  doc: string;
}

export const VARIABLES = {
  NODE_ENV: {
    schema: z.enum(["development", "production", "test"]),
    default: "development",
    doc: "production requires SECRET_KEY, API_KEYS and SMTP, and refuses DEV_MAILBOX_FILE.",
  },
  HOST: {
    schema: z.string().min(1),
    default: "127.0.0.1",
    doc: "Listen address (0.0.0.0 in the container).",
  },
  PORT: {
    schema: integer(0, 65_535),
    default: "50051",
    doc: "Port for gRPC, gRPC-Web and Connect (HTTP/2 and HTTP/1.1).",
  },
  LOG_LEVEL: {
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    default: "info",
    doc: "pino log level.",
  },
  SECRET_KEY: {
    schema: z.string().min(32, "must be at least 32 characters"),
    doc: "Keys token hashes and mail encryption. Required in production; in development a random one is made per start (sessions then end on restart).",
  },
  REQUEST_MAX_BYTES: {
    schema: integer(1_024, 64 * 1_048_576),
    default: String(4 * 1_048_576),
    doc: "Largest accepted request message; larger ones get RESOURCE_EXHAUSTED.",
  },
  REQUIRE_VERIFIED_EMAIL: {
    schema: flag,
    default: "true",
    doc: "Login refuses unverified emails (EMAIL_NOT_VERIFIED).",
  },
  VERIFICATION_TTL: {
    schema: duration,
    default: "24h",
    doc: "Lifetime of an email verification token.",
  },
  RESET_TTL: { schema: duration, default: "1h", doc: "Lifetime of a password reset token." },
  SESSION_TTL: { schema: duration, default: "30d", doc: "Absolute session lifetime." },
  SESSION_IDLE_TTL: { schema: duration, default: "7d", doc: "A session unused this long expires." },
  ARGON2_MEMORY_KIB: {
    schema: integer(1_024, 4_194_304),
    default: "19456",
    doc: "argon2id memory cost (KiB).",
  },
  ARGON2_TIME_COST: { schema: integer(1, 100), default: "2", doc: "argon2id iterations." },
  ARGON2_PARALLELISM: { schema: integer(1, 64), default: "1", doc: "argon2id lanes." },
  VERIFY_URL_TEMPLATE: {
    schema: urlTemplate,
    default: "http://localhost:3000/verify-email?token={token}",
    doc: "Link in verification mail; {token} is replaced.",
  },
  RESET_URL_TEMPLATE: {
    schema: urlTemplate,
    default: "http://localhost:3000/reset-password?token={token}",
    doc: "Link in password reset mail; {token} is replaced.",
  },
  DEV_MAILBOX_FILE: {
    schema: z.string().min(1),
    doc: "Development only: also append each dev-mailbox message (with its token) as a JSON line to this file.",
  },
  SMTP_URL: {
    schema: z.url({ protocol: /^smtps?$/ }),
    doc: "smtp://user:password@host:587 (STARTTLS) or smtps://...:465 (implicit TLS). Setting SMTP turns the dev mailbox off.",
  },
  SMTP_HOST: { schema: z.string().min(1), doc: "SMTP server, instead of SMTP_URL." },
  SMTP_PORT: {
    schema: integer(1, 65_535),
    doc: "SMTP port (default 465 with SMTP_SECURE, else 587).",
  },
  SMTP_SECURE: {
    schema: flag,
    default: "false",
    doc: "Implicit TLS from the first byte (usually port 465).",
  },
  SMTP_REQUIRE_TLS: {
    schema: flag,
    default: "true",
    doc: "Without SMTP_SECURE, refuse to send unless the server upgrades with STARTTLS (false only for local sinks).",
  },
  SMTP_USER: { schema: z.string().min(1), doc: "SMTP login." },
  SMTP_PASSWORD: { schema: z.string().min(1), doc: "SMTP password." },
  SMTP_CA_FILE: {
    schema: z.string().min(1),
    doc: "PEM CA to trust for the SMTP server's certificate (private CA, self-signed).",
  },
  SMTP_TIMEOUT: { schema: duration, default: "10s", doc: "SMTP connect/greeting timeout." },
  MAIL_FROM: {
    schema: z.string().min(3),
    default: "UserHarbor <no-reply@localhost>",
    doc: "Sender of every mail.",
  },
  MAIL_PRODUCT_NAME: {
    schema: z.string().min(1),
    default: "UserHarbor",
    doc: "Product name used in mail subjects and bodies.",
  },
  MAIL_TEMPLATE_DIR: {
    schema: z.string().min(1),
    doc: "Directory whose <kind>.txt / <kind>.html files replace the built-in templates (kinds: verification, password_reset, password_changed, registration_attempt).",
  },
  MONGODB_URI: {
    schema: z.string().regex(/^mongodb(\+srv)?:\/\//, "must be a mongodb:// or mongodb+srv:// URI"),
    doc: "Store accounts in MongoDB (a replica set: transactions). Unset: in-memory store.",
  },
  MONGODB_DB: {
    schema: z.string().min(1),
    doc: "Database name (default: the URI's path, else userharbor).",
  },
  MONGODB_TRANSACTIONS: {
    schema: z.enum(["required", "off"]),
    default: "required",
    doc: "off: accept a standalone mongod, giving up atomic multi-record changes (see README).",
  },
  MONGODB_TIMEOUT: {
    schema: duration,
    default: "2s",
    doc: "How long an operation waits for MongoDB before the RPC fails with UNAVAILABLE / STORE_UNAVAILABLE.",
  },
  MAIL_MAX_ATTEMPTS: {
    schema: integer(1, 50),
    default: "5",
    doc: "Delivery attempts before a mail is dead-lettered.",
  },
  MAIL_RETRY_BACKOFF: {
    schema: duration,
    default: "2s",
    doc: "First retry delay; doubles per attempt (capped at 5m).",
  },
  API_KEYS: {
    schema: apiKeys,
    doc: "Comma-separated keys callers send as `authorization: Bearer <key>`; an entry `sha256:<hex>` stores only the key's SHA-256. Required in production; unset in development = open (with a warning).",
  },
  CORS_ORIGINS: {
    schema: corsOrigins,
    doc: "Browser pages allowed to call from another origin: comma-separated exact origins (https://app.example.com), or * (not in production). Unset: CORS off.",
  },
  TLS_CERT_FILE: {
    schema: z.string().min(1),
    doc: "PEM certificate: serve TLS (HTTP/2 and HTTP/1.1 by ALPN).",
  },
  TLS_KEY_FILE: { schema: z.string().min(1), doc: "PEM private key for TLS_CERT_FILE." },
  TLS_CLIENT_CA_FILE: {
    schema: z.string().min(1),
    doc: "PEM CA bundle: require client certificates signed by it (mTLS).",
  },
  HASH_CONCURRENCY: {
    schema: integer(1, 64),
    doc: "Password hashes computed at once (default: the number of cores, at most 4).",
  },
  HASH_QUEUE: {
    schema: integer(0, 10_000),
    doc: "Hashes that may wait for a slot; beyond, RESOURCE_EXHAUSTED / OVERLOADED (default: 2 x HASH_CONCURRENCY).",
  },
  HASH_THREAD_NICE: {
    schema: integer(0, 19),
    default: "10",
    doc: "Linux niceness of the hashing threads, so a login flood cannot take the cores cheap RPCs need; 0 = off.",
  },
  LIMIT_LOGIN_IP: {
    schema: budget,
    default: "100/1m",
    doc: "Login attempts per client IP (IPv6: per /64).",
  },
  LIMIT_LOGIN_ACCOUNT: {
    schema: budget,
    default: "10/1m",
    doc: "Login attempts per login name as typed.",
  },
  LIMIT_REGISTER_IP: { schema: budget, default: "20/1h", doc: "Registrations per client IP." },
  LIMIT_MAIL_EMAIL: {
    schema: budget,
    default: "5/1h",
    doc: "SendPasswordReset + ResendVerification per email.",
  },
  LIMIT_MAIL_IP: {
    schema: budget,
    default: "50/1h",
    doc: "SendPasswordReset + ResendVerification per client IP.",
  },
  LOCKOUT_FAILURES: {
    schema: integer(1, 1_000),
    default: "5",
    doc: "Failed logins for one account from one IP before it locks.",
  },
  LOCKOUT_ACCOUNT_FAILURES: {
    schema: integer(1, 10_000),
    default: "20",
    doc: "Failed logins for one account from anywhere before it locks.",
  },
  LOCKOUT_BASE: {
    schema: duration,
    default: "30s",
    doc: "First lock; doubles with each further failure.",
  },
  LOCKOUT_MAX: {
    schema: duration,
    default: "15m",
    doc: "Longest lock for one account from one IP.",
  },
  LOCKOUT_ACCOUNT_MAX: {
    schema: duration,
    default: "5m",
    doc: "Longest lock for an account from anywhere (keeps attackers from locking users out for long).",
  },
  LOCKOUT_WINDOW: {
    schema: duration,
    default: "1h",
    doc: "Failures older than this are forgotten.",
  },
  METRICS_PORT: {
    schema: integer(0, 65_535),
    default: "9090",
    doc: "Port of the Prometheus endpoint (GET /metrics), apart from the RPC port.",
  },
  METRICS_ENABLED: { schema: flag, default: "true", doc: "Serve /metrics at all." },
  HEALTH_CHECK_INTERVAL: {
    schema: duration,
    default: "2s",
    doc: "How often the store is pinged for the health status.",
  },
  SHUTDOWN_TIMEOUT: {
    schema: duration,
    default: "10s",
    doc: "How long SIGTERM waits for in-flight RPCs.",
  },
} satisfies Record<string, Variable>;

type Name = keyof typeof VARIABLES;

/** Never echoed back in an error message. */
const SECRET_VARIABLES = new Set<string>([
  "SECRET_KEY",
  "API_KEYS",
  "SMTP_URL",
  "SMTP_PASSWORD",
  "MONGODB_URI",
]);
type Values = { [K in Name]: z.output<(typeof VARIABLES)[K]["schema"]> | undefined };

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

function read(env: NodeJS.ProcessEnv): Values {
  const values: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(VARIABLES) as [Name, Variable][]) {
    const raw = env[name] === "" ? undefined : (env[name] ?? variable.default);
    if (raw === undefined) continue;
    const parsed = variable.schema.safeParse(raw);
    if (!parsed.success) {
      const shown = SECRET_VARIABLES.has(name) ? "" : ` (got ${JSON.stringify(raw.slice(0, 80))})`;
      throw new ConfigError(name, `${parsed.error.issues[0]?.message ?? "is invalid"}${shown}`);
    }
    values[name] = parsed.data;
  }
  return values as Values;
}

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
    sessionAbsoluteTtlMs: number;
    sessionIdleTtlMs: number;
  };
  argon2: { memoryKiB: number; timeCost: number; parallelism: number };
  mail: {
    links: { verifyUrl: string; resetUrl: string };
    /** Set when SMTP is configured; otherwise the dev mailbox logs each mail. */
    smtp: SmtpSettings | undefined;
    from: string;
    product: string;
    templateDir: string | undefined;
    devMailboxFile: string | undefined;
    maxAttempts: number;
    backoffMs: number;
  };
  shutdownTimeoutMs: number;
  /** Undefined when METRICS_ENABLED=false. */
  metricsPort: number | undefined;
  healthCheckIntervalMs: number;
  /** Set when MONGODB_URI is; otherwise accounts live in memory. */
  mongodb:
    | {
        uri: string;
        dbName: string | undefined;
        transactions: "required" | "off";
        timeoutMs: number;
      }
    | undefined;
  /** SHA-256 digests of the accepted API keys; empty = open (development only). */
  apiKeyDigests: Buffer[];
  /** Origins browsers may call from (CORS); empty = CORS off. */
  corsOrigins: string[];
  tls: { certFile: string; keyFile: string; clientCaFile: string | undefined } | undefined;
  hashing: { maxInFlight: number; maxQueued: number; threadNice: number };
  throttle: ThrottlePolicy;
}

/** SMTP_URL, or the SMTP_HOST family, as one settings object; undefined when SMTP is off. */
function smtpSettings(v: Values): SmtpSettings | undefined {
  const common = {
    requireTls: v.SMTP_REQUIRE_TLS ?? true,
    caFile: v.SMTP_CA_FILE,
    from: v.MAIL_FROM ?? "",
    timeoutMs: v.SMTP_TIMEOUT ?? 10_000,
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
  const secure = v.SMTP_SECURE ?? false;
  return {
    ...common,
    host: v.SMTP_HOST,
    port: v.SMTP_PORT ?? (secure ? 465 : 587),
    secure,
    user: v.SMTP_USER,
    password: v.SMTP_PASSWORD,
  };
}

/** Config keeps digests only: a raw key is hashed here and then forgotten. */
function apiKeyDigest(entry: string): Buffer {
  return entry.startsWith("sha256:")
    ? Buffer.from(entry.slice(7), "hex")
    : createHash("sha256").update(entry, "utf8").digest();
}

/** Throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const v = read(env);
  const mode = v.NODE_ENV ?? "development";
  if (mode === "production" && !v.SECRET_KEY) {
    throw new ConfigError("SECRET_KEY", "is required when NODE_ENV=production");
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
  const need = <T>(value: T | undefined): T => value as T; // defaulted above
  return {
    env: mode,
    host: need(v.HOST),
    port: need(v.PORT),
    logLevel: need(v.LOG_LEVEL),
    secretKey: v.SECRET_KEY ?? randomBytes(32).toString("base64url"),
    secretKeyGenerated: !v.SECRET_KEY,
    requestMaxBytes: need(v.REQUEST_MAX_BYTES),
    accounts: {
      requireVerifiedEmail: need(v.REQUIRE_VERIFIED_EMAIL),
      verificationTtlMs: need(v.VERIFICATION_TTL),
      resetTtlMs: need(v.RESET_TTL),
      sessionAbsoluteTtlMs: need(v.SESSION_TTL),
      sessionIdleTtlMs: need(v.SESSION_IDLE_TTL),
    },
    argon2: {
      memoryKiB: need(v.ARGON2_MEMORY_KIB),
      timeCost: need(v.ARGON2_TIME_COST),
      parallelism: need(v.ARGON2_PARALLELISM),
    },
    mail: {
      links: { verifyUrl: need(v.VERIFY_URL_TEMPLATE), resetUrl: need(v.RESET_URL_TEMPLATE) },
      smtp: smtpSettings(v),
      from: need(v.MAIL_FROM),
      product: need(v.MAIL_PRODUCT_NAME),
      templateDir: v.MAIL_TEMPLATE_DIR,
      devMailboxFile: v.DEV_MAILBOX_FILE,
      maxAttempts: need(v.MAIL_MAX_ATTEMPTS),
      backoffMs: need(v.MAIL_RETRY_BACKOFF),
    },
    shutdownTimeoutMs: need(v.SHUTDOWN_TIMEOUT),
    metricsPort: v.METRICS_ENABLED === false ? undefined : need(v.METRICS_PORT),
    healthCheckIntervalMs: need(v.HEALTH_CHECK_INTERVAL),
    mongodb: v.MONGODB_URI
      ? {
          uri: v.MONGODB_URI,
          dbName: v.MONGODB_DB,
          transactions: need(v.MONGODB_TRANSACTIONS),
          timeoutMs: need(v.MONGODB_TIMEOUT),
        }
      : undefined,
    apiKeyDigests: (v.API_KEYS ?? []).map(apiKeyDigest),
    corsOrigins: v.CORS_ORIGINS ?? [],
    tls:
      v.TLS_CERT_FILE && v.TLS_KEY_FILE
        ? { certFile: v.TLS_CERT_FILE, keyFile: v.TLS_KEY_FILE, clientCaFile: v.TLS_CLIENT_CA_FILE }
        : undefined,
    hashing: {
      maxInFlight: v.HASH_CONCURRENCY ?? defaultHashConcurrency,
      maxQueued: v.HASH_QUEUE ?? 2 * (v.HASH_CONCURRENCY ?? defaultHashConcurrency),
      threadNice: need(v.HASH_THREAD_NICE),
    },
    throttle: {
      limits: {
        login_ip: need(v.LIMIT_LOGIN_IP),
        login_account: need(v.LIMIT_LOGIN_ACCOUNT),
        register_ip: need(v.LIMIT_REGISTER_IP),
        mail_email: need(v.LIMIT_MAIL_EMAIL),
        mail_ip: need(v.LIMIT_MAIL_IP),
      },
      lockout: {
        windowMs: need(v.LOCKOUT_WINDOW),
        baseMs: need(v.LOCKOUT_BASE),
        accountFromIp: { threshold: need(v.LOCKOUT_FAILURES), maxMs: need(v.LOCKOUT_MAX) },
        account: {
          threshold: need(v.LOCKOUT_ACCOUNT_FAILURES),
          maxMs: need(v.LOCKOUT_ACCOUNT_MAX),
        },
      },
    },
  };
}
