import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { defaultPace, drainOutbox } from "../../src/adapters/email/outbox-worker.js";
import { MemoryStore } from "../../src/adapters/storage/memory/memory-store.js";
import { type Accounts, createAccounts } from "../../src/core/accounts.js";
import { type Admin, createAdmin } from "../../src/core/admin.js";
import type { AccountContext, ClientInfo } from "../../src/core/context.js";
import type { Account } from "../../src/core/domain/account.js";
import type { DeviceToken } from "../../src/core/domain/device.js";
import type { MailKind, MailMessage } from "../../src/core/domain/mail.js";
import { MailSeal } from "../../src/core/domain/mail-seal.js";
import { PageTokens } from "../../src/core/domain/page-token.js";
import { SessionAssertions } from "../../src/core/domain/session-assertions.js";
import { SessionKeyRing } from "../../src/core/domain/session-keys.js";
import { TokenHasher } from "../../src/core/domain/tokens.js";
import { AccountError, type Reason } from "../../src/core/errors.js";
import { type Budget, type BudgetName, type LimitPolicy, Limits } from "../../src/core/limits.js";
import type { AuditEvent } from "../../src/core/ports/audit-log.js";
import type { Stores } from "../../src/core/ports/store.js";
import { type AccountSettings, sessionTouchInterval } from "../../src/core/settings.js";
import { CapturingMailbox } from "./capturing-mailbox.js";
import { FastHasher } from "./fast-hasher.js";
import type { PortMethod } from "./gated-store.js";
import { ManualClock } from "./manual-clock.js";

/**
 * The core on its own: the flows (`accounts`, and the operators' `admin`) called
 * directly (no server, no network) over a memory store, a manual clock, the fast
 * hasher, the real throttle and a capturing mailbox that the outbox is drained
 * into. One world per test.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const client: ClientInfo = { ip: "198.51.100.7", userAgent: "core-test" };
/** A password every default policy accepts. */
export const PASSWORD = "correct horse battery staple";
export const NEW_PASSWORD = "another horse, another staple";
/** The world's common-password list (the real list is an adapter with its own test). */
export const COMMON_PASSWORD = "password123456";

export const defaultSettings: AccountSettings = {
  verificationTtlMs: DAY,
  resetTtlMs: HOUR,
  sessionAbsoluteTtlMs: 30 * DAY,
  sessionIdleTtlMs: 7 * DAY,
  sessionTouchIntervalMs: sessionTouchInterval(7 * DAY),
  requireVerifiedEmail: true,
  deviceTokenTtlMs: 180 * DAY,
  deviceTokenMaxFailures: 5,
  deviceTokensPerAccount: 20,
  passwordMinLength: 12,
  isCommonPassword: (password) => password.toLowerCase() === COMMON_PASSWORD,
};

/** Budgets wide open unless a test narrows one; lockout off unless a test sets thresholds. */
const OPEN: Budget = { points: 100_000, durationMs: MINUTE };

export interface CoreWorldOptions {
  settings?: Partial<AccountSettings>;
  limits?: Partial<Record<BudgetName, Budget>>;
  /**
   * Failures per lock: per account from one client (and per session), and per
   * account from anywhere (and across its sessions).
   */
  lockout?: { fromClient?: number; account?: number };
}

export interface Person {
  username: string;
  email: string;
  password: string;
  user: Account;
}

const injected = (method: PortMethod) => `${method} failed (injected)`;

let names = 0;
/** A fresh username, unique in the run. */
export const uniqueName = (prefix = "user") => `${prefix}${++names}`;

