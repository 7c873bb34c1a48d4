import { describe, expect, it } from "vitest";
import type { ClientInfo } from "../../src/core/context.js";
import { deviceTokenHash } from "../../src/core/use-cases/device-trust.js";
import {
  type CoreWorld,
  client,
  coreWorld,
  DAY,
  MINUTE,
  NEW_PASSWORD,
  PASSWORD,
  rejects,
  until,
} from "../support/core-world.js";

/**
 * Device trust (OWASP "device cookies"): a device token from an earlier Login
 * exempts its owner from the account-wide budget and lock, which anyone who
 * knows the username can spend; the device is limited on its own instead.
 */

const attacker: ClientInfo = { ip: "203.0.113.66", userAgent: "attacker" };
const WRONG = "not the password at all";
/** This client, presenting `deviceToken`. */
const on = (deviceToken: string): ClientInfo => ({ ...client, deviceToken });

/** Wrong guesses at `username` from the attacker's address. */
async function guess(w: CoreWorld, username: string, times: number) {
  for (let i = 0; i < times; i++) {
    await rejects(
      w.accounts.login({ username, password: `${WRONG} ${i}`, client: attacker }),
      "INVALID_CREDENTIALS",
    );
  }
}

/** A verified account with a device token from its first login. */
async function withDevice(w: CoreWorld) {
  const person = await w.verified();
  const { deviceToken } = await w.accounts.login({ ...person, client });
  return { ...person, deviceToken, hash: deviceTokenHash(w.ctx, person.user.id, deviceToken) };
}

/** The same, then locked account-wide by the attacker (the world's lockout: `account: 2`). */
async function lockedOut(w: CoreWorld) {
  const person = await withDevice(w);
  await guess(w, person.username, 2);
  await rejects(w.accounts.login({ ...person, client }), "RATE_LIMITED");
  return person;
}

describe("device tokens", () => {
  it("Login issues a uhd_ token, stored only as an HMAC over the account id and the token", async () => {
    const w = coreWorld();
    const person = await w.verified();
    const other = await w.verified();
    const now = w.clock.now();
    const { deviceToken } = await w.accounts.login({ ...person, client });
    expect(deviceToken).toMatch(/^uhd_[A-Za-z0-9_-]{43}$/);
    const tables = JSON.stringify(await w.snapshot());
    expect(tables).not.toContain(deviceToken);
    const hash = deviceTokenHash(w.ctx, person.user.id, deviceToken);
    expect(await w.devicesOf(person.user.id)).toEqual([
      {
        accountId: person.user.id,
        tokenHash: hash,
        createdAt: now,
        expiresAt: new Date(now.getTime() + 180 * DAY),
        failures: 0,
      },
    ]);
    // Bound to the account: the same token names nothing under another account's id.
    expect(tables).not.toContain(deviceTokenHash(w.ctx, other.user.id, deviceToken));
  });

  it("each login retires the token it presented: a copied token dies at the owner's next login", async () => {
    const w = coreWorld({ lockout: { account: 2 } });
    const person = await lockedOut(w);
    const copied = person.deviceToken;
    const next = await w.accounts.login({ ...person, client: on(copied) });
    expect(next.deviceToken).not.toBe(copied);
    expect(await w.devicesOf(person.user.id)).toEqual([
      expect.objectContaining({
        tokenHash: deviceTokenHash(w.ctx, person.user.id, next.deviceToken),
        failures: 0,
      }),
    ]);
    await rejects(w.accounts.login({ ...person, client: on(copied) }), "RATE_LIMITED");
    await w.accounts.login({ ...person, client: on(next.deviceToken) });
  });

  it("a login that presents no token keeps the others and adds one", async () => {
    const w = coreWorld();
    const person = await withDevice(w);
    const { deviceToken } = await w.accounts.login({ ...person, client });
    expect((await w.devicesOf(person.user.id)).map((d) => d.tokenHash)).toEqual(
      expect.arrayContaining([person.hash, deviceTokenHash(w.ctx, person.user.id, deviceToken)]),
    );
    expect(await w.devicesOf(person.user.id)).toHaveLength(2);
  });

  it("an account keeps at most deviceTokensPerAccount, the oldest dropped first", async () => {
    const w = coreWorld({ settings: { deviceTokensPerAccount: 3 } });
    const person = await w.verified();
    const hashes: string[] = [];
    for (let i = 0; i < 5; i++) {
      w.clock.advance(MINUTE);
      const { deviceToken } = await w.accounts.login({ ...person, client });
      hashes.push(deviceTokenHash(w.ctx, person.user.id, deviceToken));
    }
    const kept = async () => (await w.devicesOf(person.user.id)).map((d) => d.tokenHash);
    expect(await kept()).toEqual(hashes.slice(2));
    // A trusted login retires its own token, so it drops none of the others.
    const newest = await w.accounts.login({ ...person, client });
    const { deviceToken } = await w.accounts.login({ ...person, client: on(newest.deviceToken) });
    expect(await kept()).toEqual(
      expect.arrayContaining([
        ...hashes.slice(3),
        deviceTokenHash(w.ctx, person.user.id, deviceToken),
      ]),
    );
    expect(await kept()).toHaveLength(3);
  });
});

