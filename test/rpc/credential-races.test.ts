import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatedHarness, type PortMethod } from "../support/gated-store.js";
import { NO_ISOLATION_NOTE, storeHarnesses } from "../support/stores.js";
import { type AccountClient, startTestServer, type TestServer } from "../support/test-server.js";

const client = { ip: "203.0.113.41", userAgent: "credential-races" };
const PASSWORD = "racing credentials correct horse";

interface Victim {
  username: string;
  email: string;
  session: string;
}

/**
 * The credential changes a Login may race, each with the account-record write
 * it meets Login's write at, how to run it, and how many of the account's
 * sessions may remain afterwards (ChangePassword keeps the caller's own).
 */
const CHANGES: Record<
  string,
  {
    write: PortMethod;
    prepare: (t: TestServer, api: AccountClient, v: Victim) => Promise<() => Promise<unknown>>;
    survivors: number;
  }
> = {
  ChangePassword: {
    write: "accounts.changeCredentials",
    prepare: async (_t, api, v) => () =>
      api.changePassword({
        sessionToken: v.session,
        oldPassword: PASSWORD,
        newPassword: `${v.username} changed pw`,
      }),
    survivors: 1,
  },
  ResetPassword: {
    write: "accounts.changeCredentials",
    prepare: async (t, api, v) => {
      const token = await t.mailbox.tokenFrom(v.email, "password_reset", () =>
        api.sendPasswordReset({ email: v.email, client }),
      );
      return () => api.resetPassword({ token, newPassword: `${v.username} reset pw`, client });
    },
    survivors: 0,
  },
  DisableAccount: {
    write: "accounts.changeCredentials",
    prepare: async (t, _api, v) => {
      const admin = t.admin("grpc");
      const { account } = await admin.getAccount({
        lookup: { case: "username", value: v.username },
      });
      return () => admin.disableAccount({ accountId: account?.id ?? "", reason: "race" });
    },
    survivors: 0,
  },
  DeleteAccount: {
    write: "accounts.remove",
    prepare: async (_t, api, v) => () =>
      api.deleteAccount({ sessionToken: v.session, password: PASSWORD }),
    survivors: 0,
  },
};

/**
 * Login checks the password outside its transaction, then in the transaction
 * writes the account record (under the credential generation it read) and
 * opens the session. Here Login is held inside that transaction, after its
 * write, while a credential change runs. On MongoDB the change meets Login's
 * uncommitted write on the account document, gets a write conflict and is
 * retried by withTransaction after Login commits, so it sees (and revokes) the
 * new session; the memory store serialises the two. Either way no session
 * opened under the old credentials survives.
 */
describe.each(
  storeHarnesses,
)("a Login paused inside its transaction while the credentials change, $name store", (base) => {
  const { harness, gate } = gatedHarness(base);
  let t: TestServer;
  let api: AccountClient;
  beforeAll(async () => {
    t = await startTestServer({ store: harness, env: { REQUIRE_VERIFIED_EMAIL: "false" } });
    api = t.client("grpc");
  });
  afterAll(() => t?.close());

  it.for(
    Object.keys(CHANGES),
  )("%s: no session opened with the old credentials survives", async (name, ctx) => {
    if (!t.store.isolatesConcurrentTransactions) {
      console.log(`skipped "${name}" race on ${base.name}: ${NO_ISOLATION_NOTE}`);
      ctx.skip(NO_ISOLATION_NOTE);
    }
    const change = CHANGES[name] as (typeof CHANGES)[string];
    const username = `race-${name.toLowerCase()}-${Date.now() % 100_000}`;
    const email = `${username}@example.com`;
    const { user } = await api.register({ username, email, password: PASSWORD, client });
    const accountId = user?.id ?? "";
    const session = (await api.login({ username, password: PASSWORD, client })).sessionToken;
    const run = await change.prepare(t, api, { username, email, session });

    const writes = gate().calls(change.write, "inside");
    const paused = gate().pauseAfter("accounts.recordLogin", "inside");
    const login = api.login({ username, password: PASSWORD, client });
    await paused.reached;
    const changing = run();
    // Let the change reach its write to the account record (a store that
    // serialises transactions holds it back until Login ends: then this times out).
    await gate().called(change.write, "inside", writes, 1_000);
    paused.release();
    const [loggedIn, changed] = await Promise.allSettled([login, changing]);

    expect(changed.status).toBe("fulfilled");
    if (loggedIn.status === "fulfilled") {
      const raced = await api.verifySession({ sessionToken: loggedIn.value.sessionToken });
      expect(raced.valid).toBe(false);
    }
    expect(await t.store.store.sessions.list(accountId)).toHaveLength(change.survivors);
  });
});
