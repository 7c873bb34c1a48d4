import { randomBytes } from "node:crypto";
import { z } from "zod";

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

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
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
    doc: "production makes SECRET_KEY mandatory.",
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
  SHUTDOWN_TIMEOUT: {
    schema: duration,
    default: "10s",
    doc: "How long SIGTERM waits for in-flight RPCs.",
  },
} satisfies Record<string, Variable>;

type Name = keyof typeof VARIABLES;
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
      const shown = name === "SECRET_KEY" ? "" : ` (got ${JSON.stringify(raw.slice(0, 80))})`;
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
    devMailboxFile: string | undefined;
    maxAttempts: number;
    backoffMs: number;
  };
  shutdownTimeoutMs: number;
}

/** Throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const v = read(env);
  const mode = v.NODE_ENV ?? "development";
  if (mode === "production" && !v.SECRET_KEY) {
    throw new ConfigError("SECRET_KEY", "is required when NODE_ENV=production");
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
      devMailboxFile: v.DEV_MAILBOX_FILE,
      maxAttempts: need(v.MAIL_MAX_ATTEMPTS),
      backoffMs: need(v.MAIL_RETRY_BACKOFF),
    },
    shutdownTimeoutMs: need(v.SHUTDOWN_TIMEOUT),
  };
}