describe("a trusted device is exempt from the account-wide limits", () => {
  it("the owner's device logs in through the account-wide lock; the attacker stays locked", async () => {
    const w = coreWorld({ lockout: { account: 2 } });
    const person = await lockedOut(w);
    const { sessionToken } = await w.accounts.login({ ...person, client: on(person.deviceToken) });
    expect(await w.isLive(sessionToken)).toBe(true);
    await rejects(w.accounts.login({ ...person, client: attacker }), "RATE_LIMITED");
  });

  it("the owner's device logs in through a spent account budget (login_account)", async () => {
    const w = coreWorld({ limits: { login_account: { points: 3, durationMs: MINUTE } } });
    const person = await withDevice(w); // spends 1
    await guess(w, person.username, 2);
    const work = w.hasher.work;
    await rejects(w.accounts.login({ ...person, client }), "RATE_LIMITED");
    expect(w.hasher.work).toBe(work);
    const { sessionToken } = await w.accounts.login({ ...person, client: on(person.deviceToken) });
    expect(await w.isLive(sessionToken)).toBe(true);
  });

  it("wrong passwords with a trusted device count on the device, not on the account's locks", async () => {
    const w = coreWorld({ lockout: { account: 2, fromClient: 2 } });
    const person = await withDevice(w);
    for (let i = 1; i <= 3; i++) {
      await rejects(
        w.accounts.login({ ...person, password: WRONG, client: on(person.deviceToken) }),
        "INVALID_CREDENTIALS",
      );
      expect(await w.devicesOf(person.user.id)).toEqual([
        expect.objectContaining({ tokenHash: person.hash, failures: i }),
      ]);
    }
    expect(w.audit.filter((e) => e.type === "login.locked")).toEqual([]);
    expect(await w.canLogin(person.username, PASSWORD)).toBe(true); // no token, same client: not locked
  });

  it("no exemption for another account's token, a junk token or an expired one", async () => {
    // Device tokens live 10 s here, so one expires while the 30 s lock is still on.
    const w = coreWorld({ lockout: { account: 2 }, settings: { deviceTokenTtlMs: 10_000 } });
    const other = await w.verified();
    const { deviceToken: foreign } = await w.accounts.login({ ...other, client });
    const person = await lockedOut(w);
    w.clock.advance(11_000);
    for (const deviceToken of [foreign, `uhd_${"A".repeat(43)}`, "junk", person.deviceToken]) {
      await rejects(
        w.accounts.login({ ...person, client: { ...client, deviceToken } }),
        "RATE_LIMITED",
      );
    }
  });

  it("expiry runs on the core clock: trusted until the last millisecond of its lifetime", async () => {
    const w = coreWorld({ lockout: { account: 2 }, settings: { deviceTokenTtlMs: 20_000 } });
    const person = await w.verified();
    const first = await w.accounts.login({ ...person, client });
    const second = await w.accounts.login({ ...person, client });
    await guess(w, person.username, 2); // locked for 30 s from now
    w.clock.advance(20_000 - 1);
    await w.accounts.login({ ...person, client: on(first.deviceToken) });
    w.clock.advance(1);
    await rejects(w.accounts.login({ ...person, client: on(second.deviceToken) }), "RATE_LIMITED");
  });
});

