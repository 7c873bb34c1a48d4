import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/rpc-errors.js";
import { mongoHarness } from "../support/stores.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const EMAIL = "Key.Owner@Example.com";
const PASTED_PASSWORD = "pasted-into-the-username-field-7";
const client = { ip: "203.0.113.9", userAgent: "rate-limit-keys-test" };

/**
 * The counters in MongoDB hold keyed hashes only: a leaked `limits`
 * collection names no account, email, address, or password someone pasted
 * into the username field.
 */
describe("the limits collection on MongoDB holds no name in clear", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ store: mongoHarness, env: { LOCKOUT_FAILURES: "2" } });
    const api = t.client("grpc");
    await api.register({ username: "keyowner", email: EMAIL, password: PASTED_PASSWORD, client });
    // The classic slip: the password typed into the username field, then the right fields.
    await failureOf(api.login({ username: PASTED_PASSWORD, password: "keyowner", client }));
    for (const username of [EMAIL, "keyowner", "stranger@example.com"]) {
      await failureOf(api.login({ username, password: "wrong password here", client }));
    }
    await api.sendPasswordReset({ email: EMAIL, client });
    await t.settle();
  });
  afterAll(() => t?.close());

  it("every key is an HMAC; no email, username, IP or pasted password appears", async () => {
    const db = await t.store.mongo?.db();
    const documents = await db?.collection("limits").find().toArray();
    // Budgets and lockout counters were written (login, register, mail; a lock for keyowner).
    expect(documents?.length ?? 0).toBeGreaterThanOrEqual(8);
    // `<limit>:<hmac>`, and a lock's claims `<lock key>#<level>@<window end>`.
    const keys = (documents ?? []).map((doc) => String(doc._id));
    for (const key of keys) expect(key).toMatch(/^[a-z_]+:[A-Za-z0-9_-]{43}(#\d+@\d+)?$/);
    expect(keys.some((key) => key.startsWith("lock_account_client:"))).toBe(true);
    const raw = JSON.stringify(documents);
    for (const clear of [
      PASTED_PASSWORD,
      EMAIL,
      EMAIL.toLowerCase(),
      "keyowner",
      "stranger",
      "example.com",
      client.ip,
      "127.0.0.1",
    ]) {
      expect(raw).not.toContain(clear);
    }
  });
});
