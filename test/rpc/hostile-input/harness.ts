import type fc from "fast-check";
import { createLocalJWKSet, type JWTPayload, jwtVerify } from "jose";
import { expect } from "vitest";
import { type Outcome, RpcDriver, type Wire } from "../../support/rpc-driver.js";
import { memoryTables, storeViolations } from "../../support/store-invariants.js";

/**
 * What every part of the hostile-input suite shares: run parameters, names,
 * set-up accounts and the store check. A driver (RpcDriver) is passed in; its
 * `t` is the server it calls.
 */

/** 1 MiB, so the up-to-1-MB generated fields land on both sides of the limit. */
export const REQUEST_MAX_BYTES = 1_048_576;

/**
 * fast-check parameters: `numRuns`, or the seed and path of a failure to replay
 * (fast-check prints both): UH_FC_SEED=<seed> UH_FC_PATH=<path>.
 */
export function params<T>(numRuns: number): fc.Parameters<T> {
  const { UH_FC_SEED: seed, UH_FC_PATH: path } = process.env;
  return {
    numRuns,
    ...(seed !== undefined && { seed: Number(seed) }),
    ...(path !== undefined && { path }),
  };
}

export const client = { ip: "203.0.113.9", userAgent: "hostile-input-test" };

let serial = 0;
/** A short name part no other run uses. */
export const uid = () => `${(++serial).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export const verdict = RpcDriver.verdict;

/**
 * What the server receives for `s` on `wire`. On the binary wires the encoder writes lone
 * surrogates as U+FFFD; Connect JSON keeps `s` (or refuses it: lone surrogates).
 */
export function onWire(s: string, wire: Wire): string {
  return wire === "connect-json" ? s : Buffer.from(s).toString();
}

/** Store invariants over the whole store, once the outbox is drained. */
export async function checkStore(d: RpcDriver) {
  await d.t.settle();
  const tables = await memoryTables(d.t.store);
  expect(storeViolations(tables)).toEqual([]);
  return tables;
}

/**
 * An account with one session (set-up: every step must succeed). Verified unless
 * told otherwise (an unverified one can log in only where the server allows it).
 */
export async function accountWithSession(
  d: RpcDriver,
  name: string,
  password: string,
  { email = `${name}@example.com`, verified = true } = {},
) {
  const token = await d.t.mailbox.tokenFrom(email, "verification", () =>
    d.must("grpc", "register", { username: name, email, password, client }),
  );
  if (verified) await d.must("connect", "verifyEmail", { token, client });
  const login = () => d.must("grpc", "login", { username: name, password, client });
  const first = await login();
  return { email, token, session: first.sessionToken, device: first.deviceToken, login };
}

/** A reset token for `email`, from the mail SendPasswordReset sends. */
export const resetToken = (d: RpcDriver, email: string) =>
  d.t.mailbox.tokenFrom(email, "password_reset", () =>
    d.must("connect", "sendPasswordReset", { email, client }),
  );

/** A password the policy accepts, around a generated stem; the log scan looks for it. */
export function freshPassword(d: RpcDriver, stem: string): string {
  const password = `${stem} fresh pw ${uid()}!`; // 12+ characters even with an empty stem
  d.secrets.passwords.add(password);
  return password;
}

export type TokenKind = "verification" | "password_reset";

/** Spends (or tries to) a mailed token: VerifyEmail, or ResetPassword to a fresh password. */
export function useToken(
  d: RpcDriver,
  wire: Wire,
  kind: TokenKind,
  token: string,
): Promise<Outcome<unknown>> {
  return kind === "verification"
    ? d.call(wire, "verifyEmail", { token, client })
    : d.call(wire, "resetPassword", { token, newPassword: `replayed ${uid()} pw`, client });
}

/**
 * A session assertion's claims, verified with the key set the server publishes
 * (GetSessionKeys) at the server's clock; fails the test if it does not verify.
 */
export async function assertionClaims(d: RpcDriver, assertion: string): Promise<JWTPayload> {
  const { jwksJson } = await d.must("grpc", "getSessionKeys", {});
  const keys = JSON.parse(jwksJson) as { keys: Record<string, unknown>[] };
  expect(keys.keys.filter((k) => "d" in k)).toEqual([]);
  const { payload } = await jwtVerify(assertion, createLocalJWKSet(keys as never), {
    currentDate: d.t.clock.now(),
    issuer: "userharbor",
    algorithms: ["EdDSA"],
  });
  return payload;
}
