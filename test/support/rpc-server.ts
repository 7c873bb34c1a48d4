import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import type { ConnectRouter } from "@connectrpc/connect";
import { type ConnectNodeAdapterOptions, connectNodeAdapter } from "@connectrpc/connect-node";

export interface RpcServer {
  port: number;
  /** http://127.0.0.1:PORT, the base URL for clients and `buf curl`. */
  url: string;
  /** Stops listening and drops open HTTP/2 sessions, so lingering streams cannot stall teardown. */
  close(): Promise<void>;
}

/**
 * A connect-node server on 127.0.0.1, port 0, over HTTP/2 cleartext (prior knowledge), as gRPC
 * clients and `buf curl --http2-prior-knowledge` speak it.
 */
export async function startRpcServer(
  routes: (router: ConnectRouter) => void,
  options: Omit<ConnectNodeAdapterOptions, "routes"> = {},
): Promise<RpcServer> {
  const server = http2.createServer(connectNodeAdapter({ routes, ...options }));
  const sessions = new Set<http2.Http2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const session of sessions) session.destroy();
      }),
  };
}
