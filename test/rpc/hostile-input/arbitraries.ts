import fc from "fast-check";
import {
  type Huge,
  hostile,
  hugeText,
  nastyPiece,
  oddPasswordStem,
  spoilt,
} from "../../support/hostile-strings.js";
import { RPC_NAMES, type RpcName, WIRES, type Wire } from "../../support/rpc-driver.js";
import type { Ref, World } from "./world.js";

/**
 * The generators. One hostile request aims at the world's records (or at
 * nothing: random, huge, odd-unicode text); the model and the races pick among
 * the records of their own run. Every choice is data (refs, mutations, sizes),
 * so a failing case prints compactly and replays from its seed.
 */

// ---- one hostile request ---------------------------------------------------

export type Mutation =
  | { m: "none" }
  | { m: "prefix"; to: string }
  | { m: "flip"; at: number }
  | { m: "cut" }
  | { m: "extend" }
  | { m: "case" }
  | { m: "wrap"; piece: string }
  | { m: "spoil"; piece: string; at: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.constant({ m: "none" as const }), weight: 5 },
  fc.record({
    m: fc.constant("prefix" as const),
    to: fc.constantFrom("uhs_", "uhv_", "uhr_", "uhd_"),
  }),
  fc.record({ m: fc.constant("flip" as const), at: fc.nat() }),
  fc.constant({ m: "cut" as const }),
  fc.constant({ m: "extend" as const }),
  fc.constant({ m: "case" as const }),
  fc.record({ m: fc.constant("wrap" as const), piece: nastyPiece }),
  fc.record({ m: fc.constant("spoil" as const), piece: nastyPiece, at: fc.nat() }),
);

/** A wrong-kind or damaged variant of a real value (prefix swaps, one flipped character, …). */
export function mutate(value: string, mu: Mutation): string {
  switch (mu.m) {
    case "none":
      return value;
    case "prefix":
      return mu.to + value.slice(4);
    case "flip": {
      const i = mu.at % Math.max(1, value.length);
      return value.slice(0, i) + (value[i] === "A" ? "B" : "A") + value.slice(i + 1);
    }
    case "cut":
      return value.slice(0, -1);
    case "extend":
      return `${value}A`;
    case "case":
      return value === value.toUpperCase() ? value.toLowerCase() : value.toUpperCase();
    case "wrap":
      return mu.piece + value + mu.piece;
    case "spoil":
      return spoilt(value, mu);
  }
}

/** A request field: a hostile literal, a huge one, or a real value of the world, maybe damaged. */
export type Field = string | Huge | { ref: Ref; mu: Mutation };

const field = (...refs: Ref[]): fc.Arbitrary<Field> =>
  fc.oneof(
    { arbitrary: hostile, weight: 3 },
    { arbitrary: fc.record({ ref: fc.constantFrom(...refs), mu: mutation }), weight: 2 },
  );

function resolve(f: Field, w: World): string {
  if (typeof f === "string") return f;
  return "huge" in f ? hugeText(f) : mutate(w[f.ref], f.mu);
}

const tokens: Ref[] = [
  "session",
  "otherSession",
  "deadSession",
  "verification",
  "spentVerification",
  "reset",
  "spentReset",
];
const names: Ref[] = [
  "username",
  "email",
  "otherUsername",
  "unverifiedUsername",
  "unverifiedEmail",
];
const passwords: Ref[] = ["password", "otherPassword", "unverifiedPassword"];

/**
 * Each RPC's fields and the world values worth aiming at them (wrong kinds on purpose);
 * `flags`: its bool fields, drawn at random.
 */
const SHAPES: Record<
  RpcName,
  { fields: Record<string, Ref[]>; client?: true; flags?: readonly string[] }
> = {
  register: {
    fields: {
      username: [...names, "password"],
      email: ["email", "unverifiedEmail", "username"],
      password: [...passwords, "username", "email"],
    },
    client: true,
  },
  // session_token: whatever it holds, it is no error and changes nothing but which session a move keeps.
  verifyEmail: { fields: { token: tokens, sessionToken: tokens }, client: true },
  resendVerification: { fields: { email: names }, client: true },
  // Passwords and tokens as the login name: a user typing into the wrong box.
  login: {
    fields: { username: [...names, ...passwords, "session"], password: passwords },
    client: true,
  },
  // A bogus caller asking for an assertion must not get one for a session that is not live.
  verifySession: { fields: { sessionToken: tokens }, flags: ["issueAssertion"] },
  getSessionKeys: { fields: {} },
  getCurrentUser: { fields: { sessionToken: tokens } },
  logout: { fields: { sessionToken: tokens } },
  logoutAll: { fields: { sessionToken: tokens } },
  changePassword: {
    fields: { sessionToken: tokens, oldPassword: passwords, newPassword: [...passwords, ...names] },
  },
  sendPasswordReset: { fields: { email: names }, client: true },
  resetPassword: { fields: { token: tokens, newPassword: [...passwords, ...names] }, client: true },
  deleteAccount: { fields: { sessionToken: tokens, password: passwords } },
  listSessions: { fields: { sessionToken: tokens } },
  revokeSession: { fields: { sessionToken: tokens, sessionId: ["sessionId", "session"] } },
  changeEmail: {
    fields: { sessionToken: tokens, password: passwords, newEmail: [...names, "otherEmail"] },
    client: true,
  },
};

