import { createHash } from "node:crypto";
import { Code, createClient } from "@connectrpc/connect";
import { AccountService } from "@userharbor/client";
import { Health } from "@userharbor/client/grpc/health/v1/health_pb.js";
import { ServerReflection } from "@userharbor/client/grpc/reflection/v1/reflection_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectFailure } from "../support/rpc-errors.js";
import {
  PROTOCOLS,
  startTestServer,
  type TestServer,
  transportFor,
} from "../support/test-server.js";

/** web: the usual backend; edge: forwards end users' addresses; ops: admin only; hashed: by digest. */
const WEB_KEY = "raw-api-key-for-backend-one-0001";
const EDGE_KEY = "edge-proxy-key-with-client-ip-02";
const OPS_KEY = "operators-key-admin-scope-only-3";
const HASHED_KEY = "second-backend-key-stored-as-digest";
const digest = createHash("sha256").update(HASHED_KEY).digest("hex");
const API_KEYS = [
  `web=${WEB_KEY}:accounts`,
  `edge=${EDGE_KEY}:accounts,client-ip`,
  `ops=${OPS_KEY}:admin`,
  `hashed=sha256:${digest}:accounts`,
].join(";");
const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
const PASSWORD = "scoped keys correct horse";
const client = (ip: string) => ({ ip, userAgent: "api-key-test" });

