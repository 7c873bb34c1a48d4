import { z } from "zod";
import { MIN_KEY_ROTATION_MS } from "../core/domain/session-keys.js";
import { duration } from "./values.js";

/** Session assertions: their claims, lifetime and signing-key rotation (issue 28). */
export const ASSERTIONS = z.object({
  ASSERTION_ISSUER: z.string().min(1).max(256).default("userharbor").meta({
    description: "`iss` claim of session assertions; verifiers check it.",
  }),
  ASSERTION_AUDIENCE: z.string().min(1).max(256).optional().meta({
    description:
      "`aud` claim of session assertions (verifiers then require it). Unset: no `aud` claim.",
  }),
  SESSION_ASSERTION_TTL: duration
    .refine((ms) => ms >= 30_000 && ms <= 3_600_000, "must be between 30s and 1h")
    .prefault("300s")
    .meta({
      description:
        "Lifetime of a session assertion (never past its session's expiry): how long a revoked session may still pass a backend's local check.",
    }),
  SESSION_KEY_ROTATION: duration
    .refine((ms) => ms >= MIN_KEY_ROTATION_MS, "must be at least 1h")
    .prefault("7d")
    .meta({
      description:
        "Period of the assertion signing keys (derived from SECRET_KEY); at least 1h and 2 x SESSION_ASSERTION_TTL. Changing it (or SECRET_KEY) makes outstanding assertions unverifiable: backends fall back to VerifySession.",
    }),
});

/**
 * Why the rotation is too short for the lifetime, or undefined: a retired key
 * stays published one period, so every assertion it signed must expire by then
 * (twice the lifetime leaves room for clock skew between replicas and verifiers).
 */
export function rotationProblem(v: z.output<typeof ASSERTIONS>): string | undefined {
  return v.SESSION_KEY_ROTATION < 2 * v.SESSION_ASSERTION_TTL
    ? `must be at least 2 x SESSION_ASSERTION_TTL (${(2 * v.SESSION_ASSERTION_TTL) / 1000}s)`
    : undefined;
}

/** The assertion settings the server builds its key ring and signer from. */
export function assertionSettings(v: z.output<typeof ASSERTIONS>) {
  return {
    issuer: v.ASSERTION_ISSUER,
    audience: v.ASSERTION_AUDIENCE,
    ttlMs: v.SESSION_ASSERTION_TTL,
    rotationMs: v.SESSION_KEY_ROTATION,
  };
}
