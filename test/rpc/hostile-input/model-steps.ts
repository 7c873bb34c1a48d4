import fc from "fast-check";
import { expect } from "vitest";
import { newPw, sessionPick, wire } from "./arbitraries.js";
import { client, useToken } from "./harness.js";
import { expectVerdict, newPassword, step } from "./model.js";
import * as sessions from "./session-steps.js";

/**
 * Model steps that create, verify, log into, change, reset and delete the
 * model's accounts, plus the replay of spent tokens; with the session steps,
 * the command set of the sequential property (`modelSteps`).
 */

/**
 * ResendVerification / SendPasswordReset: always OK, for any well-formed email; a mail
 * with a fresh token when there is an account (for verification: an unverified one).
 */
function mailStep(rpcName: "resendVerification" | "sendPasswordReset") {
  const kind = rpcName === "resendVerification" ? "verification" : "password_reset";
  return step(fc.record({ e: fc.nat(2), upper: fc.boolean(), wire }), rpcName, async (a, m, r) => {
    const email = m.email(a.e, a.upper);
    const account = m.byEmail(email);
    const tokens =
      kind === "verification"
        ? account && !account.verified
          ? account.verifications
          : undefined
        : account?.resets;
    const mailbox = r.rpc.t.mailbox;
    const skip = account ? mailbox.count(account.email, kind) : 0;
    expectVerdict(await r.rpc.call(a.wire, rpcName, { email, client }), "OK", rpcName);
    if (account && tokens) tokens.add((await mailbox.next(account.email, kind, skip)).token);
  });
}

const register = step(
  fc.record({
    u: fc.nat(2),
    e: fc.nat(2),
    upper: fc.boolean(),
    pw: newPw,
    wire,
  }),
  "Register",
  async (a, m, r) => {
    const username = m.username(a.u);
    const email = m.email(a.e, a.upper);
    r.rpc.secrets.emails.add(email.toLowerCase());
    const password = newPassword(r.rpc, a.pw, { username, email });
    const owner = m.byEmail(email);
    const skipV = r.rpc.t.mailbox.count(email, "verification");
    const skipN = owner ? r.rpc.t.mailbox.count(owner.email, "registration_attempt") : 0;
    const out = await r.rpc.call(a.wire, "register", { username, email, password, client });
    const expected =
      a.pw.kind !== "fresh"
        ? "WEAK_PASSWORD"
        : owner
          ? "OK"
          : m.accounts.has(username)
            ? "USERNAME_TAKEN"
            : "OK";
    expectVerdict(out, expected, "Register");
    if (!out.ok) return;
    // The same answer whether or not the email had an account (no enumeration).
    expect(out.res.user).toMatchObject({ username, email, emailVerified: false });
    if (owner) {
      await r.rpc.t.mailbox.next(owner.email, "registration_attempt", skipN);
      await r.rpc.t.settle();
      expect(r.rpc.t.mailbox.count(email, "verification")).toBe(skipV);
      return;
    }
    const token = (await r.rpc.t.mailbox.next(email, "verification", skipV)).token;
    m.accounts.set(username, {
      username,
      email,
      password,
      verified: false,
      sessions: new Map(),
      verifications: new Set([token]),
      resets: new Set(),
    });
  },
);

const verifyEmail = step(fc.record({ pick: sessionPick, wire }), "VerifyEmail", async (a, m, r) => {
  const token = m.pickToken(a.pick);
  const account = [...m.accounts.values()].find((x) => x.verifications.has(token));
  const out = await r.rpc.call(a.wire, "verifyEmail", { token, client });
  expectVerdict(out, account ? "OK" : "INVALID_TOKEN", "VerifyEmail");
  if (!account || !out.ok) return;
  expect(out.res.user).toMatchObject({ username: account.username, emailVerified: true });
  account.verified = true;
  // Every link of the now verified address goes with the one used.
  for (const link of account.verifications) m.spent.push({ token: link, kind: "verification" });
  account.verifications.clear();
});

