import { isIP } from "node:net";
import { expect } from "vitest";
import { commonPasswordCheck } from "../../../src/adapters/password-lists/common-passwords.js";
import { canonicalUsername, parseEmail } from "../../../src/core/domain/identity.js";
import { acceptPassword, normalisePassword } from "../../../src/core/domain/password-policy.js";
import type { Outcome, RpcDriver, Wire } from "../../support/rpc-driver.js";
import type { HostileCase } from "./arbitraries.js";
import { assertionClaims, client, onWire, type TokenKind, useToken, verdict } from "./harness.js";
import type { World } from "./world.js";

/**
 * The expected answer to one hostile request, per RPC: what the contract allows
 * given the world the request aimed at. Built from the domain's own parsers and
 * password policy (the rules), never from the server's answer.
 */

const isCommon = commonPasswordCheck();

/** Would the policy take this password from this owner (as the server will see it)? */
function policyAccepts(password: string, owner: { username: string; email: string }): boolean {
  try {
    acceptPassword(
      password,
      { username: owner.username, emailKey: owner.email.toLowerCase() },
      { isCommon },
    );
    return true;
  } catch {
    return false;
  }
}
const validUsername = (s: string) => {
  try {
    return canonicalUsername(s);
  } catch {
    return undefined;
  }
};
const validEmail = (s: string) => {
  try {
    return parseEmail(s);
  } catch {
    return undefined;
  }
};
/** The server hashes the NFKC form's UTF-8 bytes: lone surrogates all become U+FFFD there. */
const samePassword = (a: string, b: string) =>
  Buffer.from(normalisePassword(a)).equals(Buffer.from(normalisePassword(b)));

/** What a Register finds in the store before it runs: is the email owned, the username taken? */
export async function registerPrior(d: RpcDriver, req: Record<string, string>, wire: Wire) {
  const username = validUsername(onWire(req.username ?? "", wire));
  const email = validEmail(onWire(req.email ?? "", wire));
  return {
    emailOwned: Boolean(email && (await d.t.store.store.accounts.findByEmail(email.key))),
    taken: Boolean(username && (await d.t.store.store.accounts.findByUsername(username))),
  };
}
type Prior = Awaited<ReturnType<typeof registerPrior>>;

/**
 * Asserts the one answer the contract allows for a hostile request, given the
 * world (and, for Register, the store before the call). Returns whether the
 * world's live records were used up (then it is rebuilt).
 */