const clientField = fc.option(
  fc.record({
    ip: fc.oneof(fc.constantFrom("", "198.51.100.7", "2001:db8::1", "::ffff:10.0.0.1"), hostile),
    userAgent: hostile,
    // Live, revoked, another account's, damaged or hostile: never an error, only trust or none.
    deviceToken: fc.option(field("device", "otherDevice", "deadDevice", "session"), {
      nil: undefined,
    }),
  }),
  { nil: undefined },
);

export interface HostileCase {
  rpc: RpcName;
  wire: Wire;
  fields: Record<string, Field>;
  flags: Record<string, boolean>;
  client:
    | { ip: string | Huge; userAgent: string | Huge; deviceToken?: Field | undefined }
    | undefined;
}

export const hostileCase: fc.Arbitrary<HostileCase> = fc.oneof(
  ...RPC_NAMES.map((name) =>
    fc.record({
      rpc: fc.constant(name),
      wire: fc.constantFrom(...WIRES),
      fields: fc.record(
        Object.fromEntries(
          Object.entries(SHAPES[name].fields).map(([key, refs]) => [key, field(...refs)]),
        ),
      ),
      flags: fc.record(
        Object.fromEntries((SHAPES[name].flags ?? []).map((flag) => [flag, fc.boolean()])),
      ),
      client: SHAPES[name].client ? clientField : fc.constant(undefined),
    }),
  ),
);

/** A case's request as sent: its fields resolved against the world, `client` if it has one. */
export function resolveCase(c: HostileCase, w: World) {
  const req = Object.fromEntries(Object.entries(c.fields).map(([k, f]) => [k, resolve(f, w)]));
  const ip = c.client && resolve(c.client.ip, w);
  const device = c.client?.deviceToken;
  const body = c.client
    ? {
        ...req,
        ...c.flags,
        client: {
          ip,
          userAgent: resolve(c.client.userAgent, w),
          ...(device !== undefined && { deviceToken: resolve(device, w) }),
        },
      }
    : { ...req, ...c.flags };
  return { req, ip, body };
}

// ---- the sequential model ---------------------------------------------------

export const wire = fc.constantFrom(...WIRES);

/** A session or token: some live or dead one of the run, or an unknown well-formed one; sometimes damaged. */
export const sessionPick = fc.record({
  n: fc.nat(),
  mu: fc.oneof({ arbitrary: fc.constant({ m: "none" } as Mutation), weight: 4 }, mutation),
});
export type Pick = { n: number; mu: Mutation };

/**
 * A new password: mostly one the policy takes ("fresh", around an odd stem),
 * else one it must refuse, and why.
 */
export type NewPw = { kind: "fresh" | "short" | "username" | "email" | "control"; stem: string };
export const newPw: fc.Arbitrary<NewPw> = fc.record({
  kind: fc.constantFrom("fresh", "fresh", "fresh", "short", "username", "email", "control"),
  stem: oddPasswordStem,
});

// ---- concurrent flows on one account ---------------------------------------

export type Race =
  | { op: "login"; as: "username" | "email" | "EMAIL"; pw: number }
  | { op: "changePassword"; s: number; right: boolean; pw: number }
  | { op: "resetPassword"; pw: number }
  | { op: "deleteAccount"; s: number; right: boolean }
  | { op: "logout" | "logoutAll" | "getCurrentUser" | "listSessions" | "verifySession"; s: number }
  | { op: "revokeSession"; s: number; target: number }
  | { op: "register"; same: "username" | "email"; pw: number }
  | { op: "sendPasswordReset" | "resendVerification" | "verifyEmail" };

const s01 = fc.nat(1);
const race: fc.Arbitrary<Race> = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant("login" as const),
      as: fc.constantFrom("username" as const, "email" as const, "EMAIL" as const),
      pw: fc.constantFrom(0, 0, 1, 2, 4),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("changePassword" as const),
      s: s01,
      right: fc.boolean(),
      pw: fc.integer({ min: 1, max: 3 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("resetPassword" as const),
      pw: fc.integer({ min: 1, max: 3 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("deleteAccount" as const),
      s: s01,
      right: fc.constantFrom(true, true, false),
    }),
    weight: 2,
  },
  fc.record({
    op: fc.constantFrom(
      "logout" as const,
      "logoutAll" as const,
      "getCurrentUser" as const,
      "listSessions" as const,
      "verifySession" as const,
    ),
    s: s01,
  }),
  fc.record({ op: fc.constant("revokeSession" as const), s: s01, target: s01 }),
  fc.record({
    op: fc.constant("register" as const),
    same: fc.constantFrom("username" as const, "email" as const),
    pw: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    op: fc.constantFrom(
      "sendPasswordReset" as const,
      "resendVerification" as const,
      "verifyEmail" as const,
    ),
  }),
);
export const raceBatch = fc.array(fc.record({ race, wire, delayMs: fc.nat(4) }), {
  minLength: 3,
  maxLength: 10,
});
