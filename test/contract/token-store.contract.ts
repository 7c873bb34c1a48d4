import { describe, expect, it } from "vitest";
import type { TokenKind } from "../../src/core/ports/token-store.js";
import { at, HOUR, hash, newAccount, newToken, unique } from "../support/records.js";
import { NO_ISOLATION_NOTE, type StoreHarness } from "../support/stores.js";
import { sharedStore } from "./harness.js";

const KINDS: TokenKind[] = ["verification", "reset"];

/** The TokenStore contract: single-use tokens by hash, each pointing at an account id. */
export function describeTokenStoreContract(harness: StoreHarness): void {
  describe(`TokenStore contract: ${harness.name}`, () => {
    const instance = sharedStore(harness);
    const tokens = () => instance().store.tokens;

    describe.each(KINDS)("%s tokens", (kind) => {
      it("stores, finds and consumes once by hash, with exact expiry and the address it proves", async () => {
        const token = newToken(unique("acct"), {
          expiresAt: at(HOUR + 123),
          email: "New.Address@example.com",
        });
        await tokens().add(kind, token);
        expect(await tokens().find(kind, token.tokenHash)).toEqual(token);
        expect(await tokens().consume(kind, token.tokenHash)).toEqual(token);
        expect(await tokens().consume(kind, token.tokenHash)).toBeNull();
        expect(await tokens().find(kind, token.tokenHash)).toBeNull();
        const plain = newToken(unique("acct"));
        await tokens().add(kind, plain);
        expect(await tokens().find(kind, plain.tokenHash)).toEqual(plain);
      });

      it("keeps the kinds apart: a hash stored as one kind is not found as the other", async () => {
        const token = newToken(unique("acct"));
        await tokens().add(kind, token);
        const other = kind === "verification" ? "reset" : "verification";
        expect(await tokens().find(other, token.tokenHash)).toBeNull();
        expect(await tokens().consume(other, token.tokenHash)).toBeNull();
        expect(await tokens().find(kind, token.tokenHash)).toEqual(token);
      });

      it("of 20 concurrent consumers of one token, exactly one gets it", async () => {
        const token = newToken(unique("acct"));
        await tokens().add(kind, token);
        const results = await Promise.all(
          Array.from({ length: 20 }, () => tokens().consume(kind, token.tokenHash)),
        );
        expect(results.filter((r) => r !== null)).toEqual([token]);
      });

      it("of 10 concurrent transactions consuming one token, exactly one commits, and only its writes persist", async (ctx) => {
        if (!instance().isolatesConcurrentTransactions) ctx.skip(NO_ISOLATION_NOTE);
        const store = instance().store;
        const account = newAccount();
        await store.accounts.create(account);
        const token = newToken(account.id);
        await tokens().add(kind, token);
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.transaction(async (tx) => {
              const got = await tx.tokens.consume(kind, token.tokenHash);
              if (got) await tx.accounts.changeCredentials(account.id, { passwordHash: `w-${i}` });
              return got !== null;
            }),
          ),
        );
        const winners = outcomes.flatMap((won, i) => (won ? [i] : []));
        expect(winners).toHaveLength(1);
        expect(await store.accounts.getCredentials(account.id)).toEqual({
          passwordHash: `w-${winners[0]}`,
          generation: 1,
        });
        expect(await tokens().find(kind, token.tokenHash)).toBeNull();
      });
    });

    it("removeForAccount removes both kinds for that account only, and counts them", async () => {
      const accountId = unique("acct");
      const [verification, reset] = [newToken(accountId), newToken(accountId)];
      const theirs = newToken(unique("other"));
      await tokens().add("verification", verification);
      await tokens().add("reset", reset);
      await tokens().add("reset", theirs);
      expect(await tokens().removeForAccount(accountId)).toBe(2);
      expect(await tokens().find("verification", verification.tokenHash)).toBeNull();
      expect(await tokens().find("reset", reset.tokenHash)).toBeNull();
      expect(await tokens().find("reset", theirs.tokenHash)).toEqual(theirs);
      expect(await tokens().removeForAccount(accountId)).toBe(0);
    });

    it("removeForAccount with a kind removes only that kind", async () => {
      const accountId = unique("acct");
      const [verification, reset] = [newToken(accountId), newToken(accountId)];
      await tokens().add("verification", verification);
      await tokens().add("reset", reset);
      expect(await tokens().removeForAccount(accountId, "verification")).toBe(1);
      expect(await tokens().find("verification", verification.tokenHash)).toBeNull();
      expect(await tokens().find("reset", reset.tokenHash)).toEqual(reset);
      expect(await tokens().removeForAccount(accountId, "reset")).toBe(1);
    });

    it("matches hostile-looking hashes literally", async () => {
      for (const value of ['{"$gt": ""}', "$where", "a.b", "$ne"]) {
        const token = newToken(unique("acct"), { tokenHash: value + hash() });
        await tokens().add("verification", token);
        expect(await tokens().find("verification", token.tokenHash)).toEqual(token);
        expect(await tokens().find("verification", value)).toBeNull();
        expect(await tokens().removeForAccount(value)).toBe(0);
      }
    });
  });
}
