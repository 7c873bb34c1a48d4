import { describe, expect, it } from "vitest";
import {
  client,
  coreWorld,
  failsMidwayUnchanged,
  rejects,
  rejectsUnchanged,
} from "../support/core-world.js";

describe("ResendVerification", () => {
  it("mails an unverified account a fresh link, to its address as registered", async () => {
    const w = coreWorld();
    const person = await w.registered({ email: "Resend.Me@Example.com" });
    const token = await w.tokenFrom(person.email, "verification", () =>
      w.accounts.resendVerification({ email: "resend.me@EXAMPLE.com", client }),
    );
    expect(await w.accounts.verifyEmail({ token, client })).toMatchObject({
      id: person.user.id,
      verified: true,
    });
  });

  describe("the same answer for every well-formed email (no enumeration)", () => {
    it.each([
      ["an unknown email", async () => "nobody@example.com"],
      ["a verified account", async (w: ReturnType<typeof coreWorld>) => (await w.verified()).email],
    ])("%s: OK, no mail, nothing stored", async (_name, target) => {
      const w = coreWorld();
      const email = await target(w);
      await w.deliver();
      const before = await w.snapshot();
      const sent = w.mailbox.sent.length;
      await expect(w.accounts.resendVerification({ email, client })).resolves.toBeUndefined();
      expect(await w.snapshot()).toEqual(before);
      await w.deliver();
      expect(w.mailbox.sent.length).toBe(sent);
    });
  });

  it("a malformed email is INVALID_EMAIL", async () => {
    const w = coreWorld();
    await rejectsUnchanged(
      w,
      () => w.accounts.resendVerification({ email: "not an email", client }),
      "INVALID_EMAIL",
      "email",
    );
  });

  describe("limits", () => {
    it("mail_email: over budget for one address, RATE_LIMITED; unknown addresses count alike", async () => {
      const w = coreWorld({ limits: { mail_email: { points: 2, durationMs: 60_000 } } });
      const person = await w.registered();
      for (const email of [person.email, "nobody@example.com"]) {
        await w.accounts.resendVerification({ email, client });
        await w.accounts.resendVerification({ email: email.toUpperCase(), client });
        const error = await rejectsUnchanged(
          w,
          () => w.accounts.resendVerification({ email, client }),
          "RATE_LIMITED",
        );
        expect(error.retryAfterMs).toBeGreaterThan(0);
      }
      // Another address still has its budget.
      await w.accounts.resendVerification({ email: "other@example.com", client });
    });

    it("mail_ip: over budget from one address, RATE_LIMITED whichever email is asked for", async () => {
      const w = coreWorld({ limits: { mail_ip: { points: 2, durationMs: 60_000 } } });
      await w.accounts.resendVerification({ email: "a@example.com", client });
      await w.accounts.resendVerification({ email: "b@example.com", client });
      await rejects(
        w.accounts.resendVerification({ email: "c@example.com", client }),
        "RATE_LIMITED",
      );
      const elsewhere = { ip: "203.0.113.50", userAgent: "core-test" };
      await w.accounts.resendVerification({ email: "c@example.com", client: elsewhere });
    });
  });

  it("a store failure while queuing the mail leaves no token behind", async () => {
    const w = coreWorld();
    const person = await w.registered();
    await failsMidwayUnchanged(w, () =>
      w.accounts.resendVerification({ email: person.email, client }),
    );
  });
});
