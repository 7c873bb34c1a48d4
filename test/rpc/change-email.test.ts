import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectFailure } from "../support/rpc-errors.js";
import { storeHarnesses } from "../support/stores.js";
import {
  type AccountClient,
  PROTOCOLS,
  startTestServer,
  type TestServer,
} from "../support/test-server.js";

const client = { ip: "203.0.113.31", userAgent: "change-email-test" };
const PASSWORD = "change my email correct horse";

describe.each(storeHarnesses)("ChangeEmail, $name store", (harness) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ store: harness });
  });
  afterAll(() => t?.close());

  /** A verified account with a session. */
  async function account(api: AccountClient, username: string) {
    const email = `${username}@old.example.com`;
    const token = await t.mailbox.tokenFrom(email, "verification", () =>
      api.register({ username, email, password: PASSWORD, client }),
    );
    const { user } = await api.verifyEmail({ token, client });
    const { sessionToken } = await api.login({ username, password: PASSWORD, client });
    return { username, email, id: user?.id ?? "", sessionToken };
  }
  const change = (
    api: AccountClient,
    sessionToken: string,
    newEmail: string,
    password = PASSWORD,
  ) => api.changeEmail({ sessionToken, password, newEmail, client });

  it.each(
    PROTOCOLS,
  )("moves the account once the new address's link is used, over %s", async (protocol) => {
    const api = t.client(protocol);
    const a = await account(api, `mover-${protocol}`);
    const newEmail = `Mover-${protocol}@New.example.com`;
    const noticesBefore = t.mailbox.count(a.email, "email_change_requested");
    const token = await t.mailbox.tokenFrom(newEmail, "verification", () =>
      change(api, a.sessionToken, newEmail),
    );
    await t.mailbox.next(a.email, "email_change_requested", noticesBefore);
    // Nothing changes before the link is used.
    expect((await api.getCurrentUser({ sessionToken: a.sessionToken })).user?.email).toBe(a.email);
    const elsewhere = await api.login({ username: a.email, password: PASSWORD, client });

    // Opened in the session that asked: that session stays, every other one ends.
    const moved = await api.verifyEmail({ token, client, sessionToken: a.sessionToken });
    expect((await api.verifySession({ sessionToken: elsewhere.sessionToken })).valid).toBe(false);
    // The old address hears that the change is done, not only that it was asked for.
    await t.mailbox.next(a.email, "email_changed");
    // Audited by username and IP, never by address.
    const audit = t.logs.map((line) => JSON.parse(line)).filter((e) => e.username === a.username);
    expect(audit.map((e) => e.event)).toEqual(
      expect.arrayContaining(["email.change_requested", "email.changed"]),
    );
    expect(t.logs.join("\n")).not.toContain(newEmail);
    expect(moved.user).toMatchObject({ id: a.id, email: newEmail, emailVerified: true });
    await expectFailure(api.verifyEmail({ token, client }), Code.InvalidArgument, "INVALID_TOKEN");
    expect((await api.getCurrentUser({ sessionToken: a.sessionToken })).user).toMatchObject({
      id: a.id,
      email: newEmail,
    });
    const byNew = await api.login({ username: newEmail.toLowerCase(), password: PASSWORD, client });
    expect(byNew.user?.id).toBe(a.id);
    await expectFailure(
      api.login({ username: a.email, password: PASSWORD, client }),
      Code.Unauthenticated,
      "INVALID_CREDENTIALS",
    );
    // The old address is free: someone else may register it.
    const other = await api.register({
      username: `after-${protocol}`,
      email: a.email,
      password: PASSWORD,
      client,
    });
    expect(other.user?.id).not.toBe(a.id);
  });

  it.each(
    PROTOCOLS,
  )("answers a taken address like a free one, and mails its owner a notice instead of a link, over %s", async (protocol) => {
    const api = t.client(protocol);
    const a = await account(api, `asker-${protocol}`);
    const owner = await account(api, `owner-${protocol}`);
    const links = t.mailbox.count(owner.email, "verification");
    const notices = t.mailbox.count(a.email, "email_change_requested");
    const answer = await change(api, a.sessionToken, owner.email.toUpperCase());
    expect(answer).toEqual(await change(api, a.sessionToken, `free-${protocol}@example.com`));
    await t.mailbox.next(owner.email, "email_change_attempt");
    await t.mailbox.next(a.email, "email_change_requested", notices + 1);
    await t.settle();
    expect(t.mailbox.count(owner.email, "verification")).toBe(links);
    expect((await api.getCurrentUser({ sessionToken: owner.sessionToken })).user?.email).toBe(
      owner.email,
    );
  });

  it.each(
    PROTOCOLS,
  )("an address taken between request and confirmation: EMAIL_TAKEN, and nothing changes, over %s", async (protocol) => {
    const api = t.client(protocol);
    const a = await account(api, `racer-${protocol}`);
    const contested = `contested-${protocol}@example.com`;
    const token = await t.mailbox.tokenFrom(contested, "verification", () =>
      change(api, a.sessionToken, contested),
    );
    const winner = await api.register({
      username: `winner-${protocol}`,
      email: contested,
      password: PASSWORD,
      client,
    });
    for (let i = 0; i < 2; i++) {
      await expectFailure(api.verifyEmail({ token, client }), Code.AlreadyExists, "EMAIL_TAKEN");
    }
    expect((await api.getCurrentUser({ sessionToken: a.sessionToken })).user).toMatchObject({
      email: a.email,
      emailVerified: true,
    });
    await api.login({ username: a.email, password: PASSWORD, client });
    const owner = await api
      .login({ username: `winner-${protocol}`, password: PASSWORD, client })
      .catch(() => null);
    // The winner's registration is untouched (unverified: login may need verification).
    expect(owner?.user?.id ?? winner.user?.id).toBe(winner.user?.id);
  });

  it("refuses a dead session, a wrong password and a malformed address", async () => {
    const api = t.client("connect");
    const a = await account(api, "careful");
    await expectFailure(
      change(api, "uhs_dead", "x@example.com"),
      Code.Unauthenticated,
      "INVALID_SESSION",
    );
    await expectFailure(
      change(api, a.sessionToken, "x@example.com", "not the password"),
      Code.Unauthenticated,
      "INVALID_CREDENTIALS",
    );
    await expectFailure(
      change(api, a.sessionToken, "not an address"),
      Code.InvalidArgument,
      "INVALID_EMAIL",
    );
    expect((await api.getCurrentUser({ sessionToken: a.sessionToken })).user?.email).toBe(a.email);
  });
});
