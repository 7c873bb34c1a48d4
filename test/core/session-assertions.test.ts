import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it, vi } from "vitest";
import { client, coreWorld, MINUTE } from "../support/core-world.js";

/** The flows' side of session assertions; the wire side is test/rpc/session-assertions.test.ts. */
describe("session assertions in the flows", () => {
  const claimsOf = async (w: ReturnType<typeof coreWorld>, jws: string) =>
    (
      await jwtVerify(jws, createLocalJWKSet(JSON.parse(await w.accounts.getSessionKeys())), {
        currentDate: w.clock.now(),
        issuer: "userharbor",
      })
    ).payload;

  it("Login signs one for the new session: its id, the account, the verified flag", async () => {
    const w = coreWorld();
    const person = await w.verified();
    const result = await w.accounts.login({ ...person, client });
    const [session] = await w.store.sessions.list(person.user.id);
    expect(w.signed()).toBe(1);
    expect(await claimsOf(w, result.sessionAssertion)).toMatchObject({
      sub: person.user.id,
      sid: session?.id,
      username: person.username,
      email_verified: true,
    });
  });

  it("VerifySession without issueAssertion signs nothing and reads only the session", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const signedBefore = w.signed();
    const accountReads = vi.spyOn(w.store.accounts, "get");
    const answer = await w.accounts.verifySession(person.session, false);
    expect(answer).toMatchObject({ valid: true });
    expect(answer).not.toHaveProperty("assertion");
    expect(await w.accounts.verifySession(person.session)).not.toHaveProperty("assertion");
    expect(w.signed()).toBe(signedBefore);
    expect(accountReads).not.toHaveBeenCalled();
  });

  it("VerifySession with issueAssertion reads the account once and signs one, capped at the session's expiry", async () => {
    const w = coreWorld({ settings: { sessionIdleTtlMs: 2 * MINUTE } });
    const person = await w.signedIn({});
    const signedBefore = w.signed();
    const accountReads = vi.spyOn(w.store.accounts, "get");
    const answer = await w.accounts.verifySession(person.session, true);
    expect(accountReads).toHaveBeenCalledTimes(1);
    expect(w.signed()).toBe(signedBefore + 1);
    if (!answer.valid || !answer.assertion)
      throw new Error("expected a valid answer with an assertion");
    const claims = await claimsOf(w, answer.assertion);
    // The idle TTL (2 min) ends the session before the 5-minute assertion TTL would.
    expect(claims.exp).toBe(Math.floor(answer.expiresAt.getTime() / 1000));
    expect(claims.exp).toBeLessThan(Math.floor(w.clock.now().getTime() / 1000) + 300);
  });

  it("a dead session with issueAssertion is valid=false and nothing is signed", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    await w.accounts.logout(person.session);
    const signedBefore = w.signed();
    for (const token of [person.session, "", `uhs_${"A".repeat(43)}`]) {
      expect(await w.accounts.verifySession(token, true)).toEqual({
        valid: false,
      });
    }
    expect(w.signed()).toBe(signedBefore);
  });

  it("a live session whose account is disabled gets no assertion", async () => {
    const w = coreWorld();
    const person = await w.signedIn();
    const account = await w.store.accounts.get(person.user.id);
    if (!account) throw new Error("no account");
    // The record alone (as if an operator's change had not ended the sessions): the guard holds.
    vi.spyOn(w.store.accounts, "get").mockResolvedValue({ ...account, disabled: true });
    const signedBefore = w.signed();
    expect(await w.accounts.verifySession(person.session, true)).toEqual({
      valid: false,
    });
    expect(w.signed()).toBe(signedBefore);
  });
});
