import { Code, createClient } from "@connectrpc/connect";
import { Health } from "@userharbor/client/grpc/health/v1/health_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MongoStore, openMongoStore } from "../../src/adapters/storage/mongodb/index.js";
import { AccountError } from "../../src/core/errors.js";
import type { Stores } from "../../src/core/ports/store.js";
import { ServingStatus } from "../../src/rpc/health.js";
import { eventually } from "../support/eventually.js";
import type { PortMethod } from "../support/gated-store.js";
import { type MongoHandle, snapshotDatabase, startMongo } from "../support/mongo.js";
import { expectFailure } from "../support/rpc-errors.js";
import { signUp } from "../support/sign-up.js";
import type { StoreInstance } from "../support/stores.js";
import { startTestServer, type TestServer, transportFor } from "../support/test-server.js";

const PASSWORD = "outage-proof correct horse";
const client = { ip: "192.0.2.60", userAgent: "outage-test" };
const TIMEOUT_MS = 1_000;
/** A fault test, not a benchmark: "seconds", against the 30 s a default driver would hang. */
const FAIL_FAST_MS = 5 * TIMEOUT_MS;

/**
 * Which store operation should fail next, inside a transaction, as if the
 * connection dropped right there: the way to cut a flow half-way on a
 * database that keeps its data (killing jongodb would wipe it).
 */
class FaultPlan {
  failing: PortMethod | null = null;
}

function withFaults(store: MongoStore, plan: FaultPlan): MongoStore {
  const port = <P extends object>(name: string, target: P): P =>
    new Proxy(target, {
      get(t, method, receiver) {
        const value = Reflect.get(t, method, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (`${name}.${String(method)}` === plan.failing) {
            plan.failing = null;
            return Promise.reject(
              new AccountError("STORE_UNAVAILABLE", { detail: "injected cut" }),
            );
          }
          return value.apply(t, args);
        };
      },
    });
  const inject = (tx: Stores): Stores => ({
    accounts: port("accounts", tx.accounts),
    tokens: port("tokens", tx.tokens),
    sessions: port("sessions", tx.sessions),
    devices: port("devices", tx.devices),
    outbox: port("outbox", tx.outbox),
    events: port("events", tx.events),
    webhooks: port("webhooks", tx.webhooks),
  });
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === "transaction") {
        return <T>(work: (tx: Stores) => Promise<T>) =>
          target.transaction((tx) => work(inject(tx)));
      }
      const value = Reflect.get(target, name, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("the server over MongoDB when the database fails", () => {
  let mongo: MongoHandle;
  let t: TestServer;
  const plan = new FaultPlan();
  beforeAll(async () => {
    mongo = await startMongo();
    const store = await openMongoStore({
      uri: mongo.uri,
      dbName: mongo.dbName,
      timeoutMs: TIMEOUT_MS,
    });
    const instance: StoreInstance = {
      store: withFaults(store, plan),
      mongo,
      isolatesConcurrentTransactions: mongo.traits.isolatesConcurrentWrites,
      snapshot: () => snapshotDatabase(mongo),
      dispose: () => store.close(),
    };
    t = await startTestServer({
      storeInstance: instance,
      env: { HEALTH_CHECK_INTERVAL: "200ms", REQUIRE_VERIFIED_EMAIL: "false" },
    });
  });
  afterAll(async () => {
    await t?.close();
    await t?.store.dispose();
    await mongo?.stop();
  });

  it("a flow cut half-way by a store failure answers UNAVAILABLE and leaves nothing half-written", async () => {
    const api = t.client("grpc");
    const session = await signUp(api, { username: "steady", password: PASSWORD, client });
    await t.settle();

    const cuts: Array<[PortMethod, () => Promise<unknown>]> = [
      // Register: the account and its claims are written, then its verification token fails.
      [
        "tokens.add",
        () =>
          api.register({
            username: "halfway",
            email: "halfway@example.com",
            password: PASSWORD,
            client,
          }),
      ],
      // ChangePassword: the hash is written, then revoking the other sessions fails.
      [
        "sessions.removeAll",
        () =>
          api.changePassword({
            sessionToken: session,
            oldPassword: PASSWORD,
            newPassword: "never stored password",
          }),
      ],
      // DeleteAccount: sessions and tokens go, then deleting the account fails.
      ["accounts.remove", () => api.deleteAccount({ sessionToken: session, password: PASSWORD })],
    ];
    for (const [operation, call] of cuts) {
      const before = await t.store.snapshot();
      plan.failing = operation;
      await expectFailure(call(), Code.Unavailable, "STORE_UNAVAILABLE");
      expect(plan.failing).toBeNull(); // the cut really happened
      await t.settle();
      expect(await t.store.snapshot(), `after a cut at ${operation}`).toEqual(before);
    }
    // And the account still works as before.
    expect((await api.getCurrentUser({ sessionToken: session })).user?.username).toBe("steady");
  });

  it("answers UNAVAILABLE / STORE_UNAVAILABLE fast while the database is down, reports NOT_SERVING, and recovers", async ({
    skip,
  }) => {
    if (!mongo.traits.canKill) skip("MONGODB_URI servers are not ours to kill");
    const api = t.client("grpc");
    const health = createClient(Health, transportFor(t.server.url, "grpc"));
    const sessionToken = await signUp(api, { username: "before", password: PASSWORD, client });

    await mongo.kill();
    const calls: Array<() => Promise<unknown>> = [
      () => api.verifySession({ sessionToken }),
      () => api.getCurrentUser({ sessionToken }),
      () => api.login({ username: "before", password: PASSWORD, client }),
      () =>
        api.register({
          username: "during",
          email: "during@example.com",
          password: PASSWORD,
          client,
        }),
      () => api.sendPasswordReset({ email: "before@example.com", client }),
    ];
    for (const call of calls) {
      const started = performance.now();
      await expectFailure(call(), Code.Unavailable, "STORE_UNAVAILABLE");
      expect(performance.now() - started).toBeLessThan(FAIL_FAST_MS);
    }
    await eventually(async () =>
      expect((await health.check({ service: "" })).status).toBe(ServingStatus.NOT_SERVING),
    );

    await mongo.restart();
    await eventually(async () =>
      expect((await health.check({ service: "userharbor.v1.AccountService" })).status).toBe(
        ServingStatus.SERVING,
      ),
    );
    // Serving again (jongodb comes back empty, so the account is registered anew).
    await eventually(() =>
      api.register({ username: "after", email: "after@example.com", password: PASSWORD, client }),
    );
    const login = await api.login({ username: "after", password: PASSWORD, client });
    expect((await api.verifySession({ sessionToken: login.sessionToken })).valid).toBe(true);
  });
});
