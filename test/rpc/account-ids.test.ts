import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectFailure } from "../support/rpc-errors.js";
import { storeHarnesses } from "../support/stores.js";
import { PROTOCOLS, startTestServer, type TestServer } from "../support/test-server.js";

const client = { ip: "203.0.113.21", userAgent: "account-ids-test" };
const PASSWORD = "permanent ids correct horse";
/** RFC 9562 UUIDv7, lower-case text. */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(storeHarnesses)("permanent account ids, $name store", (harness) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ store: harness });
  });
  afterAll(() => t?.close());

  it.each(
    PROTOCOLS,
  )("every answer carrying a User carries the id Register gave, over %s", async (protocol) => {
    const api = t.client(protocol);
    const username = `ids-${protocol}`;
    const email = `${username}@example.com`;
    let id = "";
    const token = await t.mailbox.tokenFrom(email, "verification", async () => {
      id = (await api.register({ username, email, password: PASSWORD, client })).user?.id ?? "";
    });
    expect(id).toMatch(UUID_V7);
    expect((await api.verifyEmail({ token, client })).user?.id).toBe(id);
    const login = await api.login({ username, password: PASSWORD, client });
    expect(login.user?.id).toBe(id);
    const byEmail = await api.login({ username: email.toUpperCase(), password: PASSWORD, client });
    expect(byEmail.user?.id).toBe(id);
    const sessionToken = login.sessionToken;
    expect(await api.verifySession({ sessionToken })).toMatchObject({
      valid: true,
      userId: id,
      username,
    });
    expect((await api.getCurrentUser({ sessionToken })).user?.id).toBe(id);
    expect(await api.verifySession({ sessionToken: "uhs_nope" })).toMatchObject({
      valid: false,
      userId: "",
    });

    // Another account never shares it.
    const other = await api.register({
      username: `${username}-2`,
      email: `${username}-2@example.com`,
      password: PASSWORD,
      client,
    });
    expect(other.user?.id).toMatch(UUID_V7);
    expect(other.user?.id).not.toBe(id);
  });

  it.each(
    PROTOCOLS,
  )("after DeleteAccount, the same username and email make a new account that inherits nothing, over %s", async (protocol) => {
    const api = t.client(protocol);
    const username = `reborn-${protocol}`;
    const email = `${username}@example.com`;
    const register = () => api.register({ username, email, password: PASSWORD, client });
    // Two verification links; the second is used, the first stays outstanding.
    const unused = await t.mailbox.tokenFrom(email, "verification", register);
    const used = await t.mailbox.tokenFrom(email, "verification", () =>
      api.resendVerification({ email, client }),
    );
    const oldId = (await api.verifyEmail({ token: used, client })).user?.id;
    const { sessionToken } = await api.login({ username, password: PASSWORD, client });
    const reset = await t.mailbox.tokenFrom(email, "password_reset", () =>
      api.sendPasswordReset({ email, client }),
    );
    await api.deleteAccount({ sessionToken, password: PASSWORD });

    const newToken = await t.mailbox.tokenFrom(email, "verification", register);
    const reborn = await api.verifyEmail({ token: newToken, client });
    expect(reborn.user?.id).toMatch(UUID_V7);
    expect(reborn.user?.id).not.toBe(oldId);
    // The old account's session and tokens named the old id: dead for the new account.
    await expectFailure(
      api.verifyEmail({ token: unused, client }),
      Code.InvalidArgument,
      "INVALID_TOKEN",
    );
    expect(await api.verifySession({ sessionToken })).toMatchObject({ valid: false, userId: "" });
    await expectFailure(
      api.getCurrentUser({ sessionToken }),
      Code.Unauthenticated,
      "INVALID_SESSION",
    );
    await expectFailure(
      api.resetPassword({ token: reset, newPassword: "a takeover password", client }),
      Code.InvalidArgument,
      "INVALID_TOKEN",
    );
    const login = await api.login({ username, password: PASSWORD, client });
    expect(login.user?.id).toBe(reborn.user?.id);
  });
});