export async function judge(
  d: RpcDriver,
  c: HostileCase,
  req: Record<string, string>,
  ip: string | undefined,
  outcome: Outcome<unknown>,
  w: World,
  prior: Prior | undefined,
): Promise<boolean> {
  const got = verdict(outcome);
  if (!outcome.ok && outcome.reason === undefined) return false; // refused by the transport
  if (ip !== undefined && ip !== "" && isIP(onWire(ip, c.wire)) === 0) {
    expect(got).toBe("INVALID_CLIENT_CONTEXT");
    return false;
  }
  const seen = (s: string | undefined) => onWire(s ?? "", c.wire);
  const token = seen(req.token);
  const owners = [
    { username: w.username, email: w.email, password: w.password, session: w.session },
    {
      username: w.otherUsername,
      email: w.otherEmail,
      password: w.otherPassword,
      session: w.otherSession,
    },
  ];
  const unverified = {
    username: w.unverifiedUsername,
    email: w.unverifiedEmail,
    password: w.unverifiedPassword,
  };
  const owner = owners.find((o) => o.session === seen(req.sessionToken));
  const sessionAnswer = owner ? "OK" : "INVALID_SESSION";
  switch (c.rpc) {
    case "verifySession": {
      const res = outcome.ok
        ? (outcome.res as { valid: boolean; username: string; sessionAssertion: string })
        : undefined;
      const asked = c.flags.issueAssertion === true;
      expect({
        got,
        valid: res?.valid,
        username: res?.username,
        assertion: Boolean(res?.sessionAssertion),
      }).toEqual({
        got: "OK",
        valid: Boolean(owner),
        username: owner?.username ?? "",
        assertion: Boolean(owner) && asked,
      });
      if (owner && res?.sessionAssertion) {
        expect(await assertionClaims(d, res.sessionAssertion)).toMatchObject({
          username: owner.username,
        });
      }
      return false;
    }
    case "getSessionKeys": {
      expect(got).toBe("OK");
      const { jwksJson } = outcome.ok ? (outcome.res as { jwksJson: string }) : { jwksJson: "" };
      const keys = (JSON.parse(jwksJson) as { keys: Record<string, unknown>[] }).keys;
      expect(keys.map((k) => Object.keys(k).sort())).toEqual(
        Array(3).fill(["alg", "crv", "kid", "kty", "use", "x"]),
      );
      return false;
    }
    case "logout":
      expect(got).toBe("OK");
      return Boolean(owner);
    case "getCurrentUser":
    case "listSessions":
      expect(got).toBe(sessionAnswer);
      return false;
    case "logoutAll":
      expect(got).toBe(sessionAnswer);
      return Boolean(owner);
    case "changePassword": {
      const newPassword = seen(req.newPassword);
      const expected = !owner
        ? "INVALID_SESSION"
        : !policyAccepts(newPassword, owner)
          ? "WEAK_PASSWORD"
          : samePassword(seen(req.oldPassword), owner.password)
            ? "OK"
            : "INVALID_CREDENTIALS";
      expect(got).toBe(expected);
      return got === "OK";
    }
    case "changeEmail": {
      // Session, then the address, then the password; a taken address answers like a free one.
      const right = owner && samePassword(seen(req.password), owner.password);
      const expected = !owner
        ? "INVALID_SESSION"
        : !validEmail(seen(req.newEmail))
          ? "INVALID_EMAIL"
          : right
            ? "OK"
            : "INVALID_CREDENTIALS";
      expect(got).toBe(expected);
      return false; // nothing changes until the new address's link is used
    }
    case "deleteAccount": {
      const right = owner && samePassword(seen(req.password), owner.password);
      expect(got).toBe(!owner ? "INVALID_SESSION" : right ? "OK" : "INVALID_CREDENTIALS");
      return got === "OK";
    }
    case "revokeSession": {
      const own = owner?.session === w.otherSession && seen(req.sessionId) === w.sessionId;
      expect(got).toBe(!owner ? "INVALID_SESSION" : own ? "OK" : "SESSION_NOT_FOUND");
      return got === "OK";
    }
    case "verifyEmail":
      expect(got).toBe(token === w.verification ? "OK" : "INVALID_TOKEN");
      if (got === "OK") await expectSpent(d, "verification", w.verification);
      return got === "OK";
    case "resetPassword": {
      const newPassword = seen(req.newPassword);
      const a = owners[0] as (typeof owners)[0];
      const expected =
        token !== w.reset
          ? "INVALID_TOKEN"
          : policyAccepts(newPassword, a)
            ? "OK"
            : "WEAK_PASSWORD";
      expect(got).toBe(expected);
      if (got !== "OK") return false;
      await expectSpent(d, "password_reset", w.reset);
      // Whatever ResetPassword accepted, Login takes, over another protocol too.
      const other = c.wire === "grpc" ? "connect" : "grpc";
      const password = req.newPassword ?? "";
      const login = await d.call(other, "login", { username: a.username, password, client });
      expect(verdict(login)).toBe("OK");
      return true;
    }
    case "login": {
      // As the server parses it: an email if it has an "@", else a username.
      const raw = seen(req.username);
      const key = raw.includes("@") ? validEmail(raw)?.key : validUsername(raw);
      const account = [...owners, unverified].find(
        (o) => key === o.username || key === o.email.toLowerCase(),
      );
      const right = account && samePassword(seen(req.password), account.password);
      expect(got).toBe(
        !right ? "INVALID_CREDENTIALS" : account === unverified ? "EMAIL_NOT_VERIFIED" : "OK",
      );
      return false;
    }
    case "register": {
      const username = validUsername(seen(req.username));
      const email = validEmail(seen(req.email));
      // Field errors first, then: an owned email gets the notice path (OK), a taken name USERNAME_TAKEN.
      const expected = !username
        ? "INVALID_USERNAME"
        : !email
          ? "INVALID_EMAIL"
          : !policyAccepts(seen(req.password), { username, email: email.key })
            ? "WEAK_PASSWORD"
            : prior?.emailOwned || !prior?.taken
              ? "OK"
              : "USERNAME_TAKEN";
      expect(got).toBe(expected);
      if (outcome.ok) {
        const res = outcome.res as {
          user?: { username: string; email: string; emailVerified: boolean };
        };
        expect(res.user).toEqual(
          expect.objectContaining({ username, email: email?.address, emailVerified: false }),
        );
      }
      return false;
    }
    case "resendVerification":
    case "sendPasswordReset":
      expect(got).toBe(validEmail(seen(req.email)) ? "OK" : "INVALID_EMAIL");
      return false;
  }
}

/** A consumed token, used again on either binary wire: INVALID_TOKEN. */
async function expectSpent(d: RpcDriver, kind: TokenKind, token: string) {
  for (const wire of ["connect", "grpc"] as const) {
    expect(verdict(await useToken(d, wire, kind, token))).toBe("INVALID_TOKEN");
  }
}
