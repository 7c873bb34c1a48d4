import { availableParallelism } from "node:os";
import { z } from "zod";
import { PASSWORD_MIN_LENGTH } from "../core/domain/password-policy.js";
import { duration, flag, integer } from "./values.js";

/** Accounts, tokens, sessions and device trust; passwords and their hashing. */
export const ACCOUNTS = z.object({
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
  DEVICE_TOKENS_PER_ACCOUNT: integer(1, 1_000).prefault("20").meta({
    description: "Device tokens kept per account; a login beyond it drops the oldest.",
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
});

const defaultHashConcurrency = Math.min(4, availableParallelism());

/** Hashes in flight and queued: HASH_CONCURRENCY (default: the cores, at most 4) and HASH_QUEUE (default: twice that). */
export function hashingLimits(v: z.output<typeof ACCOUNTS>) {
  const maxInFlight = v.HASH_CONCURRENCY ?? defaultHashConcurrency;
  return {
    maxInFlight,
    maxQueued: v.HASH_QUEUE ?? 2 * maxInFlight,
    threadNice: v.HASH_THREAD_NICE,
  };
}
