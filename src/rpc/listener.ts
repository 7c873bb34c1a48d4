import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import type { connectNodeAdapter } from "@connectrpc/connect-node";
import type { HttpLimits } from "../config/index.js";
import type { CorsGate } from "./cors.js";
import type { StreamHandler } from "./grpc-unary.js";
import type { HttpRoute } from "./key-set.js";
import { requestIdFor } from "./request-id.js";

/** What connectNodeAdapter returns: a request listener for both http and http2. */
export type NodeHandler = ReturnType<typeof connectNodeAdapter>;

/** The client connection preface every HTTP/2 cleartext (prior knowledge) connection opens with. */
const H2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

export interface Listener {
  /** The bound port (useful when asked for port 0). */
  port: number;
  /**
   * Stops accepting, lets in-flight requests finish for up to `graceMs`, then
   * cuts what is left. Resolves when every connection is gone.
   */
  close(graceMs: number): Promise<void>;
}

/** Serve TLS (and require client certificates when `ca` is given: mTLS). */
export interface TlsOptions {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
}

export interface ListenExtras {
  /** Answers CORS preflights and adds CORS headers before the handler runs (browsers). */
  cors?: CorsGate | undefined;
  /** Takes HTTP/2 streams before the compatibility API (the direct gRPC unary path). */
  fastStream?: StreamHandler | undefined;
  /** Per-connection limits (HTTP_*, H2_* in config). */
  limits: HttpLimits;
  /** Plain HTTP answers besides the RPCs (the key set at /.well-known/jwks.json). */
  httpRoute?: HttpRoute | undefined;
}

/**
 * Node's HTTP/2 limits, set explicitly rather than left to defaults: a hostile
 * peer (rapid reset, PING/SETTINGS floods, thousands of streams, HPACK bombs)
 * meets a closed connection or a refused stream, never unbounded memory.
 */
function http2Options(limits: HttpLimits): http2.ServerOptions {
  return {
    maxSessionMemory: limits.maxSessionMemoryMb,
    maxHeaderListPairs: limits.maxHeaderListPairs,
    maxSessionRejectedStreams: limits.maxRejectedStreams,
    maxSessionInvalidFrames: limits.maxInvalidFrames,
    maxSettings: limits.maxSettings,
    maxOutstandingPings: 10,
    peerMaxConcurrentStreams: limits.maxConcurrentStreams,
    unknownProtocolTimeout: limits.headersTimeoutMs,
    settings: {
      maxConcurrentStreams: limits.maxConcurrentStreams,
      maxHeaderListSize: limits.maxHeaderBytes,
      enablePush: false,
    },
    // Newer Node only (ignored by Node 20, where nghttp2's own reset limit applies).
    ...({
      streamResetBurst: limits.streamResets.burst,
      streamResetRate: limits.streamResets.perSecond,
    } as object),
  };
}

function http1Options(limits: HttpLimits): http.ServerOptions {
  return {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often node looks for requests past those timeouts (default 30 s: a slowloris would outlive them).
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
  };
}

/**
 * One port for every protocol: HTTP/2 (gRPC, gRPC-Web, Connect) and HTTP/1.1
 * (Connect JSON for curl, gRPC-Web). In cleartext each new connection's first
 * bytes are compared with the HTTP/2 preface and the socket handed to the
 * matching server; with TLS, ALPN picks the protocol.
 *
 * Every request gets its request id here, before any protocol code runs, so every answer
 * carries `x-request-id`, errors included: the caller's value if sane, else a new one,
 * written back into the request's header for the interceptors and logs to read.
 * `fastStream` may take an HTTP/2 stream before the compatibility API sees it (the direct
 * gRPC unary path); what it declines goes to `cors` and `handler`. It never takes a request
 * with an Origin header, so every browser request meets the CORS gate.
 */
