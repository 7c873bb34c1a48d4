import type fc from "fast-check";
import { expect } from "vitest";
import type { Outcome, RpcDriver } from "../../support/rpc-driver.js";
import type { MemoryTables } from "../../support/store-invariants.js";
import { mutate, type NewPw, type Pick } from "./arbitraries.js";
import { freshPassword, type TokenKind, uid, verdict } from "./harness.js";

/**
 * The sequential model behind the fc.commands property: three account slots,
 * what each holds (password, sessions, live tokens), and every token or
 * session that died. Steps (model-steps.ts) call the server, compare its
 * answer with the model's, then update the model.
 */

export interface Account {
  username: string;
  email: string;
  password: string;
  verified: boolean;
  /** Live session token -> its id. */
  sessions: Map<string, string>;
  verifications: Set<string>;
  resets: Set<string>;
}

const UNKNOWN_SESSION = `uhs_${"A".repeat(43)}`;
const UNKNOWN_TOKEN = `uhv_${"A".repeat(43)}`;

export class Model {
  readonly accounts = new Map<string, Account>();
  readonly spent: Array<{ token: string; kind: TokenKind }> = [];
  readonly deadSessions: string[] = [];

  constructor(readonly prefix: string) {}

  username(slot: number) {
    return `${this.prefix}u${slot}`;
  }
  email(slot: number, upper: boolean) {
    const email = `${this.prefix}e${slot}@example.com`;
    return upper ? email.toUpperCase() : email;
  }
  byEmail(email: string) {
    return [...this.accounts.values()].find((a) => a.email.toLowerCase() === email.toLowerCase());
  }
  liveSessions(): Array<[string, Account]> {
    return [...this.accounts.values()].flatMap((a) =>
      [...a.sessions.keys()].map((s) => [s, a] as [string, Account]),
    );
  }
  ownerOfSession(token: string) {
    return this.liveSessions().find(([s]) => s === token)?.[1];
  }
  /** A live or recently dead session of the run, or an unknown one; maybe damaged. */
  pickSession({ n, mu }: Pick): string {
    const pool = [
      ...this.liveSessions().map(([s]) => s),
      ...this.deadSessions.slice(-3),
      UNKNOWN_SESSION,
    ];
    return mutate(pool[n % pool.length] as string, mu);
  }
  /** Any token of the run, live or spent, or a session token (the wrong kind); maybe damaged. */
  pickToken({ n, mu }: Pick): string {
    const pool = [
      ...[...this.accounts.values()].flatMap((a) => [...a.verifications, ...a.resets]),
      ...this.spent.map((s) => s.token),
      ...this.liveSessions().map(([s]) => s),
      UNKNOWN_TOKEN,
    ];
    return mutate(pool[n % pool.length] as string, mu);
  }
  /** Verification and reset tokens of `a` die (password change, reset, deletion). */
  killTokens(a: Account) {
    for (const token of a.verifications) this.spent.push({ token, kind: "verification" });
    for (const token of a.resets) this.spent.push({ token, kind: "password_reset" });
    a.verifications.clear();
    a.resets.clear();
  }
  killSessions(a: Account, except?: string) {
    for (const s of a.sessions.keys()) {
      if (s === except) continue;
      a.sessions.delete(s);
      this.deadSessions.push(s);
    }
  }
}

/** The store holds exactly what the model says for the run's accounts. */
export function expectStoreMatches(m: Model, tables: MemoryTables) {
  const accounts = new Map(tables.accounts);
  const claims = new Map(tables.usernameClaims);
  const count = (rows: Array<[string, { accountId: string }]>, id: string | undefined) =>
    rows.filter(([, x]) => x.accountId === id).length;
  for (let slot = 0; slot < 3; slot++) {
    const username = m.username(slot);
    const account = m.accounts.get(username);
    const id = claims.get(username);
    const stored = id === undefined ? undefined : accounts.get(id);
    expect({
      username,
      exists: Boolean(stored),
      verified: stored?.verified,
      sessions: count(tables.sessions, id),
      verifications: count(tables.verifications, id),
      resets: count(tables.resets, id),
    }).toEqual({
      username,
      exists: Boolean(account),
      verified: account?.verified,
      sessions: account?.sessions.size ?? 0,
      verifications: account?.verifications.size ?? 0,
      resets: account?.resets.size ?? 0,
    });
  }
}

type Real = { rpc: RpcDriver };

/** One command: a label fast-check prints, and what it does to the model and the server. */
class Step implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly label: string,
    readonly exec: (m: Model, r: Real) => Promise<void>,
  ) {}
  check() {
    return true;
  }
  run(m: Model, r: Real) {
    return this.exec(m, r);
  }
  toString() {
    return this.label;
  }
}

/** A command generator: `arb` draws the step's choices, `exec` runs them. */
export function step<A>(
  arb: fc.Arbitrary<A>,
  name: string,
  exec: (a: A, m: Model, r: Real) => Promise<void>,
) {
  return arb.map((a) => new Step(`${name}${JSON.stringify(a)}`, (m, r) => exec(a, m, r)));
}

/** The new password a step sends, for the owner `a`: acceptable ("fresh") or refused, and why. */
export function newPassword(
  d: RpcDriver,
  { kind, stem }: NewPw,
  a: { username: string; email: string },
): string {
  switch (kind) {
    case "fresh":
      return freshPassword(d, stem);
    case "short":
      return "Sh0rt!";
    case "username":
      return a.username.toUpperCase();
    case "email":
      return a.email.toUpperCase();
    case "control":
      return `bad\u0000password ${uid()}`;
  }
}

/**
 * The model's answer must be the server's. A body the transport refused (a lone
 * surrogate in Connect JSON; RpcDriver checks that only such bodies are) changes
 * nothing, and every step updates the model only after a successful call.
 */
export function expectVerdict(outcome: Outcome<unknown>, expected: string, what: string) {
  if (!outcome.ok && outcome.reason === undefined) return;
  expect(verdict(outcome), what).toBe(expected);
}
