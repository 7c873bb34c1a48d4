import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectFailure, failureOf } from "../support/rpc-errors.js";
import {
  type AccountClient,
  type Protocol,
  startTestServer,
  type TestServer,
} from "../support/test-server.js";

const MB = "x".repeat(1_000_000);
const PASSWORD = "alice's correct horse battery";
const client = { ip: "198.51.100.4", userAgent: "bad-input-test" };

/** Live records the cases aim at; made once per server. */
interface Fixtures {
  session: string;
  otherSessionId: string;
  verification: string;
  usedVerification: string;
  reset: string;
  usedReset: string;
}

type Expected = { code: Code; reason: string } | "ok" | "invalid-session-answer";
interface Case {
  rpc: string;
  name: string;
  call: (api: AccountClient, f: Fixtures) => Promise<unknown>;
  expected: Expected;
}

const fail = (code: Code, reason: string) => ({ code, reason });
const INVALID_SESSION = fail(Code.Unauthenticated, "INVALID_SESSION");
const INVALID_TOKEN = fail(Code.InvalidArgument, "INVALID_TOKEN");
const INVALID_CREDENTIALS = fail(Code.Unauthenticated, "INVALID_CREDENTIALS");
const WEAK_PASSWORD = fail(Code.InvalidArgument, "WEAK_PASSWORD");
const INVALID_USERNAME = fail(Code.InvalidArgument, "INVALID_USERNAME");
const INVALID_EMAIL = fail(Code.InvalidArgument, "INVALID_EMAIL");

const oddUsernames = {
  empty: "",
  "1 MB": MB,
  "non-ASCII letter": "jäne",
  "Kelvin sign folding to k": "\u212Aate",
  "zero-width space": "ja\u200bne",
  "right-to-left override": "\u202Eenaj",
  emoji: "jane😀",
  "NUL byte": "ja\u0000ne",
  "operator-looking": '{"$gt": ""}',
};
const oddEmails = {
  empty: "",
  "1 MB": `${MB}@example.com`,
  "non-ASCII": "jäne@example.com",
  "header injection": "a@example.com\r\nBcc: victim@example.com",
  "no domain": "jane@",
  "operator-looking": "$where@example.com",
};
const weakPasswords = {
  empty: "",
  short: "short",
  "1 MB": MB,
  "control character": "pass\u0000word-long",
  "equal to username": "newcomer",
};

