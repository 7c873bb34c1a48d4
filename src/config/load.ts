import { randomBytes } from "node:crypto";
import type { SmtpSettings } from "../adapters/email/smtp/smtp-sender.js";
import type { RetryPolicy } from "../core/domain/mail-retry.js";
import type { LimitPolicy } from "../core/limits.js";
import type { ApiKey } from "../rpc/api-key-config.js";
import { hashingLimits } from "./accounts.js";
import { assertionSettings, rotationProblem } from "./assertions.js";
import { type HttpLimits, httpLimits } from "./connections.js";
import { ConfigError, ENVIRONMENT, parse } from "./environment.js";
import { limitPolicy } from "./limits.js";
import { smtpSettings } from "./mail.js";

/** What the composition root builds the server from: the variables, checked together and grouped by use. */
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
    deviceTokensPerAccount: number;
    sessionAbsoluteTtlMs: number;
    sessionIdleTtlMs: number;
    passwordMinLength: number;
  };
  /** Session assertions: claims, lifetime and key rotation. */
  assertions: ReturnType<typeof assertionSettings>;
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
  limits: LimitPolicy;
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
  const rotation = rotationProblem(v);
  if (rotation) throw new ConfigError("SESSION_KEY_ROTATION", rotation);
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
      deviceTokensPerAccount: v.DEVICE_TOKENS_PER_ACCOUNT,
      sessionAbsoluteTtlMs: v.SESSION_TTL,
      sessionIdleTtlMs: v.SESSION_IDLE_TTL,
      passwordMinLength: v.PASSWORD_MIN_LENGTH,
    },
    assertions: assertionSettings(v),
    argon2: {
      memoryKiB: v.ARGON2_MEMORY_KIB,
      timeCost: v.ARGON2_TIME_COST,
      parallelism: v.ARGON2_PARALLELISM,
    },
    http: httpLimits(v),
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
    hashing: hashingLimits(v),
    limits: limitPolicy(v),
  };
}
