import { randomBytes } from "node:crypto";
import { runHostileDrill } from "../../test/drills/lib/hostile-peers.js";
import { percentile, rssOf } from "../../test/drills/lib/rss.js";
import { startServerProcess } from "../../test/drills/lib/server-process.js";
import { figure, fmt, phase, raw } from "../figures.js";
import { CLIENT, PASSWORD } from "../settings.js";

/**
 * Hostile peers (issue 31), bench form: the drill's attacks (test/drills/lib/hostile-peers.ts)
 * against a server process while a well-behaved client calls VerifySession; here the p99 target
 * of 50 ms is held (the CI test only bounds it loosely on its loaded machine).
 */
export async function hostileGroup(): Promise<void> {
  phase("hostile HTTP/2 and HTTP/1.1 peers while a good client calls VerifySession (memory store)");
  const server = await startServerProcess({
    HTTP_HEADERS_TIMEOUT: "2s",
    METRICS_ENABLED: "false",
    LOG_LEVEL: "warn",
    SECRET_KEY: randomBytes(32).toString("hex"),
  });
  try {
    await server.api.register({
      username: "good",
      email: "good@bench.example",
      password: PASSWORD,
      client: CLIENT,
    });
    const { sessionToken } = await server.api.login({
      username: "good",
      password: PASSWORD,
      client: CLIENT,
    });
    const pid = server.proc.child.pid as number;
    const r = await runHostileDrill(
      server.port,
      async () => (await server.api.verifySession({ sessionToken })).valid,
      () => rssOf(pid),
    );
    for (const a of r.results) {
      console.error(
        `  ${a.name}: ${a.detail}; ${a.closedByServer ? "closed by the server" : `open (${a.resets} streams refused)`}`,
      );
    }
    const p99 = percentile(r.latencies, 99);
    raw.hostile = r;
    figure({
      id: "hostile_good_client_p99",
      metric: "VerifySession p99 while hostile peers attack",
      ours: `${fmt(p99, 1)} ms`,
      baseline: "50 ms",
      ratio: p99 / 50,
      target: "< 50 ms",
      met: p99 < 50 && r.failures === 0,
      note: `${r.latencies.length} calls, ${r.failures} failed; RSS ${fmt(r.rssBefore / 2 ** 20)} -> peak ${fmt(r.rssPeak / 2 ** 20)} MiB`,
    });
  } finally {
    await server.stop();
  }
}