export function coreWorld(options: CoreWorldOptions = {}) {
  const store = new MemoryStore();
  const clock = new ManualClock(() => Date.UTC(2030, 0, 1)); // frozen: only advance() moves it
  const hasher = new FastHasher();
  const seal = new MailSeal(randomBytes(32));
  const mailbox = new CapturingMailbox();
  const audit: AuditEvent[] = [];
  const settings: AccountSettings = { ...defaultSettings, ...options.settings };
  const fromClient = { threshold: options.lockout?.fromClient ?? 100_000, maxMs: 15 * MINUTE };
  const account = { threshold: options.lockout?.account ?? 100_000, maxMs: 5 * MINUTE };
  const policy: LimitPolicy = {
    budgets: {
      login_ip: OPEN,
      login_account: OPEN,
      login_device: OPEN,
      register_ip: OPEN,
      mail_ip: OPEN,
      mail_email: OPEN,
      mail_sent: OPEN,
      ...options.limits,
    },
    lockout: {
      windowMs: HOUR,
      baseMs: 30_000,
      rules: {
        account,
        account_client: fromClient,
        session: fromClient,
        account_sessions: account,
      },
    },
  };
  let mailQueued = 0;
  let signed = 0;
  const assertions = new SessionAssertions(
    new SessionKeyRing(randomBytes(32), 7 * DAY),
    { issuer: "userharbor", audience: undefined, ttlMs: 5 * MINUTE },
    () => void signed++,
  );
  const ctx: AccountContext = {
    store,
    hasher,
    clock,
    tokens: new TokenHasher(randomBytes(32)),
    seal,
    assertions,
    settings,
    audit: { emit: (event) => void audit.push(event) },
    limits: new Limits(store.limits, policy, clock, new TokenHasher(randomBytes(32))),
    mailQueued: () => void mailQueued++,
  };
  const accounts: Accounts = createAccounts(ctx);
  // As the composition root builds it: the same context plus the page-token key.
  const admin: Admin = createAdmin({ ...ctx, pageTokens: new PageTokens(randomBytes(32)) });

  /** Delivers what the outbox holds into the mailbox (what the worker does after commit). */
  const deliver = () =>
    drainOutbox({
      store: store.outbox,
      sender: mailbox,
      seal,
      clock,
      audit: { emit: () => {} },
      retry: { maxAttempts: 1, backoffMs: 1 },
      pace: defaultPace,
      random: () => 0,
    });

  const world = {
    ctx,
    accounts,
    admin,
    store,
    clock,
    hasher,
    mailbox,
    audit,
    /** How many transactions queued mail so far. */
    mailQueued: () => mailQueued,
    /** How many session assertions were signed so far. */
    signed: () => signed,
    deliver,

    /** Mail delivered so far to `to` (of `kind`), after draining the outbox. */
    async mail<K extends MailKind>(to: string, kind?: K) {
      await deliver();
      return mailbox.sent.filter((m) => m.to === to && (!kind || m.kind === kind)) as Extract<
        MailMessage,
        { kind: K }
      >[];
    },

    /** Runs `action`; returns the token of the one `kind` mail to `to` it caused. */
    async tokenFrom(
      to: string,
      kind: "verification" | "password_reset",
      action: () => Promise<unknown>,
    ): Promise<string> {
      const before = (await world.mail(to, kind)).length;
      await action();
      const after = await world.mail(to, kind);
      expect(after.length, `${kind} mails to ${to}`).toBe(before + 1);
      return (after.at(-1) as { token: string }).token;
    },

    /**
     * Every record (outbox included), each table sorted by key, comparable with
     * toEqual: proves "nothing changed" (a rollback may re-insert in another order).
     */
    async snapshot() {
      const tables = await store.snapshot();
      return Object.fromEntries(
        Object.entries(tables).map(([name, rows]) => [
          name,
          (rows as [unknown, unknown][]).sort(([a], [b]) => String(a).localeCompare(String(b))),
        ]),
      );
    },

    /** A registered, unverified account, and the verification link its registration mailed. */
    async registered(overrides: Partial<Omit<Person, "user">> = {}) {
      const username = overrides.username ?? uniqueName();
      const email = overrides.email ?? `${username}@example.com`;
      const password = overrides.password ?? PASSWORD;
      const earlier = (await world.mail(email, "verification")).length;
      const user = await accounts.register({ username, email, password, client });
      const link = (await world.mail(email, "verification"))[earlier]?.token;
      return { username, email, password, user, link };
    },

    /** A registered account whose email is verified. */
    async verified(overrides: Partial<Omit<Person, "user">> = {}): Promise<Person> {
      const { link, ...person } = await world.registered(overrides);
      if (!link) throw new Error(`registering ${person.email} mailed no verification link`);
      const user = await accounts.verifyEmail({ token: link, client });
      return { ...person, user };
    },

    /** A verified account with a live session. */
    async signedIn(overrides: Partial<Omit<Person, "user">> = {}) {
      const person = await world.verified(overrides);
      const session = await world.login(person);
      return { ...person, session };
    },

    /** Opens one more session for `person`; returns its token. */
    async login(person: { username: string; password: string }, from = client) {
      const { sessionToken } = await accounts.login({
        username: person.username,
        password: person.password,
        client: from,
      });
      return sessionToken;
    },

    /**
     * Unused links of a signed-in account: a reset link to its address and the
     * verification link of a ChangeEmail to a new one. Credential changes kill both.
     */
    async pendingLinks(person: { email: string; password: string; session: string }) {
      const reset = await world.tokenFrom(person.email, "password_reset", () =>
        accounts.sendPasswordReset({ email: person.email, client }),
      );
      const newEmail = `${uniqueName("moved")}@example.com`;
      const verification = await world.tokenFrom(newEmail, "verification", () =>
        accounts.changeEmail({
          sessionToken: person.session,
          password: person.password,
          newEmail,
          client,
        }),
      );
      return { reset, verification, newEmail };
    },

    /** Proves both links dead (INVALID_TOKEN), changing nothing. */
    async expectLinksDead(links: { reset: string; verification: string }) {
      await rejectsUnchanged(
        world,
        () => accounts.verifyEmail({ token: links.verification, client }),
        "INVALID_TOKEN",
      );
      await rejectsUnchanged(
        world,
        () => accounts.resetPassword({ token: links.reset, newPassword: NEW_PASSWORD, client }),
        "INVALID_TOKEN",
      );
    },

    /**
     * From now on, `method` (default: queuing mail, a flow's last write) fails
     * inside transactions: whatever the flow wrote before it must roll back.
     */
    failWrites(method: PortMethod = "outbox.add") {
      const [port, name] = method.split(".") as [keyof Stores, string];
      const transaction = store.transaction.bind(store);
      const failing = <P extends object>(target: P) =>
        new Proxy(target, {
          get: (t, prop) =>
            prop === name
              ? async () => {
                  throw new Error(injected(method));
                }
              : bound(t, prop),
        });
      store.transaction = <T>(work: (tx: Stores) => Promise<T>) =>
        transaction((tx) => work({ ...tx, [port]: failing(tx[port]) }));
    },

    /**
     * Holds every password verification, once done, until `release()`: the
     * window in which a flow has checked a password and not yet written. `held`
     * counts the flows waiting there.
     */
    holdHashing() {
      const verify = hasher.verify;
      let open = () => {};
      const released = new Promise<void>((resolve) => {
        open = resolve;
      });
      const hold = {
        held: 0,
        release() {
          hasher.verify = verify;
          open();
        },
      };
      hasher.verify = async (passwordHash, password) => {
        const ok = await verify.call(hasher, passwordHash, password);
        hold.held++;
        await released;
        return ok;
      };
      return hold;
    },

    /** Every record that names the account, by table (empty tables left out), mail delivered first. */
    async recordsOf(accountId: string): Promise<Record<string, unknown[]>> {
      await deliver();
      const naming = Object.entries(await store.snapshot()).map(
        ([name, rows]) =>
          [name, rows.filter((r) => JSON.stringify(r).includes(accountId))] as const,
      );
      return Object.fromEntries(naming.filter(([, rows]) => rows.length > 0));
    },

    /** The account's trusted-device records, oldest first. */
    async devicesOf(accountId: string): Promise<DeviceToken[]> {
      const { devices } = (await store.snapshot()) as { devices: [string, DeviceToken][] };
      return devices
        .map(([, device]) => device)
        .filter((device) => device.accountId === accountId)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    },

    /** Whether `password` opens a session for `login` now. */
    async canLogin(login: string, password: string): Promise<boolean> {
      try {
        await accounts.login({ username: login, password, client });
        return true;
      } catch (error) {
        if (error instanceof AccountError && error.reason === "INVALID_CREDENTIALS") return false;
        throw error;
      }
    },

    /** Whether a session token is still live. */
    async isLive(sessionToken: string): Promise<boolean> {
      return (await accounts.verifySession(sessionToken)).valid;
    },
  };
  return world;
}

