import { randomBytes } from "node:crypto";
import { Code, createClient } from "@connectrpc/connect";
import { AccountService } from "@userharbor/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MongoHandle, startMongo } from "../support/mongo.js";
import { listeningServer, type RunningProcess } from "../support/processes.js";
import { retryAfterMs } from "../support/retry-info.js";
import { expectFailure } from "../support/rpc-errors.js";
import { type AccountClient, transportFor } from "../support/test-server.js";

const EDGE_KEY = "two-replicas-edge-key-client-ip-01";
const auth = { headers: { authorization: `Bearer ${EDGE_KEY}` } };
const PASSWORD = "two replicas correct horse";
const OWNER_IP = "192.0.2.20";
const from = (ip: string, deviceToken = "") => ({ ip, userAgent: "replica-test", deviceToken });

/**
 * Two server processes on one MongoDB, as a deployment with two replicas runs:
 * every budget, lock and device token lives in the database, so what one
 * replica counted or issued holds on the other. Locks are long (10 s) so the
 * test never races their end; the flood test shows a lock ending.
 */
describe("two replicas, one database: limits, lockout and device trust are shared", () => {
  let mongo: MongoHandle;
  const replicas: RunningProcess[] = [];
  let a: AccountClient;
  let b: AccountClient;

  beforeAll(async () => {
    mongo = await startMongo();
    const env = {
      NODE_ENV: "development",
      MONGODB_URI: mongo.uri,
      MONGODB_DB: mongo.dbName,
      // One secret for both: token hashes and limit keys must agree across replicas.
      SECRET_KEY: randomBytes(32).toString("hex"),
      API_KEYS: `edge=${EDGE_KEY}:accounts,client-ip`,
      REQUIRE_VERIFIED_EMAIL: "false",
      METRICS_ENABLED: "false",
      ARGON2_MEMORY_KIB: "1024",
      ARGON2_TIME_COST: "1",
      LIMIT_LOGIN_IP: "20/1m",
      LIMIT_LOGIN_ACCOUNT: "1000/1m",
      LOCKOUT_FAILURES: "1000",
      LOCKOUT_ACCOUNT_FAILURES: "4",
      LOCKOUT_BASE: "10s",
      LOCKOUT_ACCOUNT_MAX: "10s",
      DEVICE_TOKEN_FAILURES: "2",
    };
    const urls = await Promise.all(
      ["a", "b"].map(async () => {
        const { proc, url } = await listeningServer(env);
        replicas.push(proc);
        return url;
      }),
    );
    [a, b] = urls.map((url) => createClient(AccountService, transportFor(url, "grpc"))) as [
      AccountClient,
      AccountClient,
    ];
  }, 90_000);
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await mongo?.stop();
  });

  const login = (api: AccountClient, username: string, password: string, ip: string, device = "") =>
    api.login({ username, password, client: from(ip, device) }, auth);
  const limited = async (
    api: AccountClient,
    username: string,
    device = "",
    password = PASSWORD,
  ) => {
    const failure = await expectFailure(
      login(api, username, password, OWNER_IP, device),
      Code.ResourceExhausted,
      "RATE_LIMITED",
    );
    expect(retryAfterMs(failure)).toBeGreaterThan(0);
  };
  const denied = (api: AccountClient, username: string, ip: string, device = "") =>
    expectFailure(
      login(api, username, "not the password at all", ip, device),
      Code.Unauthenticated,
      "INVALID_CREDENTIALS",
    );

  it("a per-IP budget spent on one replica is spent on the other", async () => {
    const ip = "198.51.100.200";
    // 20 logins from one address, alternating replicas (a fresh name each: no lock involved).
    for (let i = 0; i < 20; i++) await denied(i % 2 ? b : a, `nobody-${i}`, ip);
    await expectFailure(
      login(b, "nobody-20", PASSWORD, ip),
      Code.ResourceExhausted,
      "RATE_LIMITED",
    );
    await expectFailure(
      login(a, "nobody-21", PASSWORD, ip),
      Code.ResourceExhausted,
      "RATE_LIMITED",
    );
  });

  it("a lock earned across both replicas holds on both; a device token from one is trusted by the other", async () => {
    await a.register(
      {
        username: "shared",
        email: "shared@example.com",
        password: PASSWORD,
        client: from(OWNER_IP),
      },
      auth,
    );
    const issuedOnA = (await login(a, "shared", PASSWORD, OWNER_IP)).deviceToken;

    // Four failures, two on each replica, from four addresses: the account-wide lock.
    for (const [i, api] of [a, b, a, b].entries())
      await denied(api, "shared", `203.0.113.${i + 1}`);
    await limited(a, "shared");
    await limited(b, "shared");

    // B honours A's device token, and retires it when it issues the next one; A sees both.
    const issuedOnB = (await login(b, "shared", PASSWORD, OWNER_IP, issuedOnA)).deviceToken;
    await limited(a, "shared", issuedOnA);
    const reissuedOnA = (await login(a, "shared", PASSWORD, OWNER_IP, issuedOnB)).deviceToken;

    // Device failures count in the database: one on each replica ends its trust on both.
    await denied(b, "shared", OWNER_IP, reissuedOnA);
    await denied(a, "shared", OWNER_IP, reissuedOnA);
    await limited(b, "shared", reissuedOnA);
    await limited(a, "shared", reissuedOnA);
  });
});