describe("API keys authenticate the calling backend and carry scopes", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      env: { API_KEYS, LIMIT_LOGIN_IP: "3/1m", REQUIRE_VERIFIED_EMAIL: "false" },
    });
    await t
      .client("grpc")
      .register(
        { username: "scoped", email: "scoped@example.com", password: PASSWORD },
        bearer(EDGE_KEY),
      );
  });
  afterAll(() => t?.close());

  it.each(
    PROTOCOLS,
  )("over %s: no key, a wrong key, or a near miss get INVALID_API_KEY", async (protocol) => {
    const api = t.client(protocol);
    const call = (options?: { headers: Record<string, string> }) =>
      api.verifySession({ sessionToken: "" }, options);
    await expectFailure(call(), Code.Unauthenticated, "INVALID_API_KEY");
    await expectFailure(call(bearer("wrong")), Code.Unauthenticated, "INVALID_API_KEY");
    await expectFailure(call(bearer(`${WEB_KEY}x`)), Code.Unauthenticated, "INVALID_API_KEY");
    await expectFailure(call(bearer(`sha256:${digest}`)), Code.Unauthenticated, "INVALID_API_KEY");
    await expectFailure(call(bearer("web")), Code.Unauthenticated, "INVALID_API_KEY");
    await expectFailure(
      call({ headers: { authorization: WEB_KEY } }),
      Code.Unauthenticated,
      "INVALID_API_KEY",
    );
  });

  it.each(
    PROTOCOLS,
  )("over %s: a raw key and a key configured by digest are accepted", async (protocol) => {
    const api = t.client(protocol);
    expect((await api.verifySession({ sessionToken: "" }, bearer(WEB_KEY))).valid).toBe(false);
    expect((await api.verifySession({ sessionToken: "" }, bearer(HASHED_KEY))).valid).toBe(false);
  });

  it.each(
    PROTOCOLS,
  )("over %s: a key without the accounts scope gets PERMISSION_DENIED / MISSING_SCOPE", async (protocol) => {
    const api = t.client(protocol);
    const failure = await expectFailure(
      api.login({ username: "scoped", password: PASSWORD }, bearer(OPS_KEY)),
      Code.PermissionDenied,
      "MISSING_SCOPE",
    );
    expect(failure.message).toContain("accounts");
    await expectFailure(
      api.verifySession({ sessionToken: "" }, bearer(OPS_KEY)),
      Code.PermissionDenied,
      "MISSING_SCOPE",
    );
  });

  it.each(
    PROTOCOLS,
  )("over %s: GetSessionKeys needs no key (public keys), every other AccountService RPC still does", async (protocol) => {
    const api = t.client(protocol);
    const open = await api.getSessionKeys({});
    expect(JSON.parse(open.jwksJson).keys).toHaveLength(3);
    // A key is neither needed nor checked there: a wrong one or one without `accounts` changes nothing.
    expect((await api.getSessionKeys({}, bearer("wrong"))).jwksJson).toBe(open.jwksJson);
    expect((await api.getSessionKeys({}, bearer(OPS_KEY))).jwksJson).toBe(open.jwksJson);
    const others = AccountService.methods.filter((m) => m !== AccountService.method.getSessionKeys);
    expect(others).toHaveLength(AccountService.methods.length - 1);
    for (const method of others) {
      const call = (
        api as unknown as Record<string, (req: object, o?: object) => Promise<unknown>>
      )[method.localName] as (req: object, o?: object) => Promise<unknown>;
      await expectFailure(call({}), Code.Unauthenticated, "INVALID_API_KEY");
      await expectFailure(call({}, bearer(OPS_KEY)), Code.PermissionDenied, "MISSING_SCOPE");
    }
  });

  it("any valid key may use reflection; health stays open for probes", async () => {
    const reflection = createClient(ServerReflection, transportFor(t.server.url, "grpc"));
    const ask = (key?: string) => {
      async function* one() {
        yield { messageRequest: { case: "listServices" as const, value: "" } };
      }
      return (async () => {
        for await (const res of reflection.serverReflectionInfo(one(), key ? bearer(key) : {}))
          return res.messageResponse.case;
      })();
    };
    expect(await ask(OPS_KEY)).toBe("listServicesResponse");
    await expectFailure(ask(), Code.Unauthenticated, "INVALID_API_KEY");
    const health = createClient(Health, transportFor(t.server.url, "grpc"));
    expect((await health.check({ service: "" })).status).toBe(1); // SERVING
  });

  /** Logs in as "scoped" with `key`, claiming `ip`: the address the session recorded. */
  const loginFrom = async (key: string, ip: string, password = PASSWORD) => {
    const api = t.client("grpc");
    const login = { username: "scoped", password, client: client(ip) };
    const { sessionToken } = await api.login(login, bearer(key));
    const [session] = (await api.listSessions({ sessionToken }, bearer(key))).sessions;
    return session?.ip;
  };

  it("a key without client-ip that sets client.ip is limited by its connection address", async () => {
    // Rotating client.ip buys nothing: all three count against 127.0.0.1.
    for (const n of [1, 2, 3])
      expect(await loginFrom(WEB_KEY, `198.51.100.${n}`)).toBe("127.0.0.1");
    await expectFailure(loginFrom(WEB_KEY, "198.51.100.4"), Code.ResourceExhausted, "RATE_LIMITED");
    // A malformed ip from an untrusted key is ignored like any other (still limited, not refused).
    await expectFailure(loginFrom(WEB_KEY, "not an ip"), Code.ResourceExhausted, "RATE_LIMITED");
  });

  it("a key with client-ip is limited by the end user's address it forwards", async () => {
    for (const n of [1, 2, 3, 4, 5]) {
      expect(await loginFrom(EDGE_KEY, `203.0.113.${n}`)).toBe(`203.0.113.${n}`);
    }
    await expectFailure(loginFrom(EDGE_KEY, "bad"), Code.InvalidArgument, "INVALID_CLIENT_CONTEXT");
  });

  it("audit and RPC log lines name the key, never the key itself", async () => {
    await expectFailure(
      loginFrom(EDGE_KEY, "203.0.113.77", "wrong password"),
      Code.Unauthenticated,
      "INVALID_CREDENTIALS",
    );
    const lines = t.logs.map((line) => JSON.parse(line));
    const events = lines.filter((entry) => entry.event);
    expect(events.find((e) => e.event === "account.registered")).toMatchObject({
      apiKey: "edge",
    });
    expect(events.filter((e) => e.event === "login.succeeded").map((e) => e.apiKey)).toEqual(
      expect.arrayContaining(["web", "edge"]),
    );
    // Every event an RPC caused (mail delivery runs in the background, for no caller).
    for (const e of events.filter((e) => !e.event.startsWith("mail."))) {
      expect(["web", "edge", "hashed", "ops"]).toContain(e.apiKey);
    }
    expect(events.find((e) => e.event === "login.failed" && e.ip === "203.0.113.77")).toMatchObject(
      { apiKey: "edge" },
    );
    const rpcLines = lines.filter((entry) => entry.msg === "rpc");
    expect(rpcLines.find((e) => e.code === "PERMISSION_DENIED")).toMatchObject({ apiKey: "ops" });
    expect(rpcLines.find((e) => e.code === "UNAUTHENTICATED")).toBeDefined();
    const log = t.logs.join("\n");
    for (const key of [WEB_KEY, EDGE_KEY, OPS_KEY, HASHED_KEY, digest]) {
      expect(log).not.toContain(key);
    }
  });
});
