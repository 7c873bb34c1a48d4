import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MemoryLimits } from "../adapters/storage/memory/limits.js";
import { TokenHasher } from "./domain/tokens.js";
import { AccountError } from "./errors.js";
import {
  accountLimitKey,
  confirmationLocks,
  ipKey,
  type LimitPolicy,
  Limits,
  lockDuration,
  loginLocks,
} from "./limits.js";
import type { AuditEvent } from "./ports/audit-log.js";
import type { Counter, LimitStore, Lock } from "./ports/limit-store.js";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const OPEN = { points: 1_000_000, durationMs: MINUTE };

/** The policy on a clock only the test moves, over the memory counters. */
function limitsWorld(overrides: Partial<LimitPolicy["budgets"]> = {}) {
  let now = Date.UTC(2030, 0, 1);
  const policy: LimitPolicy = {
    budgets: {
      login_ip: OPEN,
      login_account: OPEN,
      login_device: OPEN,
      register_ip: OPEN,
      mail_ip: OPEN,
      mail_email: OPEN,
      mail_sent: OPEN,
      ...overrides,
    },
    lockout: {
      windowMs: HOUR,
      baseMs: 30 * SECOND,
      rules: {
        account: { threshold: 4, maxMs: 2 * MINUTE },
        account_client: { threshold: 2, maxMs: 10 * MINUTE },
        session: { threshold: 2, maxMs: 10 * MINUTE },
        account_sessions: { threshold: 4, maxMs: 2 * MINUTE },
      },
    },
  };
  const store = new MemoryLimits();
  const keys: string[] = [];
  const recording: LimitStore = {
    increment: (key, at, windowMs): Promise<Counter> => {
      keys.push(key);
      return store.increment(key, at, windowMs);
    },
    reset: (key) => store.reset(key),
    claim: (key, at, expiresAt) => store.claim(key, at, expiresAt),
    lock: (key, lock: Lock) => store.lock(key, lock),
    lockOn: (key, at) => store.lockOn(key, at),
  };
  const limits = new Limits(
    recording,
    policy,
    { now: () => new Date(now) },
    new TokenHasher(randomBytes(32)),
  );
  const audit: AuditEvent[] = [];
  return {
    limits,
    keys,
    audit: { emit: (event: AuditEvent) => void audit.push(event) },
    events: audit,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("budgets", () => {
  it("allow `points` per window from the first request, then say how long to wait", async () => {
    const w = limitsWorld({ register_ip: { points: 2, durationMs: MINUTE } });
    expect(await w.limits.spend("register_ip", "192.0.2.1")).toBe(0);
    w.advance(10 * SECOND);
    expect(await w.limits.spend("register_ip", "192.0.2.1")).toBe(0);
    expect(await w.limits.spend("register_ip", "192.0.2.1")).toBe(50 * SECOND);
    expect(await w.limits.spend("register_ip", "192.0.2.2")).toBe(0);
    w.advance(50 * SECOND);
    expect(await w.limits.spend("register_ip", "192.0.2.1")).toBe(0);
  });

  it("count IPv6 clients per /64, so rotating addresses inside one buys nothing", async () => {
    expect(ipKey("2001:db8:1:2::7")).toBe("2001:db8:1:2::/64");
    expect(ipKey("2001:0db8:0001:0002:ffff::1")).toBe("2001:db8:1:2::/64");
    expect(ipKey("::ffff:192.0.2.9")).toBe("192.0.2.9");
    const w = limitsWorld({ login_ip: { points: 1, durationMs: MINUTE } });
    expect(await w.limits.spend("login_ip", "2001:db8:1:2::1")).toBe(0);
    expect(await w.limits.spend("login_ip", "2001:db8:1:2:ffff::9")).toBeGreaterThan(0);
    expect(await w.limits.spend("login_ip", "2001:db8:1:3::1")).toBe(0);
  });

  it("mail_email counts an address per requester: one requester's budget is not the next one's", async () => {
    const w = limitsWorld({ mail_email: { points: 1, durationMs: HOUR } });
    expect(await w.limits.spend("mail_email", "jane@example.com", "198.51.100.1")).toBe(0);
    expect(await w.limits.spend("mail_email", "jane@example.com", "198.51.100.1")).toBeGreaterThan(
      0,
    );
    expect(await w.limits.spend("mail_email", "jane@example.com", "192.0.2.50")).toBe(0);
  });

  it("enforce: RATE_LIMITED with the longest wait, and an audit line naming the budget", async () => {
    const w = limitsWorld({
      login_ip: { points: 1, durationMs: 10 * SECOND },
      login_account: { points: 1, durationMs: MINUTE },
    });
    const budgets = [
      ["login_ip", "192.0.2.1"],
      ["login_account", "account:a"],
    ] as const;
    await w.limits.enforce(w.audit, "192.0.2.1", budgets);
    const error = await w.limits.enforce(w.audit, "192.0.2.1", budgets).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccountError);
    expect(error).toMatchObject({ reason: "RATE_LIMITED", retryAfterMs: MINUTE });
    expect(w.events).toEqual([
      {
        type: "request.rate_limited",
        limit: "login_account",
        ip: "192.0.2.1",
        retryAfterMs: MINUTE,
      },
    ]);
  });

  it("store keys name the limit, never the subject", async () => {
    const w = limitsWorld();
    await w.limits.spend("mail_email", "jane@example.com", "198.51.100.1");
    await w.limits.failed(loginLocks(accountLimitKey(null, "Jane"), "198.51.100.1"));
    for (const key of w.keys) {
      expect(key).toMatch(/^[a-z_]+:[A-Za-z0-9_-]{43}$/);
      expect(key).not.toMatch(/jane|198\.51/i);
    }
  });
});

describe("locks", () => {
  it("double from the base with each lock, up to the cap", () => {
    const rule = { threshold: 5, maxMs: 5 * MINUTE };
    expect([1, 2, 3, 4, 5, 6].map((level) => lockDuration(30 * SECOND, rule, level))).toEqual([
      30 * SECOND,
      MINUTE,
      2 * MINUTE,
      4 * MINUTE,
      5 * MINUTE,
      5 * MINUTE,
    ]);
  });

  it("start at every full threshold of failures; one failure after a lock ends starts nothing", async () => {
    const w = limitsWorld();
    const locks = loginLocks("account:a", "192.0.2.1"); // client threshold 2, account 4
    expect(await w.limits.failed(locks)).toBe(0);
    expect(await w.limits.failed(locks)).toBe(30 * SECOND); // the client's first lock
    expect(await w.limits.lockedFor(locks)).toBe(30 * SECOND);
    w.advance(30 * SECOND);
    expect(await w.limits.lockedFor(locks)).toBe(0);
    expect(await w.limits.failed(locks)).toBe(0); // re-arming costs a full budget
    expect(await w.limits.lockedFor(locks)).toBe(0);
    // The 4th failure: the client's second lock (doubled) and the account's first.
    expect(await w.limits.failed(locks)).toBe(MINUTE);
    expect(await w.limits.lockedFor([{ lock: "account", subject: "account:a" }])).toBe(30 * SECOND);
    expect(await w.limits.lockedFor(locks)).toBe(MINUTE);
  });

  it("forget the counts and the doubling when the window ends", async () => {
    const w = limitsWorld();
    const locks = loginLocks("account:b", "192.0.2.2");
    for (let i = 0; i < 3; i++) await w.limits.failed(locks);
    expect(await w.limits.failed(locks)).toBe(MINUTE);
    w.advance(HOUR);
    await w.limits.failed(locks);
    expect(await w.limits.failed(locks)).toBe(30 * SECOND);
  });

  it("of concurrent failures crossing a threshold, exactly one starts the lock", async () => {
    const w = limitsWorld();
    const locks = loginLocks("account:c", "192.0.2.3");
    const started = await Promise.all(Array.from({ length: 2 }, () => w.limits.failed(locks)));
    expect(started.filter((ms) => ms > 0)).toEqual([30 * SECOND]);
  });

  it("a success forgives this client's or session's failures, never the account-wide ones", async () => {
    const w = limitsWorld();
    const login = loginLocks("account:d", "192.0.2.4");
    for (let i = 0; i < 3; i++) {
      await w.limits.failed(login);
      await w.limits.succeeded(login);
    }
    // Three failures, each forgiven for the client: no client lock. The account's fourth locks it.
    expect(await w.limits.failed(login)).toBe(30 * SECOND);
    expect(await w.limits.lockedFor([{ lock: "account", subject: "account:d" }])).toBe(30 * SECOND);

    const confirm = confirmationLocks("account-id", "session-1");
    await w.limits.failed(confirm);
    await w.limits.succeeded(confirm);
    expect(await w.limits.failed(confirm)).toBe(0); // the session's count started over
  });

  it("keep the login locks and a session's confirmation locks apart", async () => {
    const w = limitsWorld();
    for (let i = 0; i < 4; i++) await w.limits.failed(loginLocks("account:e", `203.0.113.${i}`));
    expect(await w.limits.lockedFor(loginLocks("account:e", "192.0.2.9"))).toBeGreaterThan(0);
    expect(await w.limits.lockedFor(confirmationLocks("e", "session-e"))).toBe(0);
  });
});
