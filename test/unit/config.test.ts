import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/index.js";

const errorOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    return error instanceof ConfigError ? error.message : `unexpected: ${String(error)}`;
  }
  return "loaded";
};

describe("config", () => {
  it("has working defaults for development", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 50051,
      env: "development",
      secretKeyGenerated: true,
    });
    expect(config.accounts).toEqual({
      requireVerifiedEmail: true,
      verificationTtlMs: 86_400_000,
      resetTtlMs: 3_600_000,
      deviceTokenTtlMs: 180 * 86_400_000,
      deviceTokenMaxFailures: 5,
      deviceTokensPerAccount: 20,
      sessionAbsoluteTtlMs: 30 * 86_400_000,
      sessionIdleTtlMs: 7 * 86_400_000,
      passwordMinLength: 12,
    });
    expect(config.argon2).toEqual({ memoryKiB: 19_456, timeCost: 2, parallelism: 1 });
  });

  it("parses durations, flags and numbers", () => {
    const config = loadConfig({
      SESSION_TTL: "90m",
      REQUIRE_VERIFIED_EMAIL: "false",
      PORT: "8080",
    });
    expect(config.accounts.sessionAbsoluteTtlMs).toBe(90 * 60_000);
    expect(config.accounts.requireVerifiedEmail).toBe(false);
    expect(config.port).toBe(8080);
  });

  it.each([
    [{ PORT: "http" }, /^config: PORT .*"http"/],
    [{ PORT: "70000" }, /^config: PORT /],
    [{ SESSION_TTL: "forever" }, /^config: SESSION_TTL must be a duration/],
    [
      { VERIFY_URL_TEMPLATE: "https://example.com/verify" },
      /^config: VERIFY_URL_TEMPLATE must contain \{token\}/,
    ],
    [{ LOG_LEVEL: "loud" }, /^config: LOG_LEVEL /],
    [{ DEVICE_TOKEN_FAILURES: "0" }, /^config: DEVICE_TOKEN_FAILURES must be at least 1 /],
    [{ PASSWORD_MIN_LENGTH: "7" }, /^config: PASSWORD_MIN_LENGTH must be at least 8 /],
    [{ PASSWORD_MIN_LENGTH: "65" }, /^config: PASSWORD_MIN_LENGTH must be at most 64 /],
    [{ NODE_ENV: "production" }, /^config: SECRET_KEY is required when NODE_ENV=production$/],
    [
      { NODE_ENV: "production", SECRET_KEY: "x".repeat(32) },
      /^config: API_KEYS is required when NODE_ENV=production$/,
    ],
    [
      { API_KEYS: "web=short:accounts" },
      /^config: API_KEYS entry 1: web needs a key of at least 24/,
    ],
    [{ API_KEYS: `web=sha256:abc:accounts` }, /^config: API_KEYS entry 1: web needs a key/],
    [
      { API_KEYS: `${"k".repeat(24)},${"j".repeat(24)}` },
      /^config: API_KEYS entry 1: must be name=key:scope\[,scope...\] entries separated by ';'.*bare keys/,
    ],
    [
      { API_KEYS: `web=${"k".repeat(24)}:accounts,root` },
      /^config: API_KEYS entry 1: web has an unknown scope "root"/,
    ],
    [
      { API_KEYS: `web=${"k".repeat(24)}:accounts;web=${"j".repeat(24)}:admin` },
      /^config: API_KEYS entry 2: name "web" is used twice$/,
    ],
    [
      { API_KEYS: `web=${"k".repeat(24)}:accounts;ops=${"k".repeat(24)}:admin` },
      /^config: API_KEYS entry 2: ops repeats another entry's key$/,
    ],
    [
      { API_KEYS: `Web Site=${"k".repeat(24)}:accounts` },
      /^config: API_KEYS entry 1: name must be/,
    ],
    [{ LIMIT_LOGIN_IP: "lots" }, /^config: LIMIT_LOGIN_IP must look like 10\/1m/],
    [{ TLS_CERT_FILE: "/tmp/cert.pem" }, /^config: TLS_KEY_FILE must be set together/],
    [{ TLS_CLIENT_CA_FILE: "/tmp/ca.pem" }, /^config: TLS_CLIENT_CA_FILE needs TLS_CERT_FILE/],
    [
      { CORS_ORIGINS: "https://app.example.com/" },
      /^config: CORS_ORIGINS entries must be exact origins/,
    ],
    [{ CORS_ORIGINS: "app.example.com" }, /^config: CORS_ORIGINS entries must be exact origins/],
    [
      {
        NODE_ENV: "production",
        SECRET_KEY: "x".repeat(32),
        API_KEYS: `web=${"k".repeat(24)}:accounts`,
        SMTP_HOST: "mx",
        CORS_ORIGINS: "*",
      },
      /^config: CORS_ORIGINS cannot be \* when NODE_ENV=production/,
    ],
  ])("names the bad variable in one line: %j", (env, pattern) => {
    const message = errorOf(env);
    expect(message).toMatch(pattern);
    expect(message).not.toContain("\n");
  });

  it("parses budgets, and API keys into names, scopes and digests only", () => {
    const config = loadConfig({
      LIMIT_MAIL_EMAIL: "3/2h",
      API_KEYS: ` web=${"k".repeat(23)}=:accounts, client-ip ; ops=sha256:${"AB".repeat(32)}:admin;`,
    });
    expect(config.limits.budgets.mail_email).toEqual({ points: 3, durationMs: 7_200_000 });
    expect(config.apiKeys.map((k) => [k.name, [...k.scopes], k.digest.toString("hex")])).toEqual([
      [
        "web",
        ["accounts", "client-ip"],
        createHash("sha256")
          .update(`${"k".repeat(23)}=`)
          .digest("hex"),
      ],
      ["ops", ["admin"], "ab".repeat(32)],
    ]);
    expect(JSON.stringify(config)).not.toContain("k".repeat(23));
  });

  it("never echoes an API key in a config error", () => {
    const secret = "s3cret-key-that-must-not-leak";
    for (const API_KEYS of [
      secret,
      `web=${secret}:everything`,
      `web=${secret};`,
      `=${secret}:accounts`,
      `web=a:${secret}`,
      `web=${secret}:`,
    ]) {
      const message = errorOf({ API_KEYS });
      expect(message).toMatch(/^config: API_KEYS entry 1: /);
      expect(message).not.toContain(secret.slice(0, 8));
    }
  });

  it("keeps CORS off by default and reads exact origins (or * outside production)", () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(
      loadConfig({ CORS_ORIGINS: "https://app.example.com, http://127.0.0.1:5173" }).corsOrigins,
    ).toEqual(["https://app.example.com", "http://127.0.0.1:5173"]);
    expect(loadConfig({ CORS_ORIGINS: "*" }).corsOrigins).toEqual(["*"]);
  });

  it("never echoes the secret key back", () => {
    expect(errorOf({ SECRET_KEY: "short-secret" })).toBe(
      "config: SECRET_KEY must be at least 32 characters",
    );
  });
});

