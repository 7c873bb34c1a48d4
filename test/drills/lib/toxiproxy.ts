import { existsSync } from "node:fs";
import { join } from "node:path";
import { freePort, type RunningProcess, run } from "../../support/processes.js";

/** Installed by scripts/install-toxiproxy.sh (.ci/run calls it). */
export const TOXIPROXY_SERVER = join(process.cwd(), ".tools", "bin", "toxiproxy-server");
export const toxiproxyInstalled = existsSync(TOXIPROXY_SERVER);

export interface Toxic {
  type: "latency" | "bandwidth" | "reset_peer" | "timeout" | "slow_close" | "limit_data";
  attributes: Record<string, number>;
  stream?: "upstream" | "downstream";
}

export interface Toxiproxy {
  /** Adds a proxy to `upstream` (host:port) listening on `listen` (default: a free 127.0.0.1 port); returns its port. */
  proxy(name: string, upstream: string, listen?: { host: string; port: number }): Promise<number>;
  /** Puts `toxic` on `proxy` until the returned function is called (both directions unless `stream`). */
  add(proxy: string, toxic: Toxic): Promise<() => Promise<void>>;
  stop(): Promise<void>;
  output(): string;
}

/**
 * A toxiproxy server (Shopify/toxiproxy, the server binary) on a free port, driven
 * through its HTTP API (the toxiproxy-cli binary does the same by hand).
 */
export async function startToxiproxy(): Promise<Toxiproxy> {
  const port = await freePort();
  const proc: RunningProcess = run(TOXIPROXY_SERVER, ["-host", "127.0.0.1", "-port", String(port)]);
  const api = `http://127.0.0.1:${port}`;
  await proc
    .waitFor(/Starting Toxiproxy|API HTTP server starting|8474|port/i, 10_000)
    .catch(() => {});
  for (let i = 0; ; i++) {
    const up = await fetch(`${api}/version`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 100) throw new Error(`toxiproxy did not start: ${proc.output().slice(-500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`toxiproxy ${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
  };
  let serial = 0;
  return {
    async proxy(name, upstream, listen) {
      const at = listen ?? { host: "127.0.0.1", port: await freePort() };
      await call("POST", "/proxies", {
        name,
        listen: `${at.host}:${at.port}`,
        upstream,
        enabled: true,
      });
      return at.port;
    },
    async add(proxy, toxic) {
      const streams = toxic.stream ? [toxic.stream] : (["upstream", "downstream"] as const);
      const names: string[] = [];
      for (const stream of streams) {
        const name = `${toxic.type}-${stream}-${serial++}`;
        await call("POST", `/proxies/${proxy}/toxics`, {
          name,
          type: toxic.type,
          stream,
          toxicity: 1,
          attributes: toxic.attributes,
        });
        names.push(name);
      }
      return async () => {
        for (const name of names) await call("DELETE", `/proxies/${proxy}/toxics/${name}`);
      };
    },
    output: () => proc.output(),
    async stop() {
      await proc.stop();
    },
  };
}
