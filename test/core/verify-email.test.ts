import { describe, expect, it } from "vitest";
import { client, coreWorld, DAY, rejects, rejectsUnchanged } from "../support/core-world.js";

describe("VerifyEmail", () => {
  it("the link from Register marks the account verified, which Login requires", async () => {
    const w = coreWorld();
    const person = await w.registered();
    await rejects(w.accounts.login({ ...person, client }), "EMAIL_NOT_VERIFIED");
    const user = await w.accounts.verifyEmail({ token: person.link ?? "", client });
    expect(user).toEqual({ ...person.user, verified: true });
    expect(await w.store.accounts.get(person.user.id)).toEqual(user);
    expect(await w.canLogin(person.username, person.password)).toBe(true);
  });

  it("single use: the second use is INVALID_TOKEN", async () => {
    const w = coreWorld();
    const person = await w.registered();
    const token = person.link ?? "";
    await w.accounts.verifyEmail({ token, client });
    await rejectsUnchanged(w, () => w.accounts.verifyEmail({ token, client }), "INVALID_TOKEN");
  });

  it("expires after the verification TTL: then INVALID_TOKEN and the account stays unverified", async () => {
    const w = coreWorld({ settings: { verificationTtlMs: DAY } });
    const person = await w.registered();
    w.clock.advance(DAY);
    await rejectsUnchanged(
      w,
      () => w.accounts.verifyEmail({ token: person.link ?? "", client }),
      "INVALID_TOKEN",
      "token",
    );
    expect((await w.store.accounts.get(person.user.id))?.verified).toBe(false);
  });

  it("works until the last millisecond of the TTL", async () => {
    const w = coreWorld({ settings: { verificationTtlMs: DAY } });
    const person = await w.registered();
    w.clock.advance(DAY - 1);
    expect(await w.accounts.verifyEmail({ token: person.link ?? "", client })).toMatchObject({
      verified: true,
    });
  });

  it.each([
    ["empty", () => ""],
    ["unknown but well-formed", () => `uhv_${"A".repeat(43)}`],
    ["junk after the prefix", () => `uhv_${"!".repeat(43)}`],
  ])("a %s token is INVALID_TOKEN and changes nothing", async (_name, token) => {
    const w = coreWorld();
    await w.registered();
    await rejectsUnchanged(
      w,
      () => w.accounts.verifyEmail({ token: token(), client }),
      "INVALID_TOKEN",
      "token",
    );
  });

  it("a token of another kind is never accepted, even with the prefix swapped", async () => {
    const w = coreWorld();
    const person = await w.verified();
    const reset = await w.tokenFrom(person.email, "password_reset", () =>
      w.accounts.sendPasswordReset({ email: person.email, client }),
    );
    for (const token of [reset, `uhv_${reset.slice(4)}`]) {
      await rejectsUnchanged(w, () => w.accounts.verifyEmail({ token, client }), "INVALID_TOKEN");
    }
  });

  it("using one link ends the account's other verification links: none outlives a verified address", async () => {
    const w = coreWorld();
    const person = await w.registered();
    const first = person.link ?? "";
    const second = await w.tokenFrom(person.email, "verification", () =>
      w.accounts.resendVerification({ email: person.email, client }),
    );
    await w.accounts.verifyEmail({ token: first, client });
    await rejectsUnchanged(
      w,
      () => w.accounts.verifyEmail({ token: second, client }),
      "INVALID_TOKEN",
    );
    expect((await w.store.accounts.get(person.user.id))?.verified).toBe(true);
  });
});
