import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectFailure } from "../support/rpc-errors.js";
import { storeHarnesses } from "../support/stores.js";
import { PROTOCOLS, startTestServer, type TestServer } from "../support/test-server.js";

const client = { ip: "203.0.113.7", userAgent: "lifecycle-test/1.0" };

describe.each(storeHarnesses)("account lifecycle, $name store", (harness) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ store: harness });
  });
  afterAll(() => t?.close());

  it.each(PROTOCOLS)("every RPC in order over %s", async (protocol) => {
    const api = t.client(protocol);
    const username = `jane-${protocol}`;
    const email = `Jane.${protocol}@Example.com`;
    const first = "correct horse battery staple";

    // Register: unverified; the verification mail carries the token.
    const firstToken = await t.mailbox.tokenFrom(email, "verification", async () => {
      const { user } = await api.register({ username, email, password: first, client });
      expect(user).toMatchObject({ username, email, emailVerified: false });
      expect(user?.createTime).toBeDefined();
    });
    await expectFailure(
      api.login({ username, password: first, client }),
      Code.FailedPrecondition,
      "EMAIL_NOT_VERIFIED",
    );

    // ResendVerification mails a second, different token; VerifyEmail consumes it.
    const secondToken = await t.mailbox.tokenFrom(email, "verification", () =>
      api.resendVerification({ email: email.toUpperCase(), client }),
    );
    expect(secondToken).not.toBe(firstToken);
    const verified = await api.verifyEmail({ token: secondToken, client });
    expect(verified.user).toMatchObject({ username, emailVerified: true });
    await expectFailure(
      api.verifyEmail({ token: secondToken, client }),
      Code.InvalidArgument,
      "INVALID_TOKEN",
    );

    // Login by username and by email (case-insensitive); sessions are live.
    const a = await api.login({ username: username.toUpperCase(), password: first, client });
    expect(a.sessionToken).toMatch(/^uhs_[A-Za-z0-9_-]{43}$/);
    expect(a.user?.username).toBe(username);
    const b = await api.login({
      username: email.toLowerCase(),
      password: first,
      client: { ip: "", userAgent: "" },
    });
    const check = await api.verifySession({ sessionToken: a.sessionToken });
    expect(check).toMatchObject({ valid: true, username });
    expect(Number(check.expireTime?.seconds)).toBeGreaterThan(Date.now() / 1000);
    expect((await api.getCurrentUser({ sessionToken: a.sessionToken })).user).toMatchObject({
      username,
      email,
    });

    // ListSessions: both, newest first, the caller's marked current, client context recorded.
    const { sessions } = await api.listSessions({ sessionToken: a.sessionToken });
    expect(sessions).toHaveLength(2);
    const mine = sessions.find((s) => s.current);
    expect(mine).toMatchObject({ ip: client.ip, userAgent: client.userAgent });
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions.find((s) => !s.current)?.ip).toBe("127.0.0.1"); // empty ip: the connection's address

    // ChangePassword: other sessions die, the caller's stays; old password stops working.
    const second = "second correct horse battery";
    await api.changePassword({
      sessionToken: a.sessionToken,
      oldPassword: first,
      newPassword: second,
    });
    expect((await api.verifySession({ sessionToken: b.sessionToken })).valid).toBe(false);
    expect((await api.verifySession({ sessionToken: a.sessionToken })).valid).toBe(true);
    await expectFailure(
      api.login({ username, password: first, client }),
      Code.Unauthenticated,
      "INVALID_CREDENTIALS",
    );
    await t.mailbox.next(email, "password_changed");

    // Logout: idempotent.
    await api.logout({ sessionToken: a.sessionToken });
    await api.logout({ sessionToken: a.sessionToken });
    expect((await api.verifySession({ sessionToken: a.sessionToken })).valid).toBe(false);

    // Reset by email token: every old session dies.
    const c = await api.login({ username, password: second, client });
    const resetToken = await t.mailbox.tokenFrom(email, "password_reset", () =>
      api.sendPasswordReset({ email, client }),
    );
    const third = "third correct horse battery";
    await api.resetPassword({ token: resetToken, newPassword: third, client });
    expect((await api.verifySession({ sessionToken: c.sessionToken })).valid).toBe(false);
    await expectFailure(
      api.login({ username, password: second, client }),
      Code.Unauthenticated,
      "INVALID_CREDENTIALS",
    );

    // RevokeSession by id from the list; LogoutAll counts what it revoked.
    const d = await api.login({ username, password: third, client });
    const e = await api.login({ username, password: third, client });
    const listed = await api.listSessions({ sessionToken: d.sessionToken });
    const other = listed.sessions.find((s) => !s.current);
    await api.revokeSession({ sessionToken: d.sessionToken, sessionId: other?.id ?? "" });
    expect((await api.verifySession({ sessionToken: e.sessionToken })).valid).toBe(false);
    const f = await api.login({ username, password: third, client });
    expect((await api.logoutAll({ sessionToken: d.sessionToken })).revokedCount).toBe(2);
    expect((await api.verifySession({ sessionToken: d.sessionToken })).valid).toBe(false);
    expect((await api.verifySession({ sessionToken: f.sessionToken })).valid).toBe(false);

    // DeleteAccount: login then fails, sessions are gone.
    const g = await api.login({ username, password: third, client });
    await api.deleteAccount({ sessionToken: g.sessionToken, password: third });
    await expectFailure(
      api.login({ username, password: third, client }),
      Code.Unauthenticated,
      "INVALID_CREDENTIALS",
    );
    expect((await api.verifySession({ sessionToken: g.sessionToken })).valid).toBe(false);
    await expectFailure(
      api.getCurrentUser({ sessionToken: g.sessionToken }),
      Code.Unauthenticated,
      "INVALID_SESSION",
    );
    // The username and email are free again.
    await api.register({ username, email, password: first, client });
  });
});
