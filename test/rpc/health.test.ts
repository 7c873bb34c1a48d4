import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { AccountService } from "@userharbor/client";
import { Health } from "@userharbor/client/grpc/health/v1/health_pb.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HealthStatus, healthService, ServingStatus } from "../../src/rpc/health.js";
import { type RpcServer, startRpcServer } from "../support/rpc-server.js";

const ACCOUNTS = AccountService.typeName;

describe("grpc.health.v1.Health over a real gRPC connection", () => {
  let health: HealthStatus;
  let server: RpcServer;
  let sessions: Http2SessionManager;
  let client: ReturnType<typeof createClient<typeof Health>>;
  const shutdown = new AbortController();

  beforeAll(async () => {
    health = new HealthStatus();
    server = await startRpcServer(
      (router) => {
        router.service(AccountService, {}); // only here to have a second service name
        router.service(Health, healthService(health));
      },
      { shutdownSignal: shutdown.signal },
    );
    sessions = new Http2SessionManager(server.url);
    // The gRPC transport always speaks HTTP/2; it has no httpVersion option.
    client = createClient(
      Health,
      createGrpcTransport({ baseUrl: server.url, sessionManager: sessions }),
    );
  });

  afterAll(async () => {
    sessions.abort();
    await server?.close();
  });

  // Every test aborts the watches it opens; none may outlive its test on the server.
  afterEach(async () => {
    await expect.poll(() => health.subscriberCount, { timeout: 5_000 }).toBe(0);
  });

  beforeEach(() => {
    health.resume();
    health.set("", ServingStatus.SERVING);
    health.set(ACCOUNTS, ServingStatus.SERVING);
  });

  it("Check answers the overall status and a registered service's status", async () => {
    expect((await client.check({ service: "" })).status).toBe(ServingStatus.SERVING);
    health.set(ACCOUNTS, ServingStatus.NOT_SERVING);
    expect((await client.check({ service: ACCOUNTS })).status).toBe(ServingStatus.NOT_SERVING);
  });

  it("Check fails with NOT_FOUND for an unknown service", async () => {
    const error = await client.check({ service: "no.such.Service" }).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.NotFound);
  });

  it("Watch sends the current status at once, then each change", async () => {
    const abort = new AbortController();
    const stream = client.watch({ service: ACCOUNTS }, { signal: abort.signal });
    const it = stream[Symbol.asyncIterator]();
    expect((await it.next()).value?.status).toBe(ServingStatus.SERVING);
    health.set(ACCOUNTS, ServingStatus.NOT_SERVING);
    expect((await it.next()).value?.status).toBe(ServingStatus.NOT_SERVING);
    health.set("", ServingStatus.NOT_SERVING); // another name: must not reach this watcher
    health.set(ACCOUNTS, ServingStatus.SERVING);
    expect((await it.next()).value?.status).toBe(ServingStatus.SERVING);
    abort.abort();
  });

  it("Watch of an unknown service sends SERVICE_UNKNOWN and stays open until it is known", async () => {
    const abort = new AbortController();
    const it = client
      .watch({ service: "later.Service" }, { signal: abort.signal })
      [Symbol.asyncIterator]();
    expect((await it.next()).value?.status).toBe(ServingStatus.SERVICE_UNKNOWN);
    health.set("later.Service", ServingStatus.SERVING);
    expect((await it.next()).value?.status).toBe(ServingStatus.SERVING);
    abort.abort();
  });

  it("a Watch the client aborts ends on the server and leaves no subscription behind", async () => {
    const abort = new AbortController();
    const it = client.watch({ service: "" }, { signal: abort.signal })[Symbol.asyncIterator]();
    expect((await it.next()).value?.status).toBe(ServingStatus.SERVING);
    expect(health.subscriberCount).toBe(1);
    abort.abort();
    await expect(it.next()).rejects.toMatchObject({ code: Code.Canceled });
    await expect.poll(() => health.subscriberCount, { timeout: 5_000 }).toBe(0);
  });

  it("List reports every registered service", async () => {
    health.set(ACCOUNTS, ServingStatus.NOT_SERVING);
    const { statuses } = await client.list({});
    expect(statuses[""]?.status).toBe(ServingStatus.SERVING);
    expect(statuses[ACCOUNTS]?.status).toBe(ServingStatus.NOT_SERVING);
  });

  it("shutdown() turns every watcher NOT_SERVING and later set() calls are ignored", async () => {
    const abort = new AbortController();
    const it = client.watch({ service: "" }, { signal: abort.signal })[Symbol.asyncIterator]();
    expect((await it.next()).value?.status).toBe(ServingStatus.SERVING);
    health.shutdown();
    expect((await it.next()).value?.status).toBe(ServingStatus.NOT_SERVING);
    health.set(ACCOUNTS, ServingStatus.SERVING);
    expect((await client.check({ service: ACCOUNTS })).status).toBe(ServingStatus.NOT_SERVING);
    health.resume();
    expect((await it.next()).value?.status).toBe(ServingStatus.SERVING);
    abort.abort();
  });

  // Last: aborting the adapter's shutdownSignal affects every later call on this server.
  it("the adapter's shutdownSignal ends open Watch streams cleanly", async () => {
    const it = client.watch({ service: ACCOUNTS })[Symbol.asyncIterator]();
    expect((await it.next()).value?.status).toBe(ServingStatus.SERVING);
    health.shutdown();
    expect((await it.next()).value?.status).toBe(ServingStatus.NOT_SERVING);
    shutdown.abort();
    expect(await it.next()).toEqual({ done: true, value: undefined });
    await expect.poll(() => health.subscriberCount).toBe(0);
  });
});

describe("HealthStatus", () => {
  it("starts with the overall status SERVING and knows no other service", () => {
    const health = new HealthStatus();
    expect(health.entries()).toEqual([["", ServingStatus.SERVING]]);
    expect(health.get(ACCOUNTS)).toBeUndefined();
  });

  it("notifies subscribers of changes only, until they unsubscribe", () => {
    const health = new HealthStatus({});
    const seen: [string, ServingStatus][] = [];
    const unsubscribe = health.subscribe((service, status) => seen.push([service, status]));
    health.set("a", ServingStatus.SERVING);
    health.set("a", ServingStatus.SERVING);
    health.set("a", ServingStatus.NOT_SERVING);
    unsubscribe();
    health.set("a", ServingStatus.SERVING);
    expect(seen).toEqual([
      ["a", ServingStatus.SERVING],
      ["a", ServingStatus.NOT_SERVING],
    ]);
    expect(health.subscriberCount).toBe(0);
  });

  it("refuses SERVICE_UNKNOWN, which only Watch may report", () => {
    expect(() => new HealthStatus().set("a", ServingStatus.SERVICE_UNKNOWN)).toThrow(RangeError);
  });
});
