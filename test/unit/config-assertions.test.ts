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
