import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MailTemplates } from "../../src/adapters/email/mail-templates.js";
import { expectFailure } from "../support/rpc-errors.js";
import { type AccountClient, startTestServer, type TestServer } from "../support/test-server.js";

const PASSWORD = "owner's correct horse battery";
const ATTACKER_PASSWORD = "the attacker's own new password";
const owner = { ip: "192.0.2.10", userAgent: "owner-browser" };
const attacker = { ip: "198.51.100.66", userAgent: "attacker-script" };

/**
 * The takeover a pending email change allowed: an attacker who knows the
 * password signs in and asks to move the email to an address they own. The
 * owner gets the notice and signs out everywhere (or an operator revokes the
 * account's sessions). The attacker's session is gone, but the link used to
 * survive: VerifyEmail moved the email, and a reset mailed to the new address
 * took the account. Signing out everywhere now cancels pending links, so the
 * whole sequence fails at VerifyEmail. Over gRPC, end to end.
 */
describe("the email-change takeover fails at VerifyEmail once the owner signs out everywhere", () => {
  let t: TestServer;
  let api: AccountClient;
  beforeAll(async () => {
    t = await startTestServer();
    api = t.client("grpc");
  });
  afterAll(() => t?.close());

  const SIGN_OUT_EVERYWHERE = {
    "LogoutAll by the owner": async (sessionToken: string) => {
      await api.logoutAll({ sessionToken });
    },
    "RevokeAccountSessions by an operator": async (_sessionToken: string, accountId: string) => {
      await t.admin("grpc").revokeAccountSessions({ accountId });
    },
  };

  it.each(Object.entries(SIGN_OUT_EVERYWHERE))("%s", async (how, signOutEverywhere) => {
    const username = how.startsWith("LogoutAll") ? "victim-logoutall" : "victim-revoke";
    const email = `${username}@example.com`;
    const link = await t.mailbox.tokenFrom(email, "verification", () =>
      api.register({ username, email, password: PASSWORD, client: owner }),
    );
    const { user } = await api.verifyEmail({ token: link, client: owner });
    const ownerSession = await api.login({ username, password: PASSWORD, client: owner });

    // The attacker knows the password: signs in and asks to move the account.
    const evil = `${username}@attacker.example`;
    const attackerSession = await api.login({ username, password: PASSWORD, client: attacker });
    const moveLink = await t.mailbox.tokenFrom(evil, "verification", () =>
      api.changeEmail({
        sessionToken: attackerSession.sessionToken,
        password: PASSWORD,
        newEmail: evil,
        client: attacker,
      }),
    );
    // The owner is told, and does what the notice says: sign out everywhere.
    await t.mailbox.next(email, "email_change_requested");
    await signOutEverywhere(ownerSession.sessionToken, user?.id ?? "");
    expect((await api.verifySession({ sessionToken: attackerSession.sessionToken })).valid).toBe(
      false,
    );

    // The attacker's link is dead: the email does not move.
    await expectFailure(
      api.verifyEmail({ token: moveLink, client: attacker }),
      Code.InvalidArgument,
      "INVALID_TOKEN",
    );
    // So a reset asked for the attacker's address mails nobody, and the account stays the owner's.
    const resetsToAttacker = t.mailbox.count(evil, "password_reset");
    await api.sendPasswordReset({ email: evil, client: attacker });
    await t.settle();
    expect(t.mailbox.count(evil, "password_reset")).toBe(resetsToAttacker);
    const resetLink = await t.mailbox.tokenFrom(email, "password_reset", () =>
      api.sendPasswordReset({ email, client: owner }),
    );
    await api.resetPassword({ token: resetLink, newPassword: ATTACKER_PASSWORD, client: owner });
    const back = await api.login({ username: email, password: ATTACKER_PASSWORD, client: owner });
    expect(back.user).toMatchObject({ id: user?.id, email });
  });

  it("the notice names the actions that really cancel the change", () => {
    const templates = new MailTemplates({
      product: "UserHarbor",
      verificationTtlMs: 86_400_000,
      resetTtlMs: 3_600_000,
    });
    const notice = templates.render(
      { kind: "email_change_requested", to: "owner@example.com", username: "owner" },
      undefined,
    );
    for (const body of [notice.text, notice.html.replace(/<[^>]+>/g, "")]) {
      expect(body).toMatch(/sign out everywhere/i);
      expect(body).toMatch(/cancels the change/);
    }
  });
});
