import http2 from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type Interceptor } from "@connectrpc/connect";
import { Health, HealthCheckResponseSchema } from "@userharbor/client/grpc/health/v1/health_pb.js";
import { afterEach, describe, expect, it } from "vitest";
import { grpcFrame, h2Server, rawGrpcCall } from "../../../test/support/raw-grpc.js";
import { CallValues } from "../call-values.js";
import { grpcUnaryFastPath } from "./unary-handler.js";

const CHECK = "/grpc.health.v1.Health/Check";
const SERVING = Buffer.from(
  grpcFrame(toBinary(HealthCheckResponseSchema, create(HealthCheckResponseSchema, { status: 1 }))),
).toString("hex");

/**
 * A bare HTTP/2 server offering every stream to the handler (Health's Check and Watch, Check
 * failing for service "missing"); a stream it declines gets HTTP 404 from the test.
 */
async function serving(interceptors: Interceptor[] = [], readMaxBytes = 1024) {
  const peers: string[] = [];
  const handler = grpcUnaryFastPath({
    services: [
      {
        service: Health,
        impl: {
          check(req: { service: string }, _ctx: HandlerContext) {
            if (req.service === "missing") throw new ConnectError("unknown service", Code.NotFound);
            return { status: 1 };
          },
          async *watch() {},
        },
      },
    ],
    interceptors,
    readMaxBytes,
    shutdownSignal: new AbortController().signal,
    contextValues: (address) => {
      peers.push(address);
      return new CallValues();
    },
  });
  const declined: string[] = [];
  const server = await h2Server((stream, headers) => {
    if (handler(stream, headers)) return;
    declined.push(String(headers[":path"]));
    stream.respond({ ":status": 404 }, { endStream: true });
  });
  servers.push(server);
  return { url: server.url, declined, peers };
}
const servers: Array<{ close(): Promise<void> }> = [];

const empty = grpcFrame(new Uint8Array());

describe("grpcUnaryFastPath: the stream handler", () => {
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  it("serves a gRPC unary call: status 0 and the encoded answer", async () => {
    const { url, declined, peers } = await serving();
    for (const headers of [
      {},
      { "content-type": "application/grpc+proto" },
      { "grpc-encoding": "identity" },
    ]) {
      const res = await rawGrpcCall(url, CHECK, empty, headers);
      expect(res.headers[":status"]).toBe(200);
      expect(res.trailers["grpc-status"]).toBe("0");
      expect(res.body.toString("hex")).toBe(SERVING);
    }
    expect(declined).toEqual([]);
    expect(peers[0]).toMatch(/127\.0\.0\.1$/);
  });

  it("leaves to Connect everything that is not uncompressed gRPC unary from a non-browser", async () => {
    const { url, declined } = await serving();
    const cases: Array<[string, Record<string, string>]> = [
      ["/grpc.health.v1.Health/Nope", {}],
      ["/grpc.health.v1.Health/Watch", {}], // server streaming
      [CHECK, { "content-type": "application/grpc-web+proto" }],
      [CHECK, { "content-type": "application/proto" }],
      [CHECK, { "content-type": "application/json" }],
      [CHECK, { "grpc-encoding": "gzip" }],
      [CHECK, { origin: "https://app.example" }],
      [CHECK, { ":method": "PUT" }],
    ];
    for (const [path, headers] of cases) {
      const res = await rawGrpcCall(url, path, empty, headers);
      expect(res.headers[":status"], JSON.stringify([path, headers])).toBe(404);
    }
    expect(declined).toHaveLength(cases.length);
  });

  it("runs the interceptors and answers their errors and the implementation's as gRPC status", async () => {
    const seen: string[] = [];
    const { url } = await serving([
      (next) => async (req) => {
        seen.push(req.header.get("x-request-id") ?? "");
        if (req.header.get("authorization") !== "Bearer ok") {
          throw new ConnectError("no key", Code.Unauthenticated);
        }
        return next(req);
      },
    ]);
    const refused = await rawGrpcCall(url, CHECK, empty, { "x-request-id": "r-1" });
    expect(refused.headers).toMatchObject({ "grpc-status": "16", "x-request-id": "r-1" });
    const missing = await rawGrpcCall(url, CHECK, grpcFrame(Buffer.from("\n\x07missing")), {
      authorization: "Bearer ok",
    });
    expect(missing.headers).toMatchObject({
      "grpc-status": "5",
      "grpc-message": "unknown%20service",
    });
    expect(seen).toEqual(["r-1", ""]);
  });

  it("answers malformed bodies and timeouts without running the chain", async () => {
    let calls = 0;
    const { url } = await serving([
      (next) => (req) => {
        calls++;
        return next(req);
      },
    ]);
    const status = async (body: Buffer, headers: Record<string, string> = {}) =>
      (await rawGrpcCall(url, CHECK, body, headers)).headers["grpc-status"];
    expect(await status(Buffer.alloc(0))).toBe("12"); // UNIMPLEMENTED: no message
    expect(await status(empty.subarray(0, 3))).toBe("3"); // cut envelope
    const undecodable = await rawGrpcCall(url, CHECK, grpcFrame(Buffer.from([0xff, 0xff, 0xff])));
    // connect's serialization calls a parse failure INTERNAL ("parse binary: ...").
    expect(undecodable.headers["grpc-status"]).toBe("13");
    expect(decodeURIComponent(String(undecodable.headers["grpc-message"]))).toMatch(
      /^parse binary: /,
    );
    expect(await status(grpcFrame(new Uint8Array(), 1))).toBe("13"); // compressed flag
    expect(await status(empty, { "grpc-timeout": "soon" })).toBe("3");
    expect(calls).toBe(0);
  });

  it("refuses an oversize message from its envelope head, before the body has arrived", async () => {
    const { url } = await serving([], 1024);
    const session = http2.connect(url);
    try {
      const req = session.request({
        ":method": "POST",
        ":path": CHECK,
        "content-type": "application/grpc",
      });
      req.write(grpcFrame(new Uint8Array(), 0, 1 << 30)); // the head only; the stream stays open
      const [headers] = (await new Promise((resolve) =>
        req.once("response", (h) => resolve([h])),
      )) as [http2.IncomingHttpHeaders];
      expect(headers["grpc-status"]).toBe("8"); // RESOURCE_EXHAUSTED
      expect(decodeURIComponent(String(headers["grpc-message"]))).toBe(
        `message size ${1 << 30} is larger than configured readMaxBytes 1024`,
      );
      req.close();
    } finally {
      session.destroy();
    }
  });
});
