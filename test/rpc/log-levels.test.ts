import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricSample, scrapeMetrics } from "../support/metrics.js";
import { expectFailure } from "../support/rpc-errors.js";
import { signUp } from "../support/sign-up.js";
import { PROTOCOLS, startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Successful read-only calls (VerifySession, GetCurrentUser, ListSessions) log their rpc line
 * at debug, not info: a backend makes one per request of its own. Writes and failures stay at
 * info, and the metrics count every call at any level.
 */

const READS = ["VerifySession", "GetCurrentUser", "ListSessions"] as const;
const rpc = (method: string) => `userharbor.v1.AccountService/${method}`;

interface Run {
  t: TestServer;
  /** rpc log lines by the request id the call sent. */
  lines(requestId: string): Array<Record<string, unknown>>;
}

/** A server at `level`: a sign-up, then each read once per protocol and a failed read. */
async function run(level: "info" | "debug"): Promise<Run> {
  const t = await startTestServer({
    env: { LOG_LEVEL: level, REQUIRE_VERIFIED_EMAIL: "false" },
  });
  const client = { ip: "192.0.2.90", userAgent: "log-levels-test" };
  const sessionToken = await signUp(t.client("grpc"), {
    username: `levels_${level}`,
    password: "levels correct horse",
    client,
  });
  for (const protocol of PROTOCOLS) {
    const api = t.client(protocol);
    const id = (name: string) => ({ headers: { "x-request-id": `${name}-${protocol}` } });
    expect((await api.verifySession({ sessionToken }, id("VerifySession"))).valid).toBe(true);
    await api.getCurrentUser({ sessionToken }, id("GetCurrentUser"));
    await api.listSessions({ sessionToken }, id("ListSessions"));
    await expectFailure(
      api.getCurrentUser({ sessionToken: "uhs_gone" }, id("failed")),
      Code.Unauthenticated,
      "INVALID_SESSION",
    );
  }
  return {
    t,
    lines: (requestId) =>
      t.logs
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((e) => e.msg === "rpc" && e.requestId === requestId),
  };
}

describe("rpc log lines by level", () => {
  const runs = new Map<"info" | "debug", Run>();
  beforeAll(async () => {
    for (const level of ["info", "debug"] as const) runs.set(level, await run(level));
  });
  afterAll(async () => {
    for (const r of runs.values()) await r.t.close();
  });
  const at = (level: "info" | "debug") => runs.get(level) as Run;

  it.each(PROTOCOLS)("at info, a successful read writes no rpc line (%s)", (protocol) => {
    for (const method of READS) expect(at("info").lines(`${method}-${protocol}`)).toEqual([]);
  });

  it.each(PROTOCOLS)("at debug, each successful read writes its rpc line (%s)", (protocol) => {
    for (const method of READS) {
      expect(at("debug").lines(`${method}-${protocol}`)).toEqual([
        expect.objectContaining({ level: 20, rpc: rpc(method), code: "OK", protocol }),
      ]);
    }
  });

  it.each(PROTOCOLS)("at info, a failed read writes its rpc line (%s)", (protocol) => {
    expect(at("info").lines(`failed-${protocol}`)).toEqual([
      expect.objectContaining({ level: 30, rpc: rpc("GetCurrentUser"), code: "UNAUTHENTICATED" }),
    ]);
  });

  it("at info, writes log their rpc line (Register, Login)", () => {
    const lines = at("info")
      .t.logs.map((line) => JSON.parse(line))
      .filter((e) => e.msg === "rpc" && e.level === 30);
    expect(lines.map((e) => [e.rpc, e.code])).toEqual(
      expect.arrayContaining([
        [rpc("Register"), "OK"],
        [rpc("Login"), "OK"],
      ]),
    );
  });

  it("counts every read in the metrics, at info as at debug", async () => {
    for (const level of ["info", "debug"] as const) {
      const text = await scrapeMetrics(at(level).t.server.metricsPort as number);
      for (const method of READS) {
        const count = (code: string) =>
          metricSample(text, "userharbor_rpc_total", { method: rpc(method), code });
        expect(count("OK"), `${level} ${method}`).toBe(PROTOCOLS.length);
      }
      expect(
        metricSample(text, "userharbor_rpc_total", {
          method: rpc("GetCurrentUser"),
          code: "UNAUTHENTICATED",
        }),
      ).toBe(PROTOCOLS.length);
    }
  });
});
