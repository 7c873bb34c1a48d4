import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { AccountService } from "@userharbor/client";
import { describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import { freePort, run } from "../support/processes.js";
import { signUp } from "../support/sign-up.js";
import { transportFor } from "../support/test-server.js";

const PASSWORD = "graceful correct horse";
const client = { ip: "192.0.2.70", userAgent: "shutdown-test" };

/**
 * The call's status as gRPC defines it. A stream the server refused once it
 * began to close (RST_STREAM REFUSED_STREAM: not processed, safe to retry) is
 * UNAVAILABLE in gRPC's HTTP/2 mapping; connect-node 2.1 reports it as INTERNAL
 * when Node raises it as a stream error ("Stream closed with error code
 * NGHTTP2_REFUSED_STREAM") instead of through the reset code.
 */
function statusOf(error: unknown): Code {
  const e = ConnectError.from(error);
  const refused = e.code === Code.Internal && e.rawMessage.includes("NGHTTP2_REFUSED_STREAM");
  return refused ? Code.Unavailable : e.code;
}

/**
 * SIGTERM during a stream of requests: calls that started before finish
 * normally, anything after shutdown began fails only with UNAVAILABLE (retry
 * elsewhere), and the process exits 0 well within SHUTDOWN_TIMEOUT.
 */
describe("graceful shutdown on SIGTERM", () => {
  it("finishes in-flight RPCs, refuses the rest with UNAVAILABLE only, and exits 0", async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const server = run("node", ["--import", "tsx", "src/server.ts"], {
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      REQUIRE_VERIFIED_EMAIL: "false",
      SHUTDOWN_TIMEOUT: "5s",
      // Slow enough (~100+ ms) that a login is surely in flight when SIGTERM lands.
      ARGON2_MEMORY_KIB: "65536",
      ARGON2_TIME_COST: "3",
      LIMIT_LOGIN_IP: "100000/1m",
      LIMIT_LOGIN_ACCOUNT: "100000/1m",
    });
    await server.waitFor(/UserHarbor listening/);
    const url = `http://127.0.0.1:${port}`;
    const grpc = createClient(AccountService, transportFor(url, "grpc"));
    const connect = createClient(AccountService, transportFor(url, "connect"));
    const sessionToken = await signUp(grpc, { username: "graceful", password: PASSWORD, client });

    let signalledAt = Number.POSITIVE_INFINITY;
    const outcomes: Array<{ startedAt: number; code: Code | "OK" }> = [];
    const stream = async (api: typeof grpc) => {
      for (let i = 0; i < 400; i++) {
        const startedAt = performance.now();
        try {
          await api.verifySession({ sessionToken });
          outcomes.push({ startedAt, code: "OK" });
        } catch (error) {
          outcomes.push({ startedAt, code: statusOf(error) });
          if (startedAt > signalledAt) return; // the server is gone: stop this stream
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const streams = [stream(grpc), stream(grpc), stream(connect), stream(connect)];
    // At least 300 ms and 30 answers before the signal (a loaded machine answers fewer in
    // 300 ms), then 100 ms more: `before` below counts calls started 100 ms before it.
    const streaming = performance.now();
    while (outcomes.length < 30 || performance.now() - streaming < 300) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));

    const inFlightLogin = grpc.login({ username: "graceful", password: PASSWORD, client });
    // Signal only once the server is hashing it (its metrics say so): then it is in flight
    // for sure, however loaded the machine, and must still complete.
    await eventually(
      async () => {
        const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        expect(metrics).toMatch(/^userharbor_password_hashes_in_flight [1-9]/m);
      },
      10_000,
      2,
    );
    signalledAt = performance.now();
    const exited = server.stop("SIGTERM");
    const login = await inFlightLogin;
    expect(login.sessionToken).toMatch(/^uhs_/);
    const [code] = await Promise.all([exited, ...streams]);
    const exitedAfterMs = performance.now() - signalledAt;

    expect(code).toBe(0);
    expect(exitedAfterMs).toBeLessThan(5_000);
    // A call sent just before the signal may reach the server after it: then UNAVAILABLE is
    // right too. What must never happen is any other status.
    const codes = (list: typeof outcomes) =>
      new Set(list.map((o) => (o.code === "OK" ? "OK" : Code[o.code])));
    const before = outcomes.filter((o) => o.startedAt < signalledAt - 100);
    const after = outcomes.filter((o) => o.startedAt >= signalledAt);
    expect(before.length).toBeGreaterThan(20);
    expect(codes(before)).toEqual(new Set(["OK"]));
    expect(after.length).toBeGreaterThan(0);
    expect(codes(after)).toContain("Unavailable");
    expect([...codes(outcomes)].filter((c) => c !== "OK" && c !== "Unavailable")).toEqual([]);
    expect(server.output()).toContain('"msg":"stopped"');
  });
});
