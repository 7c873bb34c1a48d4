import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULTS, ENVIRONMENT, listenerAddress } from "../../src/config/index.js";

describe("config schema", () => {
  it("describes every variable", () => {
    for (const [name, schema] of Object.entries(ENVIRONMENT.shape)) {
      expect(schema.meta()?.description, name).toMatch(/\S{3}/);
    }
  });

  it("parses each default through the variable's own schema", () => {
    expect(DEFAULTS).toMatchObject({
      PORT: 50051,
      MONGODB_TIMEOUT: 2_000,
      MONGODB_TRANSACTIONS: "required",
      MAIL_RETRY_BACKOFF: 2_000,
      LIMIT_LOGIN_IP: { points: 100, durationMs: 60_000 },
      REQUIRE_VERIFIED_EMAIL: true,
    });
    expect(DEFAULTS.MONGODB_URI).toBeUndefined();
  });

  it("gives the healthcheck the server's listen address, defaults included", () => {
    expect(listenerAddress({})).toEqual({ host: "127.0.0.1", port: 50051, tls: false });
    expect(listenerAddress({ HOST: "::1", PORT: "8443", TLS_CERT_FILE: "/etc/cert.pem" })).toEqual({
      host: "::1",
      port: 8443,
      tls: true,
    });
    expect(listenerAddress({ PORT: "", TLS_CERT_FILE: "" })).toEqual({
      host: "127.0.0.1",
      port: 50051,
      tls: false,
    });
  });

  it("checks only the listener's variables for the healthcheck, naming a bad one in one line", () => {
    expect(listenerAddress({ SESSION_TTL: "forever", NODE_ENV: "production" }).port).toBe(50051);
    expect(() => listenerAddress({ PORT: "http" })).toThrow(ConfigError);
    expect(() => listenerAddress({ PORT: "http" })).toThrow(
      /^config: PORT must be a whole number \(got "http"\)$/,
    );
  });
});