export type CoreWorld = ReturnType<typeof coreWorld>;

/**
 * Runs a flow whose write `at` fails (see `failWrites`; default: its mail) and
 * proves it left every record as it was.
 */
export async function failsMidwayUnchanged(
  w: CoreWorld,
  call: () => Promise<unknown>,
  at: PortMethod = "outbox.add",
) {
  await w.deliver();
  const before = await w.snapshot();
  w.failWrites(at);
  await expect(call()).rejects.toThrow(injected(at));
  expect(await w.snapshot()).toEqual(before);
}

/** A property of `target`, methods bound to it (a proxy cannot reach private fields). */
function bound(target: object, prop: string | symbol): unknown {
  const value = Reflect.get(target, prop, target);
  return typeof value === "function" ? value.bind(target) : value;
}

/** Yields to pending work (no timer) until `done()` holds; fails if it never does. */
export async function until(done: () => boolean, what = "the condition") {
  for (let turn = 0; !done(); turn++) {
    if (turn > 10_000) throw new Error(`never reached: ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Awaits a flow that must fail with `reason` (and `field`, if given); returns the error. */
export async function rejects(
  call: Promise<unknown>,
  reason: Reason,
  field?: string,
): Promise<AccountError> {
  const error = await call.then(
    () => {
      throw new Error(`expected ${reason}, but the flow succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AccountError);
  const failure = error as AccountError;
  expect({ reason: failure.reason, ...(field !== undefined && { field: failure.field }) }).toEqual({
    reason,
    ...(field !== undefined && { field }),
  });
  return failure;
}

/**
 * Runs a flow that must fail with `reason` and proves it wrote nothing: every
 * record and the mailbox are as before, and no mail was queued.
 */
export async function rejectsUnchanged(
  w: CoreWorld,
  call: () => Promise<unknown>,
  reason: Reason,
  field?: string,
): Promise<AccountError> {
  await w.deliver();
  const before = await w.snapshot();
  const sent = w.mailbox.sent.length;
  const error = await rejects(call(), reason, field);
  expect(await w.snapshot()).toEqual(before);
  await w.deliver();
  expect(w.mailbox.sent.slice(sent)).toEqual([]);
  return error;
}