/** Every RPC's bad inputs. Each must answer its documented status and reason and change nothing. */
const cases: Case[] = [
  ...Object.entries(oddUsernames).map(([name, username]) => ({
    rpc: "Register",
    name: `username ${name}`,
    call: (api: AccountClient) =>
      api.register({ username, email: "new@example.com", password: PASSWORD, client }),
    expected: INVALID_USERNAME,
  })),
  ...Object.entries(oddEmails).map(([name, email]) => ({
    rpc: "Register",
    name: `email ${name}`,
    call: (api: AccountClient) =>
      api.register({ username: "newcomer", email, password: PASSWORD, client }),
    expected: INVALID_EMAIL,
  })),
  ...Object.entries(weakPasswords).map(([name, password]) => ({
    rpc: "Register",
    name: `password ${name}`,
    call: (api: AccountClient) =>
      api.register({ username: "newcomer", email: "new@example.com", password, client }),
    expected: WEAK_PASSWORD,
  })),
  {
    rpc: "Register",
    name: "taken username (fields valid)",
    call: (api) =>
      api.register({ username: "ALICE", email: "other@example.com", password: PASSWORD, client }),
    expected: fail(Code.AlreadyExists, "USERNAME_TAKEN"),
  },
  {
    rpc: "Register",
    name: "field errors come before USERNAME_TAKEN",
    call: (api) => api.register({ username: "alice", email: "bad", password: PASSWORD, client }),
    expected: INVALID_EMAIL,
  },
  {
    rpc: "Register",
    name: "malformed client ip",
    call: (api) =>
      api.register({
        username: "newcomer",
        email: "new@example.com",
        password: PASSWORD,
        client: { ip: "999.1.1.1", userAgent: "" },
      }),
    expected: fail(Code.InvalidArgument, "INVALID_CLIENT_CONTEXT"),
  },
  ...tokenCases("VerifyEmail", "verification", (api, token) => api.verifyEmail({ token, client })),
  ...Object.entries(oddEmails).map(([name, email]) => ({
    rpc: "ResendVerification",
    name: `email ${name}`,
    call: (api: AccountClient) => api.resendVerification({ email, client }),
    expected: INVALID_EMAIL,
  })),
  ...Object.entries({ ...oddUsernames, "unknown user": "nobody" }).map(([name, username]) => ({
    rpc: "Login",
    name: `username ${name}`,
    call: (api: AccountClient) => api.login({ username, password: PASSWORD, client }),
    expected: INVALID_CREDENTIALS,
  })),
  ...Object.entries({ empty: "", "1 MB": MB, wrong: "not alice's password" }).map(
    ([name, password]) => ({
      rpc: "Login",
      name: `password ${name}`,
      call: (api: AccountClient) => api.login({ username: "alice", password, client }),
      expected: INVALID_CREDENTIALS,
    }),
  ),
  ...sessionCases(
    "VerifySession",
    (api, sessionToken) => api.verifySession({ sessionToken }),
    "invalid-session-answer",
  ),
  ...sessionCases("GetCurrentUser", (api, sessionToken) => api.getCurrentUser({ sessionToken })),
  ...sessionCases("Logout", (api, sessionToken) => api.logout({ sessionToken }), "ok"),
  ...sessionCases("LogoutAll", (api, sessionToken) => api.logoutAll({ sessionToken })),
  ...sessionCases("ChangePassword", (api, sessionToken) =>
    api.changePassword({ sessionToken, oldPassword: PASSWORD, newPassword: "a new correct horse" }),
  ),
  ...Object.entries({ ...weakPasswords, "equal to username": "alice" }).map(
    ([name, newPassword]) => ({
      rpc: "ChangePassword",
      name: `new password ${name}`,
      call: (api: AccountClient, f: Fixtures) =>
        api.changePassword({ sessionToken: f.session, oldPassword: PASSWORD, newPassword }),
      expected: WEAK_PASSWORD,
    }),
  ),
  {
    rpc: "ChangePassword",
    name: "wrong old password",
    call: (api, f) =>
      api.changePassword({
        sessionToken: f.session,
        oldPassword: "wrong",
        newPassword: "a new correct horse",
      }),
    expected: INVALID_CREDENTIALS,
  },
  ...Object.entries(oddEmails).map(([name, email]) => ({
    rpc: "SendPasswordReset",
    name: `email ${name}`,
    call: (api: AccountClient) => api.sendPasswordReset({ email, client }),
    expected: INVALID_EMAIL,
  })),
  ...tokenCases("ResetPassword", "reset", (api, token) =>
    api.resetPassword({ token, newPassword: "a new correct horse", client }),
  ),
  ...Object.entries({ ...weakPasswords, "equal to username": "alice" }).map(
    ([name, newPassword]) => ({
      rpc: "ResetPassword",
      name: `new password ${name} (token stays usable)`,
      call: (api: AccountClient, f: Fixtures) =>
        api.resetPassword({ token: f.reset, newPassword, client }),
      expected: WEAK_PASSWORD,
    }),
  ),
  ...sessionCases("DeleteAccount", (api, sessionToken) =>
    api.deleteAccount({ sessionToken, password: PASSWORD }),
  ),
  {
    rpc: "DeleteAccount",
    name: "wrong password",
    call: (api, f) => api.deleteAccount({ sessionToken: f.session, password: `${PASSWORD}!` }),
    expected: INVALID_CREDENTIALS,
  },
  ...sessionCases("ListSessions", (api, sessionToken) => api.listSessions({ sessionToken })),
  ...sessionCases("RevokeSession", (api, sessionToken) =>
    api.revokeSession({ sessionToken, sessionId: "x" }),
  ),
  ...Object.entries({
    empty: "",
    "1 MB": MB,
    unknown: "AAAAAAAAAAAAAAAAAAAAAA",
    "another user's": null,
  }).map(([name, id]) => ({
    rpc: "RevokeSession",
    name: `session id ${name}`,
    call: (api: AccountClient, f: Fixtures) =>
      api.revokeSession({ sessionToken: f.session, sessionId: id ?? f.otherSessionId }),
    expected: fail(Code.NotFound, "SESSION_NOT_FOUND"),
  })),
];

/** Malformed, foreign-kind and used tokens for a token-consuming RPC. */
function tokenCases(
  rpc: string,
  kind: "verification" | "reset",
  call: (api: AccountClient, token: string) => Promise<unknown>,
): Case[] {
  const tokens: Record<string, (f: Fixtures) => string> = {
    empty: () => "",
    "1 MB": () => MB,
    "odd unicode": () => `uh${kind[0]}_\u202E${"a".repeat(42)}`,
    "right prefix, junk body": () => `uh${kind[0]}_${"!".repeat(43)}`,
    "session token": (f) => f.session,
    [kind === "reset" ? "verification token" : "reset token"]: (f) =>
      kind === "reset" ? f.verification : f.reset,
    "kind prefix swapped": (f) =>
      `uh${kind === "reset" ? "v" : "r"}_${(kind === "reset" ? f.reset : f.verification).slice(4)}`,
    "already used": (f) => (kind === "reset" ? f.usedReset : f.usedVerification),
  };
  return Object.entries(tokens).map(([name, token]) => ({
    rpc,
    name: `token ${name}`,
    call: (api, f) => call(api, token(f)),
    expected: INVALID_TOKEN,
  }));
}

