import { describe, expect, it } from "vitest";
import {
  type CoreWorld,
  client,
  coreWorld,
  DAY,
  failsMidwayUnchanged,
  NEW_PASSWORD,
  PASSWORD,
  type Person,
  rejects,
  rejectsUnchanged,
  until,
} from "../support/core-world.js";

/** A signed-in account asking to move to `newEmail`; returns the link's token. */
async function askToMove(w: CoreWorld, newEmail = "moved@example.com") {
  const person = await w.signedIn();
  const token = await w.tokenFrom(newEmail, "verification", () =>
    w.accounts.changeEmail({ sessionToken: person.session, password: PASSWORD, newEmail, client }),
  );
  return { ...person, newEmail, token };
}

describe("ChangeEmail", () => {
  it("changes nothing yet: links the new address, tells the current one", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    await w.deliver();
    const before = await w.store.accounts.get(person.user.id);
    await w.accounts.changeEmail({
      sessionToken: person.session,
      password: PASSWORD,
      newEmail: "New.Address@example.com",
      client,
    });
    expect(await w.store.accounts.get(person.user.id)).toEqual(before);
    expect(await w.canLogin(person.email, PASSWORD)).toBe(true);
    expect(await w.mail(person.email, "email_change_requested")).toEqual([
      { kind: "email_change_requested", to: person.email, username: person.username },
    ]);
    const [link, ...more] = await w.mail("New.Address@example.com");
    expect(more).toEqual([]);
    expect(link).toMatchObject({ kind: "verification", username: person.username });
    expect(w.audit).toContainEqual({
      type: "email.change_requested",
      username: person.username,
      ip: client.ip,
    });
  });

  it("the link moves the account: verified at the new address, the old one free", async () => {
    const w = coreWorld();
    const person = await askToMove(w, "Moved@Example.com");
    const user = await w.accounts.verifyEmail({ token: person.token, client });
    expect(user).toMatchObject({
      id: person.user.id,
      email: "Moved@Example.com",
      emailKey: "moved@example.com",
      verified: true,
    });
    expect(await w.store.accounts.get(person.user.id)).toMatchObject({
      email: "Moved@Example.com",
    });
    expect(await w.canLogin("moved@example.com", PASSWORD)).toBe(true);
    expect(await w.canLogin(person.email, PASSWORD)).toBe(false);
    // The old address is free: registering it makes a new account.
    const newcomer = await w.registered({ email: person.email });
    expect(newcomer.user.id).not.toBe(person.user.id);
    expect(await w.store.accounts.findByEmail(person.email)).toMatchObject({
      id: newcomer.user.id,
    });
    expect(w.audit).toContainEqual({ type: "email.changed", username: person.username });
  });

  it("the move kills every other outstanding link (they were sent for the old address)", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const older = await w.pendingLinks(person);
    const token = await w.tokenFrom("final@example.com", "verification", () =>
      w.accounts.changeEmail({
        sessionToken: person.session,
        password: PASSWORD,
        newEmail: "final@example.com",
        client,
      }),
    );
    await w.accounts.verifyEmail({ token, client });
    await w.expectLinksDead(older);
    expect(await w.store.accounts.get(person.user.id)).toMatchObject({
      email: "final@example.com",
    });
  });

  it("an address that belongs to another account: the same OK, its owner a notice, no link anywhere", async () => {
    const w = coreWorld();
    const owner = await w.verified();
    const person = await w.signedIn();
    await w.deliver();
    const before = await w.snapshot();
    await w.accounts.changeEmail({
      sessionToken: person.session,
      password: PASSWORD,
      newEmail: owner.email.toUpperCase(),
      client,
    });
    expect(await w.mail(owner.email)).toEqual([
      expect.objectContaining({ kind: "verification" }), // from the owner's own registration
      { kind: "email_change_attempt", to: owner.email, username: owner.username },
    ]);
    expect(await w.mail(person.email, "email_change_requested")).toHaveLength(1);
    expect(w.mailbox.sent.filter((m) => m.to === owner.email.toUpperCase())).toEqual([]);
    // Nothing but the (delivered) notices: no token, no account change.
    expect(await w.snapshot()).toEqual(before);
  });

  it("the current address, in any case, is nothing to do: no mail, no change", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    await w.deliver();
    const before = await w.snapshot();
    const sent = w.mailbox.sent.length;
    await w.accounts.changeEmail({
      sessionToken: person.session,
      password: PASSWORD,
      newEmail: person.email.toUpperCase(),
      client,
    });
    expect(await w.snapshot()).toEqual(before);
    expect(await w.deliver()).toBe(0);
    expect(w.mailbox.sent.length).toBe(sent);
  });

  it("the link expires after the verification TTL; the account keeps its address", async () => {
    const w = coreWorld({ settings: { verificationTtlMs: DAY } });
    const person = await askToMove(w);
    w.clock.advance(DAY);
    await rejectsUnchanged(
      w,
      () => w.accounts.verifyEmail({ token: person.token, client }),
      "INVALID_TOKEN",
    );
    expect(await w.store.accounts.get(person.user.id)).toMatchObject({ email: person.email });
  });

  it("an address claimed meanwhile is EMAIL_TAKEN: nothing changes, the link included", async () => {
    const w = coreWorld();
    const person = await askToMove(w);
    const claimant = await w.signedIn({ email: person.newEmail });
    await rejectsUnchanged(
      w,
      () => w.accounts.verifyEmail({ token: person.token, client }),
      "EMAIL_TAKEN",
      "token",
    );
    expect(await w.store.accounts.get(person.user.id)).toMatchObject({ email: person.email });
    // The link was not used up: once the address is free again, it still works.
    await w.accounts.deleteAccount({ sessionToken: claimant.session, password: PASSWORD });
    expect(await w.accounts.verifyEmail({ token: person.token, client })).toMatchObject({
      email: person.newEmail,
    });
  });

  it("a malformed new address is INVALID_EMAIL on new_email, before any password work", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const work = w.hasher.work;
    await rejectsUnchanged(
      w,
      () =>
        w.accounts.changeEmail({
          sessionToken: person.session,
          password: "not the password",
          newEmail: "not an address",
          client,
        }),
      "INVALID_EMAIL",
      "new_email",
    );
    expect(w.hasher.work).toBe(work);
  });

  it("a wrong password is INVALID_CREDENTIALS on password: no mail, no change", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    await rejectsUnchanged(
      w,
      () =>
        w.accounts.changeEmail({
          sessionToken: person.session,
          password: "not the password",
          newEmail: "moved@example.com",
          client,
        }),
      "INVALID_CREDENTIALS",
      "password",
    );
  });

  it("wrong passwords across the account's sessions lock its password checks", async () => {
    const w = coreWorld({ lockout: { account: 2 } });
    const person = await w.signedIn();
    const change = (password: string) =>
      w.accounts.changeEmail({
        sessionToken: person.session,
        password,
        newEmail: "moved@example.com",
        client,
      });
    await rejects(change("wrong one"), "INVALID_CREDENTIALS");
    await rejects(change("wrong two"), "INVALID_CREDENTIALS");
    await rejectsUnchanged(w, () => change(PASSWORD), "RATE_LIMITED");
  });

  it("mail_email: the new address's mail budget applies", async () => {
    const w = coreWorld({ limits: { mail_email: { points: 1, durationMs: 60_000 } } });
    const person = await w.signedIn();
    await w.accounts.sendPasswordReset({ email: "target@example.com", client });
    await rejectsUnchanged(
      w,
      () =>
        w.accounts.changeEmail({
          sessionToken: person.session,
          password: PASSWORD,
          newEmail: "TARGET@example.com",
          client,
        }),
      "RATE_LIMITED",
    );
  });

  it("a dead session is INVALID_SESSION", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    await w.accounts.logout(person.session);
    await rejectsUnchanged(
      w,
      () =>
        w.accounts.changeEmail({
          sessionToken: person.session,
          password: PASSWORD,
          newEmail: "moved@example.com",
          client,
        }),
      "INVALID_SESSION",
      "session_token",
    );
  });

  it("a store failure while queuing the mail leaves no link behind", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    await failsMidwayUnchanged(w, () =>
      w.accounts.changeEmail({
        sessionToken: person.session,
        password: PASSWORD,
        newEmail: "moved@example.com",
        client,
      }),
    );
  });

  describe("a ChangeEmail whose password check raced a sign-out everywhere leaves no link", () => {
    it.each<
      [string, (w: CoreWorld, p: Person & { session: string }) => Promise<() => Promise<unknown>>]
    >([
      [
        "LogoutAll from another session",
        async (w, p) => {
          const other = await w.login(p);
          return () => w.accounts.logoutAll(other);
        },
      ],
      ["RevokeAccountSessions", async (w, p) => () => w.admin.revokeAccountSessions(p.user.id)],
      [
        "ResetPassword",
        async (w, p) => {
          const token = await w.tokenFrom(p.email, "password_reset", () =>
            w.accounts.sendPasswordReset({ email: p.email, client }),
          );
          return () => w.accounts.resetPassword({ token, newPassword: NEW_PASSWORD, client });
        },
      ],
      [
        "DisableAccount (then EnableAccount)",
        async (w, p) => async () => {
          await w.admin.disableAccount(p.user.id, "");
          await w.admin.enableAccount(p.user.id);
        },
      ],
    ])("%s", async (_name, prepare) => {
      const w = coreWorld();
      const person = await w.signedIn();
      const revoke = await prepare(w, person);
      const hashing = w.holdHashing();
      const asked = w.accounts.changeEmail({
        sessionToken: person.session,
        password: PASSWORD,
        newEmail: "taker@example.com",
        client,
      });
      await until(() => hashing.held === 1, "ChangeEmail checked the password");
      await revoke();
      hashing.release();
      await rejects(asked, "INVALID_SESSION", "session_token");
      expect(await w.mail("taker@example.com")).toEqual([]);
      expect(await w.recordsOf(person.user.id)).not.toHaveProperty("verifications");
    });
  });
});