export async function listen(
  handler: NodeHandler,
  host: string,
  port: number,
  tlsOptions: TlsOptions | undefined,
  { cors, fastStream, httpRoute, limits }: ListenExtras,
): Promise<Listener> {
  let inFlight = 0;
  const track: NodeHandler = (req, res) => {
    inFlight++;
    res.once("close", () => inFlight--);
    const requestId = requestIdFor(req.headers["x-request-id"]);
    req.headers["x-request-id"] = requestId;
    res.setHeader("x-request-id", requestId);
    if (req.httpVersionMajor === 1)
      closeAfterEarlyAnswer(req as http.IncomingMessage, res as http.ServerResponse);
    if (cors?.(req, res)) return; // CORS answers preflights itself
    if (!httpRoute?.(req, res)) handler(req, res);
  };
  const h1 = http.createServer(http1Options(limits), track as http.RequestListener);
  // Node enforces headersTimeout and requestTimeout from a timer it starts when the server
  // listens; this one never does (the front server hands it sockets), so start it now, or a
  // slowloris trickling its headers would hold its connection for ever.
  h1.emit("listening");
  const h2Handler = track as (
    req: http2.Http2ServerRequest,
    res: http2.Http2ServerResponse,
  ) => void;
  // With TLS, a secure server takes each raw socket: handshake, then ALPN picks HTTP/2 or
  // HTTP/1.1 (allowHTTP1). With `ca`, clients must present a certificate it signed (mTLS).
  const h2 = tlsOptions
    ? http2.createSecureServer(
        {
          ...http2Options(limits),
          ...http1Options(limits),
          ...tlsOptions,
          allowHTTP1: true,
          requestCert: Boolean(tlsOptions.ca),
          rejectUnauthorized: Boolean(tlsOptions.ca),
        },
        h2Handler,
      )
    : http2.createServer(http2Options(limits), h2Handler);
  // An HTTP/2 connection with no frames for this long is closed (its streams have ended).
  h2.setTimeout(limits.idleTimeoutMs, (session?: http2.ServerHttp2Session) => session?.close());
  if (fastStream)
    takeStreamsFirst(
      h2,
      fastStream,
      () => inFlight++,
      () => inFlight--,
    );
  const sockets = new Set<net.Socket>();
  const h2Sessions = new Set<http2.ServerHttp2Session>();
  h2.on("session", (session) => {
    h2Sessions.add(session);
    session.once("close", () => h2Sessions.delete(session));
  });

  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    if (tlsOptions) h2.emit("connection", socket);
    else
      route(socket, limits.headersTimeoutMs, (isH2) => (isH2 ? h2 : h1).emit("connection", socket));
  });
  front.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    front.once("error", reject);
    front.listen(port, host, () => resolve());
  });
  const address = front.address() as net.AddressInfo;

  return {
    port: address.port,
    async close(graceMs) {
      const closed = new Promise<void>((resolve) => front.close(() => resolve()));
      // Ask clients to stop sending on existing connections: GOAWAY on HTTP/2,
      // "Connection: close" after the current response on HTTP/1.1. Idle HTTP/1.1 connections
      // stay until the end: closing one while its client sends on it turns the clean
      // UNAVAILABLE that call would get into a connection reset. (Node only tracks HTTP/1.1
      // connections, which closeIdleConnections needs, since the timeout checks started above;
      // before that it closed nothing here.)
      for (const session of h2Sessions) session.close();
      h1.on("request", (_req, res) => res.setHeader("connection", "close"));
      const deadline = Date.now() + graceMs;
      while (inFlight > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/**
 * Offers each new HTTP/2 stream to `fast` before the compatibility API turns it into a
 * request/response pair. Node's compat layer listens to the same "stream" event and offers
 * no way to skip a stream, so the server's emit is wrapped: a stream `fast` takes is not
 * emitted further.
 */
function takeStreamsFirst(
  server: http2.Http2Server | http2.Http2SecureServer,
  fast: StreamHandler,
  begin: () => void,
  end: () => void,
): void {
  const emit = server.emit;
  server.emit = function (this: typeof server, event: string | symbol, ...args: unknown[]) {
    if (event === "stream") {
      const [stream, headers] = args as [http2.ServerHttp2Stream, http2.IncomingHttpHeaders];
      headers["x-request-id"] = requestIdFor(headers["x-request-id"]);
      if (fast(stream, headers)) {
        begin();
        stream.once("close", end);
        return true;
      }
    }
    return emit.call(this, event, ...args);
  } as typeof server.emit;
}

/**
 * An HTTP/1.1 answer sent before its request body was read (an over-size body
 * refused early) leaves the rest of the body on the connection, where it would
 * be read as the next request. Such an answer says `Connection: close`, so the
 * client opens a fresh connection for its next call, and the connection ends
 * once the answer is out.
 */
function closeAfterEarlyAnswer(req: http.IncomingMessage, res: http.ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: http.ServerResponse, ...args: Parameters<typeof writeHead>) {
    if (!req.complete) this.setHeader("connection", "close");
    return writeHead.apply(this, args);
  } as typeof writeHead;
}

/**
 * Peeks at a new connection's first bytes to tell HTTP/2 from HTTP/1.1, then
 * replays them. A connection that has not said which within `timeoutMs` (a
 * slowloris sending nothing, or the preface a byte at a time) is closed.
 */
function route(socket: net.Socket, timeoutMs: number, hand: (isH2: boolean) => void): void {
  let seen = Buffer.alloc(0);
  const timer = setTimeout(() => socket.destroy(), timeoutMs);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
  const onData = (chunk: Buffer) => {
    seen = Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, H2_PREFACE.length);
    const prefixMatches = seen.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
    if (prefixMatches && n < H2_PREFACE.length) return; // need more bytes to decide
    socket.off("data", onData);
    clearTimeout(timer);
    socket.pause();
    socket.unshift(seen);
    hand(prefixMatches);
    // Resume only after the server has taken the socket: node's HTTP/2 session
    // must read the replayed bytes itself, or it answers GOAWAY(INTERNAL_ERROR).
    process.nextTick(() => socket.resume());
  };
  socket.on("data", onData);
  socket.on("error", () => socket.destroy());
}
