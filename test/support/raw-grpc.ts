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
      const chunks: Buffer[] = [];
      req.on("response", (h) => {
        all = { ...all, ...h };
      });
      req.on("trailers", (t) => {
        all = { ...all, ...t };
      });
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("error", reject);
      req.on("close", () => resolve({ headers: all, body: Buffer.concat(chunks) }));
      req.end(body);
    });
  } finally {
    session.close();
  }
}
