import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runHostileDrill } from "./lib/hostile-peers.js";
import { percentile, rssOf } from "./lib/rss.js";
import { type ServerProcess, startServerProcess } from "./lib/server-process.js";

const PASSWORD = "hostile drill correct horse";
const client = { ip: "192.0.2.61", userAgent: "hostile-drill" };
/**
 * CI bound on the good client's p99 while attacks run. The issue's 50 ms is measured by the
 * bench (`npm run bench -- --only hostile`) on a quiet machine; here the attackers, the server
 * and other suites share two loaded cores, so this bound only catches a server that stalls.
 */
const CI_P99_MS = 500;
/** RSS may grow this much over its pre-attack level while under attack. */
const RSS_GROWTH_BYTES = 150 * 1024 * 1024;

/**
 * Hostile peers (issue 31): rapid reset, PING and SETTINGS floods, thousands of
 * streams on one connection, an HPACK bomb and an oversized header block, and a
 * slowloris on HTTP/1.1, one after another against a server process, while a
 * well-behaved client keeps calling VerifySession.
 */
describe("hostile HTTP/2 and HTTP/1.1 peers", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ HTTP_HEADERS_TIMEOUT: "2s", METRICS_ENABLED: "false" });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("closes each hostile connection while a good client is served and memory stays bounded", async () => {
    const pid = server.proc.child.pid as number;
    await server.api.register({
      username: "good",
      email: "good@drill.example",
      password: PASSWORD,
      client,
    });
    const { sessionToken } = await server.api.login({
      username: "good",
      password: PASSWORD,
      client,
    });
    const {
      results,
      latencies: under,
      failures,
      rssBefore: before,
      rssPeak: peak,
    } = await runHostileDrill(
      server.port,
      async () => (await server.api.verifySession({ sessionToken }, { timeoutMs: 5_000 })).valid,
      () => rssOf(pid),
    );
    const p99 = percentile(under, 99);
    for (const r of results) {
      console.info(
        `[hostile] ${r.name}: ${r.detail}; ${r.closedByServer ? "closed by the server" : "still open"}${r.goaway !== undefined ? ` (GOAWAY code ${r.goaway})` : ""}, ${r.resets} streams reset, ${r.ms.toFixed(0)} ms`,
      );
    }
    console.info(
      `[hostile] good client: ${under.length} VerifySession, ${failures} failed, p50 ${percentile(under, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...under).toFixed(0)} ms; RSS ${(before / 2 ** 20).toFixed(0)} MiB before, peak ${(peak / 2 ** 20).toFixed(0)} MiB`,
    );

    expect(failures).toBe(0);
    expect(under.length).toBeGreaterThan(50);
    expect(p99).toBeLessThan(CI_P99_MS);
    expect(peak - before).toBeLessThan(RSS_GROWTH_BYTES);
    // Each hostile connection is cut (GOAWAY or close) rather than served on and on; the
    // HPACK bomb's stream alone may be refused instead (RST_STREAM, connection kept).
    const open = results
      .filter((r) => !r.closedByServer && !(r.name === "HPACK bomb" && r.resets > 0))
      .map((r) => r.name);
    expect(open).toEqual([]);
    // And the server is still the server.
    expect((await server.api.verifySession({ sessionToken })).valid).toBe(true);
  }, 120_000);
});
