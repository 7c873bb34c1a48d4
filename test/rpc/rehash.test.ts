import { afterAll, describe, expect, it } from "vitest";
import { memoryHarness, type StoreInstance, type TestStore } from "../support/stores.js";
import { startTestServer } from "../support/test-server.js";

const PASSWORD = "rehash correct horse battery";
const client = { ip: "192.0.2.6", userAgent: "rehash-test" };

describe("rehash on login when argon2 parameters change", () => {
  let store: StoreInstance;
  afterAll(() => store?.dispose());

  it("upgrades the stored hash at the next successful login, and it still verifies", async () => {
    store = await memoryHarness.create();
    const env = { REQUIRE_VERIFIED_EMAIL: "false", ARGON2_TIME_COST: "1" };
    const before = await startTestServer({
      storeInstance: store,
      env: { ...env, ARGON2_MEMORY_KIB: "1024" },
    });
    await before.client("grpc").register({
      username: "upgrader",
      email: "upgrader@example.com",
      password: PASSWORD,
      client,
    });
    await before.close();
    expect(await storedHash(store.store)).toMatch(/\$m=1024,t=1,p=1\$/);

    const after = await startTestServer({
      storeInstance: store,
      env: { ...env, ARGON2_MEMORY_KIB: "2048" },
    });
    try {
      // A failed login changes nothing.
      await after
        .client("grpc")
        .login({ username: "upgrader", password: "wrong one!", client })
        .catch(() => {});
      expect(await storedHash(store.store)).toMatch(/\$m=1024,t=1,p=1\$/);
      await after.client("grpc").login({ username: "upgrader", password: PASSWORD, client });
      expect(await storedHash(store.store)).toMatch(/\$m=2048,t=1,p=1\$/);
      const again = await after
        .client("connect")
        .login({ username: "upgrader", password: PASSWORD, client });
      expect(again.user?.username).toBe("upgrader");
    } finally {
      await after.close();
    }
  });
});

/** The stored hash of the test's account, found by its username claim. */
async function storedHash(store: TestStore): Promise<string | undefined> {
  const account = await store.accounts.findByUsername("upgrader");
  return account ? (await store.accounts.getCredentials(account.id))?.passwordHash : undefined;
}
