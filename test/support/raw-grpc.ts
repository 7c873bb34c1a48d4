import http2 from "node:http2";

/** One gRPC message frame: flags, 4-byte length (`length` may lie, for hostile tests), bytes. */
export function grpcFrame(bytes: Uint8Array, flags = 0, length = bytes.length): Buffer {
  const out = Buffer.alloc(5 + bytes.length);
  out[0] = flags;
  out.writeUInt32BE(length, 1);
  out.set(bytes, 5);
  return out;
}

export interface RawGrpcAnswer {
  /** Response headers and trailers together (a trailers-only answer has only the former). */
  headers: http2.IncomingHttpHeaders;
  /** The trailers alone (none in a trailers-only answer). */
  trailers: http2.IncomingHttpHeaders;
  body: Buffer;
}

/** A gRPC call with exactly these body bytes over a fresh HTTP/2 connection, no client library. */
export async function rawGrpcCall(
  baseUrl: string,
  path: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<RawGrpcAnswer> {
  const session = http2.connect(baseUrl);
  try {
    return await new Promise<RawGrpcAnswer>((resolve, reject) => {
      const req = session.request({
        ":method": "POST",
        ":path": path,
        "content-type": "application/grpc",
        te: "trailers",
        ...headers,
      });
      let all: http2.IncomingHttpHeaders = {};
      let trailers: http2.IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      req.on("response", (h) => {
        all = { ...all, ...h };
      });
      req.on("trailers", (t) => {
        all = { ...all, ...t };
        trailers = t;
      });
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("error", reject);
      req.on("close", () => resolve({ headers: all, trailers, body: Buffer.concat(chunks) }));
      req.end(body);
    });
  } finally {
    session.close();
  }
}

/**
 * A bare node:http2 server on 127.0.0.1 that hands each request stream to `onStream`: for
 * specs of the pieces that read and write streams themselves.
 */
export async function h2Server(
  onStream: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http2.createServer();
  server.on("stream", onStream);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A real server-side HTTP/2 stream (a POST to `path`), and a way for its client to go away. */
export async function openServerStream(path = "/x", headers: Record<string, string> = {}) {
  let resolve: (s: [http2.ServerHttp2Stream, http2.IncomingHttpHeaders]) => void = () => {};
  const arrived = new Promise<[http2.ServerHttp2Stream, http2.IncomingHttpHeaders]>((r) => {
    resolve = r;
  });
  const server = await h2Server((stream, h) => resolve([stream, h]));
  const session = http2.connect(server.url);
  const req = session.request({ ":method": "POST", ":path": path, ...headers });
  req.on("error", () => {});
  const [stream, received] = await arrived;
  return {
    stream,
    headers: received,
    goAway: () => req.close(http2.constants.NGHTTP2_CANCEL),
    close: async () => {
      session.destroy();
      await server.close();
    },
  };
}
