import { randomBytes } from "node:crypto";
import { newAccountId } from "../../src/core/domain/account-id.js";
import type { AccountToken } from "../../src/core/domain/account-token.js";
import type { DeviceToken } from "../../src/core/domain/device.js";
import type { Session } from "../../src/core/domain/session.js";
import type { NewAccount } from "../../src/core/ports/account-store.js";
import type { OutboxMail } from "../../src/core/ports/outbox-store.js";

/** Builders of store records for store tests: fresh names each call, fixed times. */

export const HOUR = 3_600_000;

/** A fixed instant plus an offset, so tests never depend on the clock. */
export const at = (offsetMs: number) => new Date(Date.UTC(2030, 0, 1) + offsetMs);

let counter = 0;
export const unique = (prefix: string) =>
  `${prefix}-${++counter}-${randomBytes(3).toString("hex")}`;

/** Shaped like a token hash (base64url of 32 bytes). */
export const hash = () => randomBytes(32).toString("base64url");

export function newAccount(overrides: Partial<NewAccount> = {}): NewAccount {
  const username = overrides.username ?? unique("user");
  const email = overrides.email ?? `${username}@Example.com`;
  return {
    id: newAccountId(),
    username,
    email,
    emailKey: email.toLowerCase(),
    verified: false,
    disabled: false,
    createdAt: at(0),
    credentialGeneration: 0,
    lastLoginAt: null,
    passwordHash: `$argon2id$fake$${username}`,
    ...overrides,
  };
}

export function newToken(accountId: string, overrides: Partial<AccountToken> = {}): AccountToken {
  return { accountId, tokenHash: hash(), expiresAt: at(HOUR), ...overrides };
}

export function newDevice(accountId: string, overrides: Partial<DeviceToken> = {}): DeviceToken {
  return {
    accountId,
    tokenHash: hash(),
    createdAt: at(0),
    expiresAt: at(180 * 24 * HOUR),
    failures: 0,
    ...overrides,
  };
}

export function newSession(accountId: string, overrides: Partial<Session> = {}): Session {
  return {
    id: unique("sid"),
    tokenHash: hash(),
    accountId,
    username: unique("user"),
    createdAt: at(0),
    lastActiveAt: at(0),
    absoluteExpiresAt: at(30 * 24 * HOUR),
    expiresAt: at(7 * 24 * HOUR),
    ip: "203.0.113.1",
    userAgent: "store-test",
    ...overrides,
  };
}

export function newMail(overrides: Partial<OutboxMail> = {}): OutboxMail {
  return {
    id: unique("mail"),
    kind: "verification",
    payload: new Uint8Array(randomBytes(48)),
    attempts: 0,
    nextAttemptAt: at(0),
    leaseUntil: null,
    createdAt: at(0),
    expiresAt: at(7 * 24 * HOUR),
    ...overrides,
  };
}