describe("a trusted device is limited on its own", () => {
  it("login_device: over its budget, RATE_LIMITED before hashing; another device of the account is not", async () => {
    const w = coreWorld({ limits: { login_device: { points: 1, durationMs: MINUTE } } });
    const person = await withDevice(w);
    const { deviceToken: second } = await w.accounts.login({ ...person, client });
    await rejects(
      w.accounts.login({ ...person, password: WRONG, client: on(person.deviceToken) }),
      "INVALID_CREDENTIALS",
    );
    const work = w.hasher.work;
    const error = await rejects(
      w.accounts.login({ ...person, client: on(person.deviceToken) }),
      "RATE_LIMITED",
    );
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(w.hasher.work).toBe(work);
    await w.accounts.login({ ...person, client: on(second) });
  });

  it("after deviceTokenMaxFailures wrong passwords the device is trusted no more", async () => {
    const w = coreWorld({ lockout: { account: 2 }, settings: { deviceTokenMaxFailures: 2 } });
    const person = await withDevice(w);
    const device = on(person.deviceToken);
    await rejects(
      w.accounts.login({ ...person, password: WRONG, client: device }),
      "INVALID_CREDENTIALS",
    );
    expect(await w.store.devices.get(person.hash)).toMatchObject({ failures: 1 });
    expect(w.audit.filter((e) => e.type === "device.distrusted")).toEqual([]);
    await rejects(
      w.accounts.login({ ...person, password: WRONG, client: device }),
      "INVALID_CREDENTIALS",
    );
    expect(await w.store.devices.get(person.hash)).toBeNull();
    expect(w.audit.filter((e) => e.type === "device.distrusted")).toEqual([
      { type: "device.distrusted", login: person.username, ip: client.ip },
    ]);
    // From now on it is an untrusted login: the account-wide lock applies.
    await guess(w, person.username, 2);
    await rejects(w.accounts.login({ ...person, client: device }), "RATE_LIMITED");
  });

  it("parallel wrong passwords with one token: no more are checked as trusted than the failure limit", async () => {
    const w = coreWorld({ lockout: { account: 2 }, settings: { deviceTokenMaxFailures: 3 } });
    const person = await lockedOut(w);
    const work = w.hasher.verifies;
    // Every attempt is in flight before any password check finishes.
    const hashing = w.holdHashing();
    let settled = 0;
    const answers = Array.from({ length: 8 }, () =>
      w.accounts
        .login({ ...person, password: WRONG, client: on(person.deviceToken) })
        .then(
          () => "OK",
          (error: { reason: string }) => error.reason,
        )
        .finally(() => settled++),
    );
    await until(() => hashing.held + settled === 8, "every attempt hashing or answered");
    expect(hashing.held).toBe(3);
    hashing.release();
    expect((await Promise.all(answers)).sort()).toEqual([
      ...Array(3).fill("INVALID_CREDENTIALS"),
      ...Array(5).fill("RATE_LIMITED"),
    ]);
    expect(w.hasher.verifies - work).toBe(3);
    expect(await w.store.devices.get(person.hash)).toBeNull();
    expect(w.audit.filter((e) => e.type === "device.distrusted")).toHaveLength(1);
  });

  it("the failure is reserved before hashing; the right password gives it back, even when no session opens", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const { deviceToken } = await w.accounts.login({ ...person, client });
    const hash = deviceTokenHash(w.ctx, person.user.id, deviceToken);
    const links = await w.pendingLinks(person);
    const hashing = w.holdHashing();
    const login = w.accounts.login({ ...person, client: on(deviceToken) });
    await until(() => hashing.held === 1, "the login is hashing");
    expect(await w.store.devices.get(hash)).toMatchObject({ failures: 1 });
    // Meanwhile the owner confirms an email change: the credentials moved, devices stay.
    await w.accounts.verifyEmail({ token: links.verification, client });
    hashing.release();
    await rejects(login, "INVALID_CREDENTIALS");
    expect(await w.store.devices.get(hash)).toMatchObject({ failures: 0 });
  });
});

