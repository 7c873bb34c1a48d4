import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { AccountService } from "@userharbor/client";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GatedStore } from "../../support/gated-store.js";
import { logLeaks } from "../../support/log-leaks.js";
import { RpcDriver, WIRES, type Wire } from "../../support/rpc-driver.js";
import { memoryTables, storeViolations } from "../../support/store-invariants.js";
import { startTestServer, type TestServer } from "../../support/test-server.js";
import {
  accountWithSession,
  client,
  REQUEST_MAX_BYTES,
  resetToken,
  type TokenKind,
  uid,
  useToken,
  verdict,
} from "./harness.js";

/**
 * Regressions: the bugs the hostile-input properties found, each replayed in
 * the order that broke it, on a server of its own. Where a flow still reads the
 * store before its transaction, a GatedStore holds it there until the racing
 * flow is done; the mail flows no longer do, so they race for real.
 */

const gate = new GatedStore();
let g: RpcDriver;
let gt: TestServer;
beforeAll(async () => {
  gt = await startTestServer({
    store: gate.harness(),
    // Unverified accounts may log in: ResendVerification mails only those, and
    // DeleteAccount needs a session. The size limit is the properties' one.
    env: { REQUEST_MAX_BYTES: String(REQUEST_MAX_BYTES), REQUIRE_VERIFIED_EMAIL: "false" },
  });
  g = new RpcDriver(gt, REQUEST_MAX_BYTES);
});
afterAll(async () => {
  g?.close();
  await gt?.close();
});

// Whatever a race did, it left no record behind that names a missing account.
// Only what this test added counts, so one failure fails one test.
let before: string[] = [];
const violationKeys = async () =>
  storeViolations(await memoryTables(gt.store)).map((v) => `${v.kind} ${v.accountId} ${v.key}`);
beforeEach(async () => {
  before = await violationKeys();
});
afterEach(async () => {
  await gt.settle();
  expect((await violationKeys()).filter((v) => !before.includes(v))).toEqual([]);
});

/** An account with one session: verified, or (for ResendVerification) not. */
async function account(verified = true) {
  const username = `k${uid()}`;
  const password = `${username} first owner pw`;
  return { username, password, ...(await accountWithSession(g, username, password, { verified })) };
}
/** Someone else registers the freed username (another email, another password). */
const nextOwner = (username: string) =>
  accountWithSession(g, username, `${username} next owner pw`, {
    email: `${username}.next@example.com`,
  });
/** How many sessions the store holds for the account that holds `username` now, if any. */
async function storedSessions(username: string) {
  const tables = await memoryTables(gt.store);
  const id = new Map(tables.usernameClaims).get(username);
  return tables.sessions.filter(([, s]) => s.accountId === id).length;
}

describe("a flow that checked a password or session must not act after it died", () => {
  it("a Login racing DeleteAccount leaves no session behind, not even for the username's next owner", async () => {
    const a = await account();
    const paused = gate.pauseAfter("accounts.getCredentials"); // Login has checked the password...
    const login = g.call("grpc", "login", { username: a.username, password: a.password, client });
    await paused.reached;
    await g.must("grpc", "deleteAccount", { sessionToken: a.session, password: a.password });
    paused.release(); // ...and finds the account gone when it would open the session.
    expect(verdict(await login)).toBe("INVALID_CREDENTIALS");
    await nextOwner(a.username);
    expect(await storedSessions(a.username)).toBe(1); // the next owner's own
  });

  /** The two ways a password changes under a Login, prepared up to the call that changes it. */
  const passwordChanges = {
    ResetPassword: async (a: { username: string; email: string }) => {
      const token = await resetToken(g, a.email);
      const newPassword = `${a.username} reset pw`;
      return () => g.must("grpc", "resetPassword", { token, newPassword, client });
    },
    ChangePassword: async (a: { username: string; password: string; session: string }) => {
      const req = { sessionToken: a.session, oldPassword: a.password };
      return () =>
        g.must("grpc", "changePassword", { ...req, newPassword: `${a.username} new pw` });
    },
  };
  it.each([
    ["ResetPassword", 0],
    ["ChangePassword", 1], // the session that changed it stays
  ] as const)("a Login racing %s keeps no session opened with the old password", async (name, left) => {
    const a = await account();
    const change = await passwordChanges[name](a);
    const paused = gate.pauseAfter("accounts.getCredentials");
    const login = g.call("grpc", "login", { username: a.username, password: a.password, client });
    await paused.reached;
    await change();
    paused.release();
    expect(verdict(await login)).toBe("INVALID_CREDENTIALS");
    expect(await storedSessions(a.username)).toBe(left);
  });

  it("a DeleteAccount whose session died while it checked the password deletes nothing, not even the username's next owner", async () => {
    const a = await account();
    const second = (await a.login()).sessionToken;
    const paused = gate.pauseAfter("accounts.getCredentials"); // the stale delete has checked the password...
    const stale = g.call("grpc", "deleteAccount", { sessionToken: second, password: a.password });
    await paused.reached;
    await g.must("grpc", "deleteAccount", { sessionToken: a.session, password: a.password });
    const next = await nextOwner(a.username);
    paused.release(); // ...and finds its session gone in its transaction.
    expect({
      stale: verdict(await stale),
      nextOwner: verdict(await g.call("grpc", "getCurrentUser", { sessionToken: next.session })),
    }).toEqual({ stale: "INVALID_SESSION", nextOwner: "OK" });
  });
});

