import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufCurl } from "../support/buf-curl.js";
import { newAccount, unique } from "../support/records.js";
import { expectFailure } from "../support/rpc-errors.js";
import { signUp } from "../support/sign-up.js";
import { storeHarnesses } from "../support/stores.js";
import { PROTOCOLS, startTestServer, type TestServer } from "../support/test-server.js";

const PASSWORD = "admin suite correct horse";
const client = { ip: "203.0.113.9", userAgent: "admin-test" };
const auditLines = (t: TestServer) =>
  t.logs.map((line) => JSON.parse(line)).filter((entry) => entry.event === "admin.action");

describe.each(storeHarnesses)("AdminService on the $name store", (harness) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ store: harness, env: { REQUIRE_VERIFIED_EMAIL: "false" } });
  });
  afterAll(() => t?.close());

  /** A registered user with one session; returns its id and session token. */
  const member = async () => {
    const username = unique("member").replace(/-/g, "_");
    const sessionToken = await signUp(t.client("grpc"), { username, password: PASSWORD, client });
    const { user } = await t.client("grpc").getCurrentUser({ sessionToken });
    return { username, email: `${username}@example.com`, id: user?.id as string, sessionToken };
  };

  it.each(
    PROTOCOLS,
  )("over %s: GetAccount finds by id, username and email, with live sessions and last login", async (protocol) => {
    const m = await member();
    const admin = t.admin(protocol);
    for (const lookup of [
      { case: "id" as const, value: m.id.toUpperCase() },
      { case: "username" as const, value: m.username.toUpperCase() },
      { case: "email" as const, value: m.email.toUpperCase() },
    ]) {
      const { account } = await admin.getAccount({ lookup });
      expect(account).toMatchObject({
        id: m.id,
        username: m.username,
        email: m.email,
        emailVerified: false,
        disabled: false,
        liveSessionCount: 1,
      });
      expect(account?.lastLoginTime).toBeDefined();
      expect(account?.createTime).toBeDefined();
    }
  });

  it("disable: login with the right password is ACCOUNT_DISABLED, its session dies at once; enable: login works", async () => {
    const m = await member();
    const api = t.client("grpc");
    const admin = t.admin("grpc");
    const resetToken = await t.mailbox.tokenFrom(m.email, "password_reset", () =>
      api.sendPasswordReset({ email: m.email, client }),
    );
    const { account } = await admin.disableAccount({ accountId: m.id, reason: "abuse report 42" });
    expect(account).toMatchObject({ id: m.id, disabled: true, liveSessionCount: 0 });

    await expectFailure(
      api.login({ username: m.username, password: PASSWORD, client }),
      Code.FailedPrecondition,
      "ACCOUNT_DISABLED",
    );
    // Only to a caller who knows the password.
    await expectFailure(
      api.login({ username: m.username, password: "not the password at all", client }),
      Code.Unauthenticated,
      "INVALID_CREDENTIALS",
    );
    expect((await api.verifySession({ sessionToken: m.sessionToken })).valid).toBe(false);
    await expectFailure(
      api.getCurrentUser({ sessionToken: m.sessionToken }),
      Code.Unauthenticated,
      "INVALID_SESSION",
    );
    // Its tokens stop working, and no new ones are issued while disabled.
    await expectFailure(
      api.resetPassword({ token: resetToken, newPassword: "a brand new passphrase", client }),
      Code.InvalidArgument,
      "INVALID_TOKEN",
    );
    const resets = t.mailbox.count(m.email, "password_reset");
    await api.sendPasswordReset({ email: m.email, client });
    await t.settle();
    expect(t.mailbox.count(m.email, "password_reset")).toBe(resets);

    const enabled = await admin.enableAccount({ accountId: m.id });
    expect(enabled.account?.disabled).toBe(false);
    const login = await api.login({ username: m.username, password: PASSWORD, client });
    expect((await api.verifySession({ sessionToken: login.sessionToken })).valid).toBe(true);
    expect((await api.verifySession({ sessionToken: m.sessionToken })).valid).toBe(false);

    const line = auditLines(t).find((e) => e.action === "DisableAccount" && e.accountId === m.id);
    expect(line).toMatchObject({ outcome: "ok", note: "abuse report 42" });
  });

  it("lists and revokes an account's sessions; the account can log in again", async () => {
    const m = await member();
    const api = t.client("grpc");
    await api.login({ username: m.username, password: PASSWORD, client });
    const admin = t.admin("connect");
    const { sessions } = await admin.listAccountSessions({ accountId: m.id });
    expect(sessions).toHaveLength(2);
    expect(sessions.every((s) => s.ip === client.ip && !s.current)).toBe(true);
    expect((await admin.revokeAccountSessions({ accountId: m.id })).revokedCount).toBe(2);
    expect((await api.verifySession({ sessionToken: m.sessionToken })).valid).toBe(false);
    expect((await admin.listAccountSessions({ accountId: m.id })).sessions).toEqual([]);
    await api.login({ username: m.username, password: PASSWORD, client });
    const { account } = await admin.getAccount({ lookup: { case: "id", value: m.id } });
    expect(account?.liveSessionCount).toBe(1);
  });

  it("delete as admin removes everything; the same username registered again gets a new id", async () => {
    const m = await member();
    const admin = t.admin("grpc");
    await admin.deleteAccountAsAdmin({ accountId: m.id });
    await expectFailure(
      admin.getAccount({ lookup: { case: "id", value: m.id } }),
      Code.NotFound,
      "ACCOUNT_NOT_FOUND",
    );
    await expectFailure(
      admin.deleteAccountAsAdmin({ accountId: m.id }),
      Code.NotFound,
      "ACCOUNT_NOT_FOUND",
    );
    expect((await t.client("grpc").verifySession({ sessionToken: m.sessionToken })).valid).toBe(
      false,
    );
    const { user } = await t
      .client("grpc")
      .register({ username: m.username, email: m.email, password: PASSWORD, client });
    expect(user?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(user?.id).not.toBe(m.id);
    const { sessions } = await admin.listAccountSessions({ accountId: user?.id as string });
    expect(sessions).toEqual([]);
  });

  it("MarkEmailVerified lets an account log in where verification is required", async () => {
    const m = await member();
    const { account } = await t.admin("grpc").markEmailVerified({ accountId: m.id });
    expect(account?.emailVerified).toBe(true);
    const { user } = await t.client("grpc").getCurrentUser({ sessionToken: m.sessionToken });
    expect(user?.emailVerified).toBe(true);
  });

  it("pages in id order: no account lost or repeated while accounts are added between pages", async () => {
    const admin = t.admin("grpc");
    // Accounts of their own creation window (the manual clock's far future), made through the store port.
    const from = new Date(Date.UTC(2200, 0, 1));
    const inWindow = () => newAccount({ createdAt: new Date(from.getTime() + 1000) });
    const filter = {
      createTimeAfter: timestampFromDate(from),
      createTimeBefore: timestampFromDate(new Date(from.getTime() + 60_000)),
    };
    const made: string[] = [];
    const add = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const account = inWindow();
        await t.store.store.accounts.create(account);
        made.push(account.id);
      }
    };
    await add(23);
    const seen: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const page = await admin.listAccounts({ pageSize: 5, pageToken, ...filter });
      expect(page.accounts.length).toBeLessThanOrEqual(5);
      seen.push(...page.accounts.map((a) => a.id));
      pageToken = page.nextPageToken;
      pages++;
      if (pageToken) await add(2); // new accounts arrive while the operator pages
    } while (pageToken);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort());
    // UUIDv7 ids grow, so the ones added meanwhile come after the cursor: every one is seen.
    expect(seen.filter((id) => made.includes(id)).sort()).toEqual([...made].sort());
    expect(pages).toBeGreaterThan(5);
  });

  it("filters by verified and disabled", async () => {
    const [a, b] = [await member(), await member()];
    const admin = t.admin("grpc");
    await admin.markEmailVerified({ accountId: a.id });
    await admin.disableAccount({ accountId: b.id, reason: "" });
    const all = async (filter: { verified?: boolean; disabled?: boolean }) => {
      const ids: string[] = [];
      let pageToken = "";
      do {
        const page = await admin.listAccounts({ pageSize: 1000, pageToken, ...filter });
        ids.push(...page.accounts.map((x) => x.id));
        pageToken = page.nextPageToken;
      } while (pageToken);
      return ids;
    };
    expect(await all({ verified: true })).toContain(a.id);
    expect(await all({ verified: true })).not.toContain(b.id);
    expect(await all({ disabled: true })).toContain(b.id);
    expect(await all({ disabled: true })).not.toContain(a.id);
    expect(await all({ disabled: false, verified: false })).not.toContain(a.id);
  });

  it("refuses malformed ids, unknown ids, bad page sizes and tampered or replayed page tokens", async () => {
    const admin = t.admin("grpc");
    await expectFailure(
      admin.disableAccount({ accountId: "not-a-uuid", reason: "" }),
      Code.InvalidArgument,
      "INVALID_ACCOUNT_ID",
    );
    await expectFailure(admin.getAccount({}), Code.InvalidArgument, "INVALID_ACCOUNT_ID");
    await expectFailure(
      admin.enableAccount({ accountId: "0190f0e0-0000-7000-8000-000000000000" }),
      Code.NotFound,
      "ACCOUNT_NOT_FOUND",
    );
    await expectFailure(
      admin.listAccounts({ pageSize: -1 }),
      Code.InvalidArgument,
      "INVALID_PAGE_SIZE",
    );
    await member();
    await member();
    const { nextPageToken } = await admin.listAccounts({ pageSize: 1 });
    expect(nextPageToken).not.toBe("");
    const flipped = nextPageToken.slice(0, -1) + (nextPageToken.endsWith("A") ? "B" : "A");
    for (const pageToken of [flipped, `x${nextPageToken}`, "garbage", `${nextPageToken}.x`]) {
      await expectFailure(
        admin.listAccounts({ pageSize: 1, pageToken }),
        Code.InvalidArgument,
        "INVALID_PAGE_TOKEN",
      );
    }
    // A token is only good for the filters it was issued for.
    await expectFailure(
      admin.listAccounts({ pageSize: 1, pageToken: nextPageToken, verified: true }),
      Code.InvalidArgument,
      "INVALID_PAGE_TOKEN",
    );
    const refused = auditLines(t).filter((e) => e.outcome === "INVALID_PAGE_TOKEN");
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ action: "ListAccounts" });
  });
});