/** A signed-in account with two trusted devices. */
async function withDevices(w: CoreWorld) {
  const person = await w.signedIn();
  for (let i = 0; i < 2; i++) await w.accounts.login({ ...person, client });
  return person;
}
type Equipped = Awaited<ReturnType<typeof withDevices>>;

describe("which flows revoke device tokens", () => {
  it.each<[string, (w: CoreWorld, p: Equipped) => Promise<unknown>]>([
    [
      "ResetPassword (recovery trusts no device)",
      async (w, p) => {
        const token = await w.tokenFrom(p.email, "password_reset", () =>
          w.accounts.sendPasswordReset({ email: p.email, client }),
        );
        await w.accounts.resetPassword({ token, newPassword: NEW_PASSWORD, client });
      },
    ],
    ["LogoutAll", (w, p) => w.accounts.logoutAll(p.session)],
    ["RevokeAccountSessions", (w, p) => w.admin.revokeAccountSessions(p.user.id)],
    ["DisableAccount", (w, p) => w.admin.disableAccount(p.user.id, "")],
    [
      "DeleteAccount",
      (w, p) => w.accounts.deleteAccount({ sessionToken: p.session, password: PASSWORD }),
    ],
    ["DeleteAccountAsAdmin", (w, p) => w.admin.deleteAccountAsAdmin(p.user.id)],
  ])("%s removes every device token of the account, and only its", async (_name, flow) => {
    const w = coreWorld();
    const person = await withDevices(w);
    const bystander = await withDevices(w);
    const theirs = await w.devicesOf(bystander.user.id);
    expect(await w.devicesOf(person.user.id)).toHaveLength(3);
    await flow(w, person);
    expect(await w.devicesOf(person.user.id)).toEqual([]);
    expect(await w.devicesOf(bystander.user.id)).toEqual(theirs);
  });

  it.each<[string, (w: CoreWorld, p: Equipped) => Promise<string>]>([
    [
      "ChangePassword (the owner on their device is whom device trust protects)",
      async (w, p) => {
        await w.accounts.changePassword({
          sessionToken: p.session,
          oldPassword: PASSWORD,
          newPassword: NEW_PASSWORD,
        });
        return NEW_PASSWORD;
      },
    ],
    [
      "a confirmed email change",
      async (w, p) => {
        const links = await w.pendingLinks(p);
        await w.accounts.verifyEmail({ token: links.verification, client });
        return PASSWORD;
      },
    ],
  ])("%s keeps them, still trusted through the lock", async (_name, flow) => {
    const w = coreWorld({ lockout: { account: 2 } });
    const person = await w.signedIn();
    const { deviceToken } = await w.accounts.login({ ...person, client });
    const devices = await w.devicesOf(person.user.id);
    const password = await flow(w, person);
    expect(await w.devicesOf(person.user.id)).toEqual(devices);
    await guess(w, person.username, 2);
    await rejects(w.accounts.login({ ...person, password, client }), "RATE_LIMITED");
    await w.accounts.login({ ...person, password, client: on(deviceToken) });
  });
});
