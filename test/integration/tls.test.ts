import https from "node:https";
import tls from "node:tls";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
  Http2SessionManager,
} from "@connectrpc/connect-node";
import { AccountService } from "@userharbor/client";
import {
  Health,
  HealthCheckResponse_ServingStatus,
} from "@userharbor/client/grpc/health/v1/health_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestPki, type TestPki } from "../support/certificates.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * TLS and mTLS on the one listener (TLS_CERT_FILE, TLS_KEY_FILE, TLS_CLIENT_CA_FILE):
 * HTTP/2 (gRPC, gRPC-Web, Connect) and HTTP/1.1 (Connect) chosen by ALPN, over a
 * throwaway PKI that `openssl` makes in beforeAll.
 */

type Wire = "connect over HTTP/1.1" | "grpc over HTTP/2" | "grpc-web over HTTP/2";
const WIRES: Wire[] = ["connect over HTTP/1.1", "grpc over HTTP/2", "grpc-web over HTTP/2"];

interface TlsClientOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** Transports with their own connections, so every test sees a fresh handshake; `close` drops them. */
function connections() {
  const open: Array<() => void> = [];
  const transport = (baseUrl: string, wire: Wire, tlsOptions: TlsClientOptions): Transport => {
    if (wire === "connect over HTTP/1.1") {
      const agent = new https.Agent({ keepAlive: true, ...tlsOptions });
      open.push(() => agent.destroy());
      return createConnectTransport({ baseUrl, httpVersion: "1.1", nodeOptions: { agent } });
    }
    const sessionManager = new Http2SessionManager(baseUrl, {}, tlsOptions);
    open.push(() => sessionManager.abort());
    return wire === "grpc over HTTP/2"
      ? createGrpcTransport({ baseUrl, sessionManager })
      : createGrpcWebTransport({ baseUrl, httpVersion: "2", sessionManager });
  };
  const close = () => {
    for (const drop of open.splice(0)) drop();
  };
  return { transport, close };
}

/** One cheap RPC: "OK", or the failure's code and message. */
async function probe(transport: Transport): Promise<string> {
  const accounts = createClient(AccountService, transport);
  try {
    const answer = await accounts.verifySession({ sessionToken: "" }, { timeoutMs: 5_000 });
    return answer.valid ? "valid?!" : "OK";
  } catch (error) {
    const err = ConnectError.from(error);
    return `${Code[err.code]}: ${err.rawMessage}`;
  }
}

/** The protocol the server picks by ALPN when the client offers `offer`. */
function alpn(port: number, ca: Buffer, offer: string[]): Promise<string | false | null> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, ca, ALPNProtocols: offer }, () => {
      resolve(socket.alpnProtocol);
      socket.end();
    });
    socket.once("error", reject);
  });
}

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});
afterAll(() => pki?.dispose());

/** A server for the describe block with TLS env from the PKI; `base` is its https:// URL. */
function tlsServer(clientCa: boolean) {
  const conns = connections();
  const server = {
    t: undefined as unknown as TestServer,
    base: "",
    get port(): number {
      return server.t.server.port;
    },
    /** A transport of its own to this server over `wire`, with these TLS client options. */
    transport: (wire: Wire, options: TlsClientOptions) =>
      conns.transport(server.base, wire, options),
  };
  beforeAll(async () => {
    server.t = await startTestServer({
      env: {
        TLS_CERT_FILE: pki.server.certFile,
        TLS_KEY_FILE: pki.server.keyFile,
        ...(clientCa && { TLS_CLIENT_CA_FILE: pki.ca.certFile }),
      },
    });
    server.base = `https://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    conns.close();
    await server.t?.close();
  });
  return server;
}

describe("TLS (TLS_CERT_FILE, TLS_KEY_FILE)", () => {
  const server = tlsServer(false);

  it("announces an https:// URL", () => {
    expect(server.t.server.url).toBe(server.base);
  });

  it("offers h2 and http/1.1 by ALPN", async () => {
    expect(await alpn(server.port, pki.ca.cert, ["h2", "http/1.1"])).toBe("h2");
    expect(await alpn(server.port, pki.ca.cert, ["http/1.1"])).toBe("http/1.1");
  });

  it.each(WIRES)("%s works for a client that trusts the CA", async (wire) => {
    expect(await probe(server.transport(wire, { ca: pki.ca.cert }))).toBe("OK");
  });

  it("health answers over TLS too", async () => {
    const health = createClient(Health, server.transport("grpc over HTTP/2", { ca: pki.ca.cert }));
    expect((await health.check({}, { timeoutMs: 5_000 })).status).toBe(
      HealthCheckResponse_ServingStatus.SERVING,
    );
  });

  it.each(WIRES)("%s fails for a client that does not trust the CA", async (wire) => {
    // No `ca`: Node's default roots, which do not include the throwaway CA.
    expect(await probe(server.transport(wire, {}))).toMatch(/^\w+: .*certificate/);
  });

  it.each([
    ["gRPC (HTTP/2 prior knowledge)", "grpc over HTTP/2"],
    ["Connect (HTTP/1.1)", "connect over HTTP/1.1"],
  ] as const)("a cleartext %s client gets no answer from the TLS port", async (_name, wire) => {
    const cleartext = `http://127.0.0.1:${server.port}`;
    const transport =
      wire === "grpc over HTTP/2"
        ? createGrpcTransport({ baseUrl: cleartext })
        : createConnectTransport({ baseUrl: cleartext, httpVersion: "1.1" });
    expect(await probe(transport)).not.toBe("OK");
  });
});

describe("mTLS (TLS_CLIENT_CA_FILE)", () => {
  const server = tlsServer(true);

  it.each(WIRES)("%s works with a client certificate signed by the CA", async (wire) => {
    const { cert, key } = pki.client;
    expect(await probe(server.transport(wire, { ca: pki.ca.cert, cert, key }))).toBe("OK");
  });

  it.each(WIRES)("%s is refused without a client certificate", async (wire) => {
    // TLS 1.3: the server's "certificate required" alert arrives on the first read.
    expect(await probe(server.transport(wire, { ca: pki.ca.cert }))).toMatch(
      /certificate required/,
    );
  });

  it.each(WIRES)("%s is refused with a certificate from another CA", async (wire) => {
    const { cert, key } = pki.strangerClient;
    expect(await probe(server.transport(wire, { ca: pki.ca.cert, cert, key }))).not.toBe("OK");
  });

  it("a cleartext gRPC client is refused (mTLS cannot be skipped by skipping TLS)", async () => {
    const cleartext = createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.port}` });
    expect(await probe(cleartext)).not.toBe("OK");
  });

  it("the client certificate is demanded in the handshake itself", async () => {
    // TLS 1.3 reports the refusal after the handshake: the first read gets the alert.
    const refusal = await new Promise<string>((resolve) => {
      const socket = tls.connect({ host: "127.0.0.1", port: server.port, ca: pki.ca.cert });
      socket.once("secureConnect", () => socket.write("x"));
      socket.once("error", (error) => resolve(error.message));
      socket.once("close", () => resolve("closed"));
    });
    expect(refusal).toMatch(/certificate required|closed/);
  });
});