describe("AdminService needs the admin scope", () => {
  const WEB_KEY = "accounts-only-key-for-the-web-01";
  const OPS_KEY = "admin-only-key-for-operators-002";
  const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      env: {
        API_KEYS: `web=${WEB_KEY}:accounts;ops=${OPS_KEY}:admin`,
        REQUIRE_VERIFIED_EMAIL: "false",
      },
    });
  });
  afterAll(() => t?.close());

  it.each(
    PROTOCOLS,
  )("over %s: an accounts-only key cannot call AdminService, an admin-only key cannot call AccountService", async (protocol) => {
    const username = unique("scoped").replace(/-/g, "_");
    const { user } = await t
      .client(protocol)
      .register(
        { username, email: `${username}@example.com`, password: PASSWORD, client },
        bearer(WEB_KEY),
      );
    const id = user?.id as string;
    const admin = t.admin(protocol);
    const failure = await expectFailure(
      admin.disableAccount({ accountId: id, reason: "" }, bearer(WEB_KEY)),
      Code.PermissionDenied,
      "MISSING_SCOPE",
    );
    expect(failure.message).toContain("admin");
    await expectFailure(
      admin.getAccount({ lookup: { case: "id", value: id } }),
      Code.Unauthenticated,
      "INVALID_API_KEY",
    );
    await expectFailure(
      t.client(protocol).login({ username, password: PASSWORD, client }, bearer(OPS_KEY)),
      Code.PermissionDenied,
      "MISSING_SCOPE",
    );
    const { account } = await admin.getAccount(
      { lookup: { case: "username", value: username } },
      bearer(OPS_KEY),
    );
    expect(account?.disabled).toBe(false);
  });

  /** buf curl flags: gRPC, with the ops key on the call and on the reflection stream. */
  const asOps = [
    "--protocol",
    "grpc",
    "--http2-prior-knowledge",
    "-H",
    `authorization: Bearer ${OPS_KEY}`,
    "--reflect-header",
    `authorization: Bearer ${OPS_KEY}`,
  ];

  it("reflection (what grpcurl and buf curl read) serves AdminService and its methods to an admin key", async () => {
    const result = await bufCurl(...asOps, "--list-methods", t.server.url);
    expect(result, result.stderr).toMatchObject({ exitCode: 0 });
    const methods = result.stdout.trim().split("\n");
    for (const name of ["GetAccount", "ListAccounts", "DisableAccount", "DeleteAccountAsAdmin"]) {
      expect(methods).toContain(`userharbor.v1.AdminService/${name}`);
    }
    const called = await bufCurl(
      ...asOps,
      "-d",
      '{"id": "not-a-uuid"}',
      `${t.server.url}/userharbor.v1.AdminService/GetAccount`,
    );
    const error = JSON.parse(called.stderr) as { code: string; details: { value: string }[] };
    expect(error.code).toBe("invalid_argument");
    // ErrorInfo, as buf curl prints it: base64 of its binary form, the reason inside.
    expect(Buffer.from(error.details[0]?.value ?? "", "base64").toString()).toContain(
      "INVALID_ACCOUNT_ID",
    );
  });

  it("each admin call writes an audit line naming the key, the RPC, the target and the outcome", async () => {
    const username = unique("audited").replace(/-/g, "_");
    const { user } = await t
      .client("grpc")
      .register(
        { username, email: `${username}@example.com`, password: PASSWORD, client },
        bearer(WEB_KEY),
      );
    const id = user?.id as string;
    const admin = t.admin("grpc");
    await admin.disableAccount({ accountId: id, reason: "chargeback fraud" }, bearer(OPS_KEY));
    await expectFailure(
      admin.enableAccount({ accountId: "0190f0e0-0000-7000-8000-00000000abcd" }, bearer(OPS_KEY)),
      Code.NotFound,
      "ACCOUNT_NOT_FOUND",
    );
    const lines = auditLines(t);
    expect(lines).toContainEqual(
      expect.objectContaining({
        apiKey: "ops",
        action: "DisableAccount",
        accountId: id,
        outcome: "ok",
        note: "chargeback fraud",
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        apiKey: "ops",
        action: "EnableAccount",
        accountId: "0190f0e0-0000-7000-8000-00000000abcd",
        outcome: "ACCOUNT_NOT_FOUND",
      }),
    );
    // Refused for scope: no admin flow ran, so no admin audit line (the rpc line names the key).
    expect(lines.every((e) => e.apiKey === "ops")).toBe(true);
    const log = t.logs.join("\n");
    expect(log).not.toContain(OPS_KEY);
    expect(log).not.toContain(WEB_KEY);
  });
});
