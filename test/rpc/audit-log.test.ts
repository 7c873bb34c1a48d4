import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/rpc-errors.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const client = { ip: "192.0.2.44", userAgent: "audit-test" };
// Guesses come from elsewhere: they lock the account for that address (username and email alike).
const guesser = { ip: "192.0.2.45", userAgent: "audit-test" };
const EMAIL = "audited.person@example.com";
const PASSWORDS = ["first audited password", "second audited password", "third audited password"];

/** Audit events as structured log lines, and nothing secret in any log line. */
describe("audit log", () => {
  let t: TestServer;
  const secrets: string[] = [EMAIL, ...PASSWORDS];
  beforeAll(async () => {
    t = await startTestServer({ env: { LOCKOUT_FAILURES: "2" } });
    const api = t.client("grpc");
    const [first = "", second = "", third = ""] = PASSWORDS;
    const verify = await t.mailbox.tokenFrom(EMAIL, "verification", () =>
      api.register({ username: "audited", email: EMAIL, password: first, client }),
    );
    await api.verifyEmail({ token: verify, client });
    await failureOf(api.login({ username: EMAIL, password: "wrong guess one", client: guesser }));
    await failureOf(api.login({ username: EMAIL, password: "wrong guess two", client: guesser }));
    const a = await api.login({ username: "audited", password: first, client });
    const b = await api.login({ username: "audited", password: first, client });
    await api.changePassword({
      sessionToken: a.sessionToken,
      oldPassword: first,
      newPassword: second,
    });
    await api.logout({ sessionToken: a.sessionToken });
    const reset = await t.mailbox.tokenFrom(EMAIL, "password_reset", () =>
      api.sendPasswordReset({ email: EMAIL, client }),
    );
    await api.resetPassword({ token: reset, newPassword: third, client });
    const c = await api.login({ username: "audited", password: third, client });
    await api.deleteAccount({ sessionToken: c.sessionToken, password: third });
    secrets.push(verify, reset, a.sessionToken, b.sessionToken, c.sessionToken);
    await t.settle();
  });
  afterAll(() => t?.close());

  const events = () => t.logs.map((line) => JSON.parse(line)).filter((entry) => entry.event);

  it("records each security-relevant event with who and where, in order", () => {
    const seen = events().map((e) => e.event);
    const expected = [
      "account.registered",
      "login.failed",
      "login.failed",
      "login.locked",
      "login.succeeded",
      "password.changed",
      "sessions.revoked",
      "password.reset",
      "account.deleted",
    ];
    let cursor = 0;
    for (const name of seen) if (name === expected[cursor]) cursor++;
    expect(expected.slice(cursor)).toEqual([]);
    expect(events().find((e) => e.event === "login.failed")).toMatchObject({
      login: "audited", // the account, never the name as typed
      ip: guesser.ip,
      reason: "invalid_credentials",
    });
    expect(
      events()
        .filter((e) => e.event === "sessions.revoked")
        .map((e) => [e.cause, e.count]),
    ).toEqual([
      ["password_change", 1],
      ["logout", 1],
      ["password_reset", 0],
      ["deletion", 1],
    ]);
  });

  it("never contains a token, a password or a full email", () => {
    const log = t.logs.join("\n");
    expect(log.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/uh[svrd]_[A-Za-z0-9_-]{43}/);
  });
});