/**
 * SendPasswordReset and ResendVerification read the account inside the
 * transaction that writes the token, so no gate can come between the two: race
 * each against DeleteAccount for real, the mail call starting at varied
 * offsets. Any token mailed meanwhile must be dead once the account is, else it
 * would act on whoever registers the username next. The memory store answers
 * within a few microtasks, too fast for a read-then-write gap to meet the
 * racing delete; 1 ms of random latency per store call makes it as wide as a
 * networked database's (with it, these races caught the old code every time;
 * without it, never).
 */
describe("a token mailed while its account is deleted dies with it", () => {
  const MAIL_RACES = 30;
  type MailRpc = "sendPasswordReset" | "resendVerification";

  /** One race; returns the tokens of `kind` mailed to the deleted account's address. */
  async function raceDelete(rpcName: MailRpc, kind: TokenKind, leadMs: number) {
    const a = await account(kind === "password_reset");
    const skip = gt.mailbox.count(a.email, kind);
    const remove = { sessionToken: a.session, password: a.password };
    await Promise.all([
      sleep(Math.max(0, -leadMs)).then(() => g.must("grpc", "deleteAccount", remove)),
      sleep(Math.max(0, leadMs)).then(() => g.must("connect", rpcName, { email: a.email, client })),
    ]);
    await gt.settle();
    const mailed = gt.mailbox.sent.filter((m) => m.to === a.email && m.kind === kind);
    const tokens = mailed.slice(skip).flatMap((m) => ("token" in m ? [m.token] : []));
    return { username: a.username, tokens };
  }

  it.each([
    ["sendPasswordReset", "password_reset"],
    ["resendVerification", "verification"],
  ] as const)("a token %s mails while DeleteAccount runs cannot act on the username's next owner", async (rpcName, kind) => {
    let mailed = 0;
    gate.latencyMs = 1;
    try {
      for (let i = 0; i < MAIL_RACES; i++) {
        // The mail call starts from 3 ms before the delete to 12 ms after.
        const { username, tokens } = await raceDelete(rpcName, kind, (i % 16) - 3);
        mailed += tokens.length;
        await nextOwner(username);
        for (const token of tokens) {
          expect(verdict(await useToken(g, "grpc", kind, token))).toBe("INVALID_TOKEN");
        }
      }
    } finally {
      gate.latencyMs = 0;
    }
    // Some races mailed before the delete: the check above had tokens to try.
    expect(mailed, "tokens mailed").toBeGreaterThan(0);
  });
});

describe("the log: audit events, and no secret typed into the wrong field", () => {
  it("a password or session token typed as the login name never reaches the log", async () => {
    const a = await account();
    // A user typing the password into the name box, a backend passing the wrong field.
    await g.call("connect", "login", { username: a.password, password: a.username, client });
    await g.call("grpc", "login", { username: a.session, password: a.password, client });
    await g.call("grpc", "login", { username: `x${a.email}`, password: a.password, client });
    expect(logLeaks(gt.logs, { passwords: [a.password], emails: [a.email] })).toEqual([]);
  });

  it("Register emits the account.registered audit event", async () => {
    const a = await account();
    const events = gt.logs.map((line) => JSON.parse(line) as { event?: string; username?: string });
    expect(events.filter((e) => e.username === a.username).map((e) => e.event)).toContain(
      "account.registered",
    );
  });
});

describe("the wires: the same bytes read alike, a refused request leaves the connection usable", () => {
  it("a leading U+FEFF reads the same on every wire: Register refuses it in a username", async () => {
    const register = (wire: Wire) => {
      const name = `k${uid()}`;
      return g.call(wire, "register", {
        username: `\uFEFF${name}`,
        email: `${name}@example.com`,
        password: `${name} pw 123`,
        client,
      });
    };
    const answers = Object.fromEntries(
      await Promise.all(WIRES.map(async (w) => [w, verdict(await register(w))])),
    );
    expect(answers).toEqual(Object.fromEntries(WIRES.map((w) => [w, "INVALID_USERNAME"])));
  });

  it("after an over-size HTTP/1.1 request is refused, the next call on that keep-alive agent is answered", async () => {
    // One connection at a time: 1.2 MB of "é" is refused, then a tiny call must be served.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const transport = createConnectTransport({
      baseUrl: gt.server.url,
      httpVersion: "1.1",
      nodeOptions: { agent },
    });
    const api = createClient(AccountService, transport);
    try {
      for (let i = 0; i < 5; i++) {
        const refused = await api
          .login({ username: "é".repeat(600_000), password: "x" })
          .catch((e) => e);
        expect(ConnectError.from(refused).code).toBe(Code.ResourceExhausted);
        const next = await api.verifySession({ sessionToken: "" }, { timeoutMs: 3_000 }).then(
          () => "OK",
          (e) => Code[ConnectError.from(e).code],
        );
        expect(next).toBe("OK");
      }
    } finally {
      agent.destroy(); // a stuck request would hold the server's graceful close
    }
  });
});
