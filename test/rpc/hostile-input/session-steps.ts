import fc from "fast-check";
import { expect } from "vitest";
import type { Req, Res } from "../../support/rpc-driver.js";
import { sessionPick, wire } from "./arbitraries.js";
import { assertionClaims } from "./harness.js";
import { type Account, expectVerdict, type Model, step } from "./model.js";

/**
 * Model steps that act on a session token: each picks a live, dead, unknown or
 * damaged session of the run, expects what the model says about it, and
 * records any session the call ended.
 */

/** A session RPC: INVALID_SESSION for anything but a live session; `then` checks a success. */
function sessionStep<M extends "getCurrentUser" | "logoutAll" | "listSessions">(
  rpcName: M,
  then: (res: Res<M>, owner: Account, m: Model, sessionToken: string) => void,
) {
  return step(fc.record({ pick: sessionPick, wire }), rpcName, async (a, m, r) => {
    const sessionToken = m.pickSession(a.pick);
    const owner = m.ownerOfSession(sessionToken);
    const out = await r.rpc.call(a.wire, rpcName, { sessionToken } as Req<M>);
    expectVerdict(out, owner ? "OK" : "INVALID_SESSION", rpcName);
    if (owner && out.ok) then(out.res, owner, m, sessionToken);
  });
}

/** Valid only for a live session; an assertion only when asked for and live, naming that session. */
export const verifySession = step(
  fc.record({ pick: sessionPick, wire, issueAssertion: fc.boolean() }),
  "VerifySession",
  async (a, m, r) => {
    const sessionToken = m.pickSession(a.pick);
    const owner = m.ownerOfSession(sessionToken);
    const out = await r.rpc.call(a.wire, "verifySession", {
      sessionToken,
      issueAssertion: a.issueAssertion,
    });
    expectVerdict(out, "OK", "VerifySession");
    if (!out.ok) return;
    expect({
      valid: out.res.valid,
      username: out.res.username,
      assertion: out.res.sessionAssertion !== "",
    }).toEqual({
      valid: Boolean(owner),
      username: owner?.username ?? "",
      assertion: Boolean(owner) && a.issueAssertion,
    });
    if (owner && out.res.sessionAssertion) {
      expect(await assertionClaims(r.rpc, out.res.sessionAssertion)).toMatchObject({
        sid: owner.sessions.get(sessionToken),
        username: owner.username,
        email_verified: owner.verified,
      });
    }
  },
);

export const getCurrentUser = sessionStep("getCurrentUser", (res, owner) =>
  expect(res.user).toMatchObject({
    username: owner.username,
    email: owner.email,
    emailVerified: owner.verified,
  }),
);

export const logout = step(fc.record({ pick: sessionPick, wire }), "Logout", async (a, m, r) => {
  const sessionToken = m.pickSession(a.pick);
  const owner = m.ownerOfSession(sessionToken);
  expectVerdict(await r.rpc.call(a.wire, "logout", { sessionToken }), "OK", "Logout");
  if (owner) {
    owner.sessions.delete(sessionToken);
    m.deadSessions.push(sessionToken);
  }
});

export const logoutAll = sessionStep("logoutAll", (res, owner, m) => {
  expect(res.revokedCount).toBe(owner.sessions.size);
  // Signing out everywhere cancels pending links too (an email change someone else asked for).
  m.killSessions(owner);
  m.killTokens(owner);
});

export const listSessions = sessionStep("listSessions", (res, owner, _m, sessionToken) => {
  expect(res.sessions.map((s) => s.id).sort()).toEqual([...owner.sessions.values()].sort());
  expect(res.sessions.filter((s) => s.current).map((s) => s.id)).toEqual([
    owner.sessions.get(sessionToken),
  ]);
});

export const revokeSession = step(
  fc.record({ pick: sessionPick, target: sessionPick, unknown: fc.boolean(), wire }),
  "RevokeSession",
  async (a, m, r) => {
    const sessionToken = m.pickSession(a.pick);
    const owner = m.ownerOfSession(sessionToken);
    const target = m.pickSession(a.target);
    const targetOwner = m.ownerOfSession(target);
    const sessionId = a.unknown
      ? "AAAAAAAAAAAAAAAAAAAAAA"
      : (targetOwner?.sessions.get(target) ?? "");
    const out = await r.rpc.call(a.wire, "revokeSession", { sessionToken, sessionId });
    const own = owner !== undefined && owner === targetOwner && !a.unknown;
    expectVerdict(
      out,
      !owner ? "INVALID_SESSION" : own ? "OK" : "SESSION_NOT_FOUND",
      "RevokeSession",
    );
    if (own && out.ok) {
      owner.sessions.delete(target);
      m.deadSessions.push(target);
    }
  },
);
