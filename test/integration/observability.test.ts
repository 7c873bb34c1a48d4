import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricSample as sample } from "../support/metrics.js";
import { failureOf } from "../support/rpc-errors.js";
import { signUp } from "../support/sign-up.js";
import { type SmtpSink, startSmtpSink } from "../support/smtp-sink.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const PASSWORD = "observable correct horse";
const client = { ip: "192.0.2.80", userAgent: "observability-test" };

describe("logs and metrics", () => {
  let t: TestServer;
  let sink: SmtpSink;
  let metrics: () => Promise<string>;
  const sessionTokens: string[] = [];
  beforeAll(async () => {
    sink = await startSmtpSink({ rejectWith: 550 }); // every mail bounces: one dead letter per mail
    t = await startTestServer({
      mail: "configured",
      env: {
        SMTP_HOST: "127.0.0.1",
        SMTP_PORT: String(sink.port),
        SMTP_REQUIRE_TLS: "false",
        REQUIRE_VERIFIED_EMAIL: "false",
      },
    });
    metrics = async () => (await fetch(`http://127.0.0.1:${t.server.metricsPort}/metrics`)).text();
    const api = t.client("grpc");
    sessionTokens.push(await signUp(api, { username: "observed", password: PASSWORD, client }));
    await failureOf(api.login({ username: "observed", password: "wrong password!", client }));
    for (const token of sessionTokens) await api.verifySession({ sessionToken: token });
    // A failure logs at info (a successful read logs at debug: log-levels.test.ts).
    await failureOf(
      api.getCurrentUser({ sessionToken: "uhs_gone" }, { headers: { "x-request-id": "req-42" } }),
    );
    for (let i = 0; i < 100 && (await t.store.store.outbox.count()).deadLettered === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it("writes one JSON line per RPC with method, status, duration and request id", () => {
    const rpcs = t.logs.map((l) => JSON.parse(l)).filter((e) => e.msg === "rpc");
    const login = rpcs.filter((e) => e.rpc === "userharbor.v1.AccountService/Login");
    expect(login.map((e) => e.code)).toEqual(["OK", "UNAUTHENTICATED"]);
    for (const e of login) {
      expect(e.ms).toBeGreaterThanOrEqual(0);
      expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.protocol).toBe("grpc");
    }
    expect(rpcs.find((e) => e.rpc.endsWith("/GetCurrentUser"))).toMatchObject({
      code: "UNAUTHENTICATED",
      requestId: "req-42",
    });
  });

  it("keeps tokens, passwords and emails out of every log line", () => {
    const log = t.logs.join("\n");
    for (const secret of [PASSWORD, "wrong password!", "observed@example.com", ...sessionTokens]) {
      expect(log).not.toContain(secret);
    }
    expect(log).not.toMatch(/uh[svrd]_[A-Za-z0-9_-]{43}/);
  });

  it("exports RPC counts by method and code, latency, hashing, outbox and mail outcomes", async () => {
    const text = await metrics();
    const login = "userharbor.v1.AccountService/Login";
    expect(sample(text, "userharbor_rpc_total", { method: login, code: "OK" })).toBe(1);
    expect(sample(text, "userharbor_rpc_total", { method: login, code: "UNAUTHENTICATED" })).toBe(
      1,
    );
    expect(sample(text, "userharbor_rpc_duration_seconds_count", { method: login })).toBe(2);
    expect(sample(text, "userharbor_password_hashes_in_flight")).toBe(0);
    expect(sample(text, "userharbor_password_hashes_queued")).toBe(0);
    expect(sample(text, "userharbor_outbox_mail", { state: "pending" })).toBe(0);
    expect(sample(text, "userharbor_outbox_mail", { state: "dead_lettered" })).toBe(1);
    expect(
      sample(text, "userharbor_mail_total", { kind: "verification", outcome: "dead_lettered" }),
    ).toBe(1);
    expect(sample(text, "userharbor_events_total", { event: "login.failed" })).toBe(1);
    expect(sample(text, "userharbor_process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("serves only GET /metrics on the metrics port", async () => {
    expect((await fetch(`http://127.0.0.1:${t.server.metricsPort}/`)).status).toBe(404);
  });
});
