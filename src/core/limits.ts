import type { TokenHasher } from "./domain/tokens.js";
import { AccountError } from "./errors.js";
import type { AuditLog } from "./ports/audit-log.js";
import type { Clock } from "./ports/clock.js";
import type { LimitStore } from "./ports/limit-store.js";

/**
 * Every rate limit and lock in one place: the budgets, which key each one
 * counts under, and how locks start and grow. The store only keeps counters
 * (ports/limit-store.ts); time is the core's clock. Why each limit exists and
 * what an outsider can do with it: SECURITY.md, "Limits and lockout".
 */

/** Request budgets: `points` requests per window, per key. */
export type BudgetName =
  | "login_ip"
  | "login_account"
  /** Logins presenting a trusted device token: limited per device instead of per account. */
  | "login_device"
  | "register_ip"
  | "mail_ip"
  /** Mail RPCs naming one address from one client address: an outsider's budget, never the owner's. */
  | "mail_email"
  /** Mail actually queued to one address: beyond it mail is held back and the answer stays OK. */
  | "mail_sent";

/**
 * Locks that failed password checks start:
 * - `account`: logins of an account from anywhere (a trusted device is exempt);
 * - `account_client`: logins of an account from one client address block;
 * - `session`: password confirmations inside one session (ChangePassword, ChangeEmail, DeleteAccount);
 * - `account_sessions`: those confirmations across all sessions of an account.
 * An outsider without a session can spend only the first two; the owner's own
 * session answers to the last two alone.
 */
export type LockName = "account" | "account_client" | "session" | "account_sessions";

/** `points` requests per `durationMs`, the window starting at the first. */
export interface Budget {
  points: number;
  durationMs: number;
}

/** After every `threshold` failures a lock starts; it never lasts more than `maxMs`. */
export interface LockRule {
  threshold: number;
  maxMs: number;
}

export interface LimitPolicy {
  budgets: Record<BudgetName, Budget>;
  lockout: {
    /** Failures are remembered this long from the first; then counts and doubling start over. */
    windowMs: number;
    /** The first lock; each further one (a full threshold of failures later) doubles. */
    baseMs: number;
    rules: Record<LockName, LockRule>;
  };
}

/** A lock to check or to count a failure against: which one, and whose. */
export interface LockKey {
  lock: LockName;
  subject: string;
}

/**
 * The key per-IP limits count under. IPv6 clients are counted per /64, the
 * block a single subscriber usually holds, so rotating addresses inside it
 * does not buy more attempts.
 */