describe("session assertion config", () => {
  it("defaults: issuer userharbor, no audience, 300 s lifetime, keys rotating weekly", () => {
    expect(loadConfig({}).assertions).toEqual({
      issuer: "userharbor",
      audience: undefined,
      ttlMs: 300_000,
      rotationMs: 7 * 86_400_000,
    });
  });

  it("reads issuer, audience, lifetime and rotation", () => {
    expect(
      loadConfig({
        ASSERTION_ISSUER: "https://accounts.example.com",
        ASSERTION_AUDIENCE: "shop",
        SESSION_ASSERTION_TTL: "1h",
        SESSION_KEY_ROTATION: "2h",
      }).assertions,
    ).toEqual({
      issuer: "https://accounts.example.com",
      audience: "shop",
      ttlMs: 3_600_000,
      rotationMs: 7_200_000,
    });
  });

  it.each([
    [{ SESSION_ASSERTION_TTL: "29s" }, /^config: SESSION_ASSERTION_TTL must be between 30s and 1h/],
    [{ SESSION_ASSERTION_TTL: "61m" }, /^config: SESSION_ASSERTION_TTL must be between 30s and 1h/],
    [{ SESSION_KEY_ROTATION: "59m" }, /^config: SESSION_KEY_ROTATION must be at least 1h/],
    // A retired key stays published one period: rotation must cover twice the lifetime.
    [
      { SESSION_ASSERTION_TTL: "40m", SESSION_KEY_ROTATION: "1h" },
      /^config: SESSION_KEY_ROTATION must be at least 2 x SESSION_ASSERTION_TTL \(4800s\)$/,
    ],
    [{ ASSERTION_ISSUER: "x".repeat(257) }, /^config: ASSERTION_ISSUER /],
  ])("refuses %o", (env, message) => {
    expect(errorOf(env)).toMatch(message);
  });

  it("accepts the edges: 30 s and 1 h lifetimes, a 2 h rotation for a 1 h lifetime", () => {
    expect(errorOf({ SESSION_ASSERTION_TTL: "30s", SESSION_KEY_ROTATION: "1h" })).toBe("loaded");
    expect(errorOf({ SESSION_ASSERTION_TTL: "3600s", SESSION_KEY_ROTATION: "2h" })).toBe("loaded");
  });
});
