import { z } from "zod";
import type { Environment } from "./environment.js";
import { budget, duration, integer } from "./values.js";

/**
 * What the listener allows each connection (src/rpc/listener.ts applies them):
 * set explicitly rather than left to node's defaults, so a hostile peer (rapid
 * reset, PING/SETTINGS floods, thousands of streams, HPACK bombs, slowloris)
 * meets a closed connection or a refused stream, never unbounded memory.
 * docs/operations.md says what each guards against.
 */
export const CONNECTIONS = z.object({
  HTTP_MAX_CONNECTIONS: integer(1, 1_000_000).prefault("10000").meta({
    description:
      "Open connections accepted at once (HTTP/2 and HTTP/1.1); beyond, new ones are closed.",
  }),
  HTTP_HEADERS_TIMEOUT: duration.prefault("10s").meta({
    description:
      "A connection must send its HTTP/1.1 request headers (or its HTTP/2 preface) within this: slowloris peers are cut.",
  }),
  HTTP_REQUEST_TIMEOUT: duration.prefault("30s").meta({
    description: "An HTTP/1.1 request must arrive whole (headers and body) within this.",
  }),
  HTTP_KEEP_ALIVE_TIMEOUT: duration
    .prefault("5s")
    .meta({ description: "An idle HTTP/1.1 keep-alive connection is closed after this." }),
  HTTP_MAX_HEADER_BYTES: integer(1_024, 1_048_576).prefault("16384").meta({
    description:
      "Largest header block accepted, HTTP/1.1 and HTTP/2 (decoded size, so an HPACK bomb counts in full).",
  }),
  H2_MAX_HEADER_LIST_PAIRS: integer(4, 10_000)
    .prefault("64")
    .meta({ description: "Most header fields in one HTTP/2 request." }),
  H2_MAX_CONCURRENT_STREAMS: integer(1, 10_000)
    .prefault("100")
    .meta({ description: "Streams one HTTP/2 connection may have open at once (SETTINGS)." }),
  H2_MAX_SESSION_MEMORY_MB: integer(1, 1_024).prefault("10").meta({
    description:
      "Memory one HTTP/2 connection may hold (buffers, header tables) before new streams are refused.",
  }),
  H2_MAX_REJECTED_STREAMS: integer(1, 100_000).prefault("100").meta({
    description:
      "Streams refused on one HTTP/2 connection (over the stream limit) before it is closed.",
  }),
  H2_MAX_INVALID_FRAMES: integer(1, 100_000).prefault("100").meta({
    description: "Invalid frames tolerated on one HTTP/2 connection before it is closed.",
  }),
  H2_STREAM_RESETS: budget.prefault("200/1s").meta({
    description:
      "Stream resets (RST_STREAM) a peer may send: a burst of this many, refilled at this rate (rapid reset, CVE-2023-44487); beyond, the connection is closed. Node versions without the option (20) rely on nghttp2's built-in limit.",
  }),
  H2_MAX_SETTINGS: integer(1, 1_000)
    .prefault("32")
    .meta({ description: "Settings entries accepted in one HTTP/2 SETTINGS frame." }),
  H2_IDLE_TIMEOUT: duration
    .prefault("5m")
    .meta({ description: "An HTTP/2 connection with no frames for this long is closed." }),
});

/** What the listener enforces on every connection. */
export interface HttpLimits {
  maxConnections: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxHeaderBytes: number;
  maxHeaderListPairs: number;
  maxConcurrentStreams: number;
  maxSessionMemoryMb: number;
  maxRejectedStreams: number;
  maxInvalidFrames: number;
  streamResets: { burst: number; perSecond: number };
  maxSettings: number;
  idleTimeoutMs: number;
}

export function httpLimits(v: Environment): HttpLimits {
  return {
    maxConnections: v.HTTP_MAX_CONNECTIONS,
    headersTimeoutMs: v.HTTP_HEADERS_TIMEOUT,
    requestTimeoutMs: v.HTTP_REQUEST_TIMEOUT,
    keepAliveTimeoutMs: v.HTTP_KEEP_ALIVE_TIMEOUT,
    maxHeaderBytes: v.HTTP_MAX_HEADER_BYTES,
    maxHeaderListPairs: v.H2_MAX_HEADER_LIST_PAIRS,
    maxConcurrentStreams: v.H2_MAX_CONCURRENT_STREAMS,
    maxSessionMemoryMb: v.H2_MAX_SESSION_MEMORY_MB,
    maxRejectedStreams: v.H2_MAX_REJECTED_STREAMS,
    maxInvalidFrames: v.H2_MAX_INVALID_FRAMES,
    streamResets: {
      burst: v.H2_STREAM_RESETS.points,
      perSecond: v.H2_STREAM_RESETS.points / (v.H2_STREAM_RESETS.durationMs / 1_000),
    },
    maxSettings: v.H2_MAX_SETTINGS,
    idleTimeoutMs: v.H2_IDLE_TIMEOUT,
  };
}
