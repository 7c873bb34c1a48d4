import type { MongoClient } from "mongodb";
import {
  type IRateLimiterOptions,
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterMongo,
  RateLimiterRes,
} from "rate-limiter-flexible";
import { TokenHasher } from "../../core/domain/tokens.js";
import { AccountError } from "../../core/errors.js";
import type { LimitName, LockKeys, Throttle } from "../../core/ports/throttle.js";

/** `points` requests per `durationMs`, counted in a fixed window from the first one. */
export interface Budget {
  points: number;
  durationMs: number;
}

/**
 * Lockout: after `threshold` failures within `windowMs`, each further failure
 * locks for `baseMs`, doubling per failure, never beyond `maxMs`. The cap and
 * the window are what keep an attacker from locking a user out for good.
 */
export interface LockoutScope {
  threshold: number;
  maxMs: number;
}

export interface ThrottlePolicy {
  limits: Record<LimitName, Budget>;
  lockout: { windowMs: number; baseMs: number; account: LockoutScope; accountFromIp: LockoutScope };
}

/** Where counters live: this process, or a MongoDB collection every replica shares. */
export type ThrottleBackend =
  | { kind: "memory" }
  | { kind: "mongodb"; client: MongoClient; dbName: string };

export const RATE_LIMITS_COLLECTION = "rate_limits";

/**
 * The Throttle port on rate-limiter-flexible, a maintained limiter with memory
 * and MongoDB backends (atomic upserts; TTL index on `expire`). Every key is
 * replaced by HMAC-SHA256(`keySecret`, key) before the limiter sees it: the
 * counters hold no email, IP or password pasted into a username field, and
 * without the secret the names cannot be recovered by guessing.
 */
export function createThrottle(
  backend: ThrottleBackend,
  policy: ThrottlePolicy,
  keySecret: Buffer,
): Throttle {
  if (keySecret.length < 32) throw new Error("limit keying secret must be at least 32 bytes");
  // The same HMAC-SHA256 the stores' token hashes use, under this key.
  const keyed = new TokenHasher(keySecret);
  const pseudonymous = (keys: LockKeys): LockKeys => ({
    account: keyed.hash(keys.account),
    accountFromIp: keyed.hash(keys.accountFromIp),
  });
  const limiter = (keyPrefix: string, points: number, durationMs: number): RateLimiterAbstract => {
    const options: IRateLimiterOptions = {
      keyPrefix,
      points,
      duration: Math.ceil(durationMs / 1000),
    };
    return backend.kind === "memory"
      ? new RateLimiterMemory(options)
      : new RateLimiterMongo({
          ...options,
          storeClient: backend.client,
          dbName: backend.dbName,
          tableName: RATE_LIMITS_COLLECTION,
          // The store creates this collection's indexes with all the others.
          disableIndexesCreation: true,
        });
  };
  const limits = Object.fromEntries(
    Object.entries(policy.limits).map(([name, budget]) => [
      name,
      limiter(name, budget.points, budget.durationMs),
    ]),
  ) as Record<LimitName, RateLimiterAbstract>;
  const { lockout } = policy;
  const scopes = (["account", "accountFromIp"] as const).map((scope) => ({
    scope,
    rule: lockout[scope],
    failures: limiter(`failures_${scope}`, Number.MAX_SAFE_INTEGER, lockout.windowMs),
    locks: limiter(`lock_${scope}`, 1, lockout.windowMs),
  }));

  return {
    async hit(limit, key) {
      try {
        await limits[limit].consume(keyed.hash(key));
        return 0;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return Math.max(1, rejection.msBeforeNext);
        throw unavailable(rejection);
      }
    },

    async lockedFor(typed) {
      const keys = pseudonymous(typed);
      const waits = await guard(
        Promise.all(
          scopes.map(async ({ scope, locks }) => {
            const state = await locks.get(keys[scope]);
            return state && state.consumedPoints > 1 ? Math.max(1, state.msBeforeNext) : 0;
          }),
        ),
      );
      return Math.max(0, ...waits);
    },

    async loginFailed(typed) {
      const keys = pseudonymous(typed);
      const started = await guard(
        Promise.all(
          scopes.map(async ({ scope, rule, failures, locks }) => {
            const { consumedPoints } = await failures.consume(keys[scope]);
            if (consumedPoints < rule.threshold) return 0;
            const lockMs = Math.min(
              rule.maxMs,
              lockout.baseMs * 2 ** (consumedPoints - rule.threshold),
            );
            await locks.block(keys[scope], lockMs / 1000);
            return lockMs;
          }),
        ),
      );
      return Math.max(0, ...started);
    },

    async loginSucceeded(typed) {
      const keys = pseudonymous(typed);
      const own = scopes.find((s) => s.scope === "accountFromIp");
      await guard(
        own ? own.failures.delete(keys.accountFromIp).then(() => undefined) : Promise.resolve(),
      );
    },
  };
}

/** Counter storage failing is the store being down: the same answer as any store outage. */
function unavailable(cause: unknown): AccountError {
  return new AccountError("STORE_UNAVAILABLE", { cause });
}

async function guard<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw unavailable(error);
  }
}