const login = step(
  fc.record({
    u: fc.nat(2),
    by: fc.constantFrom("username", "email", "EMAIL"),
    pw: fc.constantFrom("right", "right", "wrong", "other"),
    wire,
  }),
  "Login",
  async (a, m, r) => {
    // By username (any case) or by email (as registered, or upper-cased): the account
    // is whichever one that name finds, if any.
    const byName = m.accounts.get(m.username(a.u));
    const email = byName?.email ?? m.email(a.u, false);
    const name =
      a.by === "username"
        ? m.username(a.u).toUpperCase()
        : a.by === "EMAIL"
          ? email.toUpperCase()
          : email;
    const account = a.by === "username" ? byName : m.byEmail(email);
    const other = [...m.accounts.values()].find((x) => x !== account);
    const password =
      a.pw === "right"
        ? (account?.password ?? "no such account pw")
        : a.pw === "wrong"
          ? `${account?.password}?`
          : (other?.password ?? "other pw 123");
    const out = await r.rpc.call(a.wire, "login", { username: name, password, client });
    const right = account && password === account.password;
    expectVerdict(
      out,
      !right ? "INVALID_CREDENTIALS" : account.verified ? "OK" : "EMAIL_NOT_VERIFIED",
      "Login",
    );
    if (!out.ok || !account) return;
    expect(out.res.user?.username).toBe(account.username);
    const listed = await r.rpc.call(a.wire, "listSessions", {
      sessionToken: out.res.sessionToken,
    });
    const current = listed.ok ? listed.res.sessions.find((s) => s.current) : undefined;
    expect(current?.id).toBeTruthy();
    account.sessions.set(out.res.sessionToken, current?.id ?? "");
  },
);

const changePassword = step(
  fc.record({
    pick: sessionPick,
    old: fc.constantFrom("right", "right", "wrong"),
    pw: newPw,
    wire,
  }),
  "ChangePassword",
  async (a, m, r) => {
    const sessionToken = m.pickSession(a.pick);
    const owner = m.ownerOfSession(sessionToken);
    const who = owner ?? {
      username: "nobody",
      email: "nobody@example.com",
      password: "nobody's pw",
    };
    const newPw = newPassword(r.rpc, a.pw, who);
    const oldPassword = a.old === "right" ? who.password : `${who.password}?`;
    const out = await r.rpc.call(a.wire, "changePassword", {
      sessionToken,
      oldPassword,
      newPassword: newPw,
    });
    const expected = !owner
      ? "INVALID_SESSION"
      : a.pw.kind !== "fresh"
        ? "WEAK_PASSWORD"
        : a.old === "right"
          ? "OK"
          : "INVALID_CREDENTIALS";
    expectVerdict(out, expected, "ChangePassword");
    if (!owner || !out.ok) return;
    owner.password = newPw;
    m.killSessions(owner, sessionToken);
    m.killTokens(owner);
  },
);

const resetPassword = step(
  fc.record({ pick: sessionPick, pw: newPw, wire }),
  "ResetPassword",
  async (a, m, r) => {
    const token = m.pickToken(a.pick);
    const owner = [...m.accounts.values()].find((x) => x.resets.has(token));
    const pw = newPassword(
      r.rpc,
      a.pw,
      owner ?? { username: "nobody", email: "nobody@example.com" },
    );
    const out = await r.rpc.call(a.wire, "resetPassword", { token, newPassword: pw, client });
    expectVerdict(
      out,
      !owner ? "INVALID_TOKEN" : a.pw.kind !== "fresh" ? "WEAK_PASSWORD" : "OK",
      "ResetPassword",
    );
    if (!owner || !out.ok) return;
    owner.password = pw;
    owner.verified = true;
    m.killSessions(owner);
    m.killTokens(owner);
  },
);

const deleteAccount = step(
  fc.record({ pick: sessionPick, right: fc.boolean(), wire }),
  "DeleteAccount",
  async (a, m, r) => {
    const sessionToken = m.pickSession(a.pick);
    const owner = m.ownerOfSession(sessionToken);
    const password = a.right ? (owner?.password ?? "x") : `${owner?.password}?`;
    const out = await r.rpc.call(a.wire, "deleteAccount", { sessionToken, password });
    expectVerdict(
      out,
      !owner ? "INVALID_SESSION" : a.right ? "OK" : "INVALID_CREDENTIALS",
      "DeleteAccount",
    );
    if (!owner || !out.ok) return;
    m.killSessions(owner);
    m.killTokens(owner);
    m.accounts.delete(owner.username);
  },
);

const replay = step(fc.record({ n: fc.nat(), wire }), "Replay", async (a, m, r) => {
  const spent = m.spent[a.n % Math.max(1, m.spent.length)];
  if (!spent) return;
  expectVerdict(await useToken(r.rpc, a.wire, spent.kind, spent.token), "INVALID_TOKEN", "Replay");
});

/** Every step, in a fixed order (a printed seed replays the same commands). */
export const modelSteps = [
  register,
  verifyEmail,
  mailStep("resendVerification"),
  login,
  sessions.verifySession,
  sessions.getCurrentUser,
  sessions.logout,
  sessions.logoutAll,
  changePassword,
  mailStep("sendPasswordReset"),
  resetPassword,
  deleteAccount,
  sessions.listSessions,
  sessions.revokeSession,
  replay,
];
