import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import type { Outcome, RpcDriver, Wire } from "../../support/rpc-driver.js";
import type { Race } from "./arbitraries.js";
import {
  accountWithSession,
  checkStore,
  client,
  freshPassword,
  resetToken,
  uid,
  verdict,
} from "./harness.js";

/**
 * One batch of flows racing for one fresh account (two sessions, a reset token),
 * each started after a small random delay. Which flow wins is up to the server;
 * what must hold whatever the order is checked after all have answered: single
 * use, one deletion, the store's invariants, and no session that outlived a
 * password change, a reset or the account.
 */

/** The account a batch fights over, and the values its flows send. */
interface Target {
  username: string;
  email: string;
  /** Passwords 0 (the account's own) to 3, and 4: a wrong one. */
  password: (i: number) => string;
  /** The account's two sessions, and their ids. */
  sessions: string[];
  ids: string[];
  reset: string;
}

interface RaceResult {
  race: Race;
  outcome: Outcome<unknown>;
  /** The session token a successful Login returned. */
  session?: string;
}

async function target(rpc: RpcDriver): Promise<Target> {
  const username = `c${uid()}`;
  const email = `${username}@example.com`;
  const pw = [0, 1, 2, 3].map((i) => freshPassword(rpc, `${username} pw${i} ✓`));
  pw.push(`${username} wrong pw`);
  rpc.secrets.emails.add(email);
  const account = await accountWithSession(rpc, username, pw[0] as string);
  const sessions = [account.session, (await account.login()).sessionToken];
  const ids = await Promise.all(
    sessions.map(async (sessionToken) => {
      const listed = await rpc.must("grpc", "listSessions", { sessionToken });
      return listed.sessions.find((s) => s.current)?.id ?? "";
    }),
  );
  const reset = await resetToken(rpc, email);
  return { username, email, password: (i) => pw[i] as string, sessions, ids, reset };
}

function send(rpc: RpcDriver, t: Target, c: Race, w: Wire): Promise<Outcome<unknown>> {
  const P = t.password;
  const S = (i: number) => t.sessions[i] as string;
  switch (c.op) {
    case "login": {
      const name =
        c.as === "username" ? t.username : c.as === "email" ? t.email : t.email.toUpperCase();
      return rpc.call(w, "login", { username: name, password: P(c.pw), client });
    }
    case "changePassword": {
      const oldPassword = c.right ? P(0) : P(4);
      return rpc.call(w, "changePassword", {
        sessionToken: S(c.s),
        oldPassword,
        newPassword: P(c.pw),
      });
    }
    case "resetPassword":
      return rpc.call(w, "resetPassword", { token: t.reset, newPassword: P(c.pw), client });
    case "deleteAccount":
      return rpc.call(w, "deleteAccount", {
        sessionToken: S(c.s),
        password: c.right ? P(0) : P(4),
      });
    case "revokeSession":
      return rpc.call(w, "revokeSession", {
        sessionToken: S(c.s),
        sessionId: t.ids[c.target] ?? "",
      });
    case "register": {
      // The same username with another email, or the same email with another username.
      const other =
        c.same === "username"
          ? { username: t.username, email: `${t.username}x@example.com` }
          : { username: `${t.username}x`, email: t.email };
      return rpc.call(w, "register", { ...other, password: P(c.pw), client });
    }
    case "sendPasswordReset":
    case "resendVerification":
      return rpc.call(w, c.op, { email: t.email, client });
    case "verifyEmail": // a reset token where a verification token goes
      return rpc.call(w, "verifyEmail", { token: t.reset, client });
    default:
      return rpc.call(w, c.op, { sessionToken: S(c.s) });
  }
}

export async function runBatch(
  rpc: RpcDriver,
  batch: Array<{ race: Race; wire: Wire; delayMs: number }>,
) {
  const t = await target(rpc);
  const results = await Promise.all(
    batch.map(async ({ race, wire, delayMs }): Promise<RaceResult> => {
      await sleep(delayMs);
      const outcome = await send(rpc, t, race, wire);
      const session = outcome.ok
        ? (outcome.res as { sessionToken?: string }).sessionToken
        : undefined;
      return { race, outcome, ...(session && { session }) };
    }),
  );

  const ok = (op: Race["op"]) => results.filter((r) => r.race.op === op && r.outcome.ok);
  const deleted = ok("deleteAccount").length > 0;
  const reRegistered = ok("register").some(
    (r) => r.race.op === "register" && r.race.same === "username",
  );
  const passwordChanged = ok("changePassword").length + ok("resetPassword").length > 0;

  // Single use: of the racing ResetPasswords with one token, at most one wins; afterwards it is dead.
  expect(ok("resetPassword").length).toBeLessThanOrEqual(1);
  // One account, one deletion: a second DeleteAccount (either session) is INVALID_SESSION.
  expect(ok("deleteAccount").length).toBeLessThanOrEqual(1);
  if (passwordChanged || deleted) {
    const again = { token: t.reset, newPassword: t.password(1), client };
    expect(verdict(await rpc.call("grpc", "resetPassword", again))).toBe("INVALID_TOKEN");
  }
  // The username is free again only through a delete.
  if (reRegistered) expect(deleted).toBe(true);

  const tables = await checkStore(rpc);
  expect(new Map(tables.usernameClaims).has(t.username)).toBe(!deleted || reRegistered);
  await expectNoStaleSession(rpc, t, results);
}

/**
 * Every session still valid was opened with the password the account has now,
 * or is the session that set it: no survivor of a change, a reset or a deletion.
 */
async function expectNoStaleSession(rpc: RpcDriver, t: Target, results: RaceResult[]) {
  const P = t.password;
  const opened = [
    ...t.sessions.map((session, i) => ({
      session,
      passwords: [
        P(0),
        ...results.flatMap((r) =>
          r.race.op === "changePassword" && r.race.s === i && r.outcome.ok ? [P(r.race.pw)] : [],
        ),
      ],
    })),
    ...results.flatMap((r) =>
      r.session && r.race.op === "login" ? [{ session: r.session, passwords: [P(r.race.pw)] }] : [],
    ),
  ];
  for (const { session, passwords } of opened) {
    const check = await rpc.call("grpc", "verifySession", { sessionToken: session });
    if (!check.ok || !check.res.valid) continue;
    let current = false;
    for (const password of passwords) {
      const login = { username: t.username, password, client };
      current ||= (await rpc.call("connect", "login", login)).ok;
    }
    if (current) continue;
    throw new Error(
      `a session opened with ${JSON.stringify(passwords)} is still valid for ${t.username}: ${JSON.stringify(results.map((r) => [r.race, verdict(r.outcome)]))}`,
    );
  }
}