/** Malformed and foreign-kind session tokens for a session RPC. */
function sessionCases(
  rpc: string,
  call: (api: AccountClient, sessionToken: string) => Promise<unknown>,
  expected: Expected = INVALID_SESSION,
): Case[] {
  const tokens: Record<string, (f: Fixtures) => string> = {
    empty: () => "",
    "1 MB": () => MB,
    "odd unicode": () => `uhs_\u0000${"é".repeat(42)}`,
    "unknown but well-formed": () => `uhs_${"A".repeat(43)}`,
    "verification token": (f) => f.verification,
    "reset token": (f) => f.reset,
    "operator-looking": () => '{"$gt": ""}',
  };
  return Object.entries(tokens).map(([name, token]) => ({
    rpc,
    name: `session token ${name}`,
    call: (api, f) => call(api, token(f)),
    expected,
  }));
}

async function makeFixtures(t: TestServer): Promise<Fixtures> {
  const api = t.client("connect");
  const verified = async (username: string) => {
    const email = `${username}@example.com`;
    const token = await t.mailbox.tokenFrom(email, "verification", () =>
      api.register({ username, email, password: PASSWORD, client }),
    );
    await api.verifyEmail({ token, client });
    return (await api.login({ username, password: PASSWORD, client })).sessionToken;
  };
  const session = await verified("alice");
  const bobSession = await verified("bob");
  const [other] = (await api.listSessions({ sessionToken: bobSession })).sessions;
  const verification = await t.mailbox.tokenFrom("carol@example.com", "verification", () =>
    api.register({ username: "carol", email: "carol@example.com", password: PASSWORD, client }),
  );
  const usedVerification = await t.mailbox.tokenFrom("dave@example.com", "verification", () =>
    api.register({ username: "dave", email: "dave@example.com", password: PASSWORD, client }),
  );
  await api.verifyEmail({ token: usedVerification, client });
  const resetFor = () =>
    t.mailbox.tokenFrom("bob@example.com", "password_reset", () =>
      api.sendPasswordReset({ email: "bob@example.com", client }),
    );
  const usedReset = await resetFor();
  await api.resetPassword({ token: usedReset, newPassword: PASSWORD, client });
  const reset = await t.mailbox.tokenFrom("alice@example.com", "password_reset", () =>
    api.sendPasswordReset({ email: "alice@example.com", client }),
  );
  await t.settle();
  return {
    session,
    otherSessionId: other?.id ?? "",
    verification,
    usedVerification,
    reset,
    usedReset,
  };
}

/** Runs one case and proves the store is exactly as before. */
async function runCase(t: TestServer, f: Fixtures, protocol: Protocol, c: Case): Promise<void> {
  const api = t.client(protocol);
  const before = await t.store.snapshot();
  if (c.expected === "ok") {
    await c.call(api, f);
  } else if (c.expected === "invalid-session-answer") {
    expect(await c.call(api, f)).toMatchObject({ valid: false, username: "" });
  } else {
    const failure = await expectFailure(c.call(api, f), c.expected.code, c.expected.reason);
    expect(failure.message).not.toMatch(/\bat .+:\d+|Error:|node_modules/); // no stack or internals
  }
  await t.settle();
  expect(await t.store.snapshot()).toEqual(before);
}

describe.each(["connect", "grpc"] as const)("bad input over %s", (protocol) => {
  let t: TestServer;
  let f: Fixtures;
  beforeAll(async () => {
    t = await startTestServer();
    f = await makeFixtures(t);
  });
  afterAll(() => t?.close());

  it.each(cases)("$rpc: $name", (c) => runCase(t, f, protocol, c));

  it("the reset token refused for a weak password still works afterwards", async () => {
    const api = t.client(protocol);
    await api.resetPassword({ token: f.reset, newPassword: "alice's brand new password", client });
    await expectFailure(
      api.login({ username: "alice", password: PASSWORD, client }),
      Code.Unauthenticated,
      "INVALID_CREDENTIALS",
    );
  });

  it("a request over REQUEST_MAX_BYTES is refused by the transport with RESOURCE_EXHAUSTED", async () => {
    const failure = await failureOf(
      t.client(protocol).login({ username: "x".repeat(5 * 1_048_576), password: "x", client }),
    );
    expect(Code[failure.code]).toBe(Code[Code.ResourceExhausted]);
  });
});