export function ipKey(ip: string): string {
  if (!ip.includes(":")) return ip;
  if (ip.includes(".")) return ip.slice(ip.lastIndexOf(":") + 1); // IPv4-mapped
  const [head = "", tail] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/**
 * Which budget and locks a login counts against: the account once the name
 * resolves, so its username and email share one; otherwise the normalised
 * name, so unknown names are limited like known ones. The two forms cannot
 * collide. The account is named by its permanent id, so a deleted and
 * re-registered username starts clean.
 */
export function accountLimitKey(account: { id: string } | null, typed: string): string {
  return account ? `account:${account.id}` : `name:${typed.toLowerCase().slice(0, 256)}`;
}

/** A login's locks: the account from anywhere, and the account from this client's address block. */
export function loginLocks(accountKey: string, ip: string): LockKey[] {
  return [
    { lock: "account", subject: accountKey },
    { lock: "account_client", subject: `${accountKey}|${ipKey(ip)}` },
  ];
}

/** A password confirmation's locks: this session, and the account's sessions together. */
export function confirmationLocks(accountId: string, sessionId: string): LockKey[] {
  return [
    { lock: "session", subject: sessionId },
    { lock: "account_sessions", subject: accountId },
  ];
}

/** Per-IP budgets count the address block; `mail_email` counts an address per requester. */
function budgetSubject(budget: BudgetName, subject: string, ip: string): string {
  if (budget.endsWith("_ip")) return ipKey(subject);
  if (budget === "mail_email") return `${subject}|${ipKey(ip)}`;
  return subject;
}

/** The `level`-th lock under `rule`: base, doubling per level, capped. */
export function lockDuration(baseMs: number, rule: LockRule, level: number): number {
  return Math.min(rule.maxMs, baseMs * 2 ** Math.max(0, level - 1));
}

export class Limits {
  readonly #store: LimitStore;
  readonly #policy: LimitPolicy;
  readonly #clock: Clock;
  readonly #keyed: TokenHasher;

  /** `keyed` hashes every key before the store sees it: counters name no one. */
  constructor(store: LimitStore, policy: LimitPolicy, clock: Clock, keyed: TokenHasher) {
    this.#store = store;
    this.#policy = policy;
    this.#clock = clock;
    this.#keyed = keyed;
  }

  /** The stored key: the limit's name in clear, the subject only as an HMAC. */
  #key(name: string, subject: string): string {
    return `${name}:${this.#keyed.hash(`${name}|${subject}`)}`;
  }

  /** Counts one request against `budget`; returns how long to wait (ms) when over it, else 0. */
  async spend(budget: BudgetName, subject: string, ip = ""): Promise<number> {
    const { points, durationMs } = this.#policy.budgets[budget];
    const now = this.#clock.now();
    const key = this.#key(budget, budgetSubject(budget, subject, ip));
    const counter = await guard(this.#store.increment(key, now, durationMs));
    return counter.count <= points ? 0 : Math.max(1, counter.resetAt.getTime() - now.getTime());
  }

  /**
   * Counts the request against each budget; over any of them, RATE_LIMITED with
   * the longest wait as RetryInfo (and an audit line naming the budget).
   */
  async enforce(
    audit: AuditLog,
    ip: string,
    budgets: ReadonlyArray<readonly [BudgetName, string]>,
  ): Promise<void> {
    const waits = await Promise.all(budgets.map(([name, key]) => this.spend(name, key, ip)));
    const retryAfterMs = Math.max(0, ...waits);
    if (retryAfterMs === 0) return;
    const limit = budgets[waits.indexOf(retryAfterMs)]?.[0] ?? "login_ip";
    audit.emit({ type: "request.rate_limited", limit, ip, retryAfterMs });
    throw new AccountError("RATE_LIMITED", { retryAfterMs });
  }

  /** How long (ms) the longest of these locks stays on; 0 when all are off. */
  async lockedFor(locks: readonly LockKey[]): Promise<number> {
    const now = this.#clock.now();
    const on = await guard(
      Promise.all(
        locks.map(({ lock, subject }) =>
          this.#store.lockOn(this.#key(`lock_${lock}`, subject), now),
        ),
      ),
    );
    return Math.max(0, ...on.map((l) => (l ? Math.max(1, l.until.getTime() - now.getTime()) : 0)));
  }

  /**
   * Counts a failed password check against each lock. Every full threshold of
   * failures within the window starts the next lock, twice as long as the one
   * before (up to the cap): re-locking costs a full new budget, and failures
   * refused while locked do not count. Returns the longest lock started (ms), or 0.
   */
  async failed(locks: readonly LockKey[]): Promise<number> {
    const { windowMs, baseMs, rules } = this.#policy.lockout;
    const now = this.#clock.now();
    const started = await guard(
      Promise.all(
        locks.map(async ({ lock, subject }) => {
          const rule = rules[lock];
          const failures = await this.#store.increment(
            this.#key(`failures_${lock}`, subject),
            now,
            windowMs,
          );
          // The n-th full threshold of failures in this window starts the n-th lock,
          // once: whoever claims the level starts it, later failures below the next
          // multiple start nothing.
          const level = Math.floor(failures.count / rule.threshold);
          const lockKey = this.#key(`lock_${lock}`, subject);
          const claim = `${lockKey}#${level}@${failures.resetAt.getTime()}`;
          if (level === 0 || !(await this.#store.claim(claim, now, failures.resetAt))) return 0;
          const ms = lockDuration(baseMs, rule, level);
          await this.#store.lock(lockKey, { until: new Date(now.getTime() + ms), level });
          return ms;
        }),
      ),
    );
    return Math.max(0, ...started);
  }

  /**
   * A right password forgets the failures of this client (its address block, or
   * its session). The account-wide counts stay: they are what an attacker
   * spends, and a success of the owner must not refill the attacker's budget.
   */
  async succeeded(locks: readonly LockKey[]): Promise<void> {
    await guard(
      Promise.all(
        locks
          .filter(({ lock }) => FORGIVEN_ON_SUCCESS.has(lock))
          .map(({ lock, subject }) => this.#store.reset(this.#key(`failures_${lock}`, subject))),
      ),
    );
  }
}

const FORGIVEN_ON_SUCCESS: ReadonlySet<LockName> = new Set(["account_client", "session"]);

/** Counter storage failing is the store being down: the same answer as any store outage. */
async function guard<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AccountError) throw error;
    throw new AccountError("STORE_UNAVAILABLE", { cause: error });
  }
}
