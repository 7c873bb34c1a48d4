import type { ServerResponse } from "node:http";
import { create, toBinary } from "@bufbuild/protobuf";
import {
  createClient,
  createContextValues,
  type HandlerContext,
  type Interceptor,
} from "@connectrpc/connect";
import { createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import {
  AccountService,
  GetCurrentUserRequestSchema,
  RegisterRequestSchema,
} from "@userharbor/client";
import { Health } from "@userharbor/client/grpc/health/v1/health_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { grpcUnaryFastPath } from "../../src/rpc/grpc-unary.js";
import { HealthStatus, healthService } from "../../src/rpc/health.js";
import { listen } from "../../src/rpc/listener.js";
import { grpcFrame, rawGrpcCall } from "../support/raw-grpc.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * The direct gRPC unary path answers exactly what connect-node answers for the same bytes:
 * the same grpc-status, grpc-message and grpc-status-details-bin (ErrorInfo, BadRequest) for
 * domain errors, framing errors, size limits and timeouts. Two servers, GRPC_FAST_PATH on and
 * off, get each request; their answers are compared.
 */

const frame = grpcFrame;
const msg = (
  schema: typeof RegisterRequestSchema | typeof GetCurrentUserRequestSchema,
  init: object,
) => toBinary(schema, create(schema, init as never));

const register = `/${AccountService.typeName}/Register`;
const getCurrentUser = `/${AccountService.typeName}/GetCurrentUser`;
const weak = msg(RegisterRequestSchema, {
  username: "ok_name",
  email: "a@example.com",
  password: "x",
});

const CASES: Array<{ name: string; path: string; body: Buffer; headers?: Record<string, string> }> =
  [
    { name: "a domain error with ErrorInfo and BadRequest", path: register, body: frame(weak) },
    {
      name: "UNAUTHENTICATED",
      path: getCurrentUser,
      body: frame(msg(GetCurrentUserRequestSchema, { sessionToken: "uhs_nope" })),
    },
    { name: "undecodable protobuf", path: register, body: frame(Buffer.from([0xff, 0xff, 0xff])) },
    { name: "no message at all", path: register, body: Buffer.alloc(0) },
    { name: "a cut envelope", path: register, body: frame(weak).subarray(0, 8) },
    { name: "two messages", path: register, body: Buffer.concat([frame(weak), frame(weak)]) },
    { name: "a compressed flag without grpc-encoding", path: register, body: frame(weak, 1) },
    { name: "an envelope over REQUEST_MAX_BYTES", path: register, body: frame(Buffer.alloc(9000)) },
    {
      name: "a declared length over the limit, body never sent",
      path: register,
      body: frame(Buffer.alloc(0), 0, 1 << 30),
    },
    {
      name: "a malformed grpc-timeout",
      path: register,
      body: frame(weak),
      headers: { "grpc-timeout": "soon" },
    },
  ];

async function grpcCall(
  baseUrl: string,
  path: string,
  body: Buffer,
  headers: Record<string, string> = {},
) {
  const answer = await rawGrpcCall(baseUrl, path, body, headers);
  return {
    httpStatus: answer.headers[":status"],
    grpcStatus: answer.headers["grpc-status"],
    grpcMessage: answer.headers["grpc-message"],
    details: answer.headers["grpc-status-details-bin"],
    body: answer.body.toString("hex"),
  };
}

describe("gRPC unary: the direct path answers as connect-node does", () => {
  let fast: TestServer;
  let connect: TestServer;
  beforeAll(async () => {
    const env = { REQUEST_MAX_BYTES: "8192" };
    [fast, connect] = await Promise.all([
      startTestServer({ env: { ...env, GRPC_FAST_PATH: "true" } }),
      startTestServer({ env: { ...env, GRPC_FAST_PATH: "false" } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([fast?.close(), connect?.close()]);
  });

  it.each(CASES)("$name", async ({ path, body, headers }) => {
    const [a, b] = await Promise.all([
      grpcCall(fast.server.url, path, body, headers),
      grpcCall(connect.server.url, path, body, headers),
    ]);
    expect(a.grpcStatus).toMatch(/^[1-9]\d*$/); // every case is an error
    expect(a).toEqual(b);
  });

  it("a successful call (Health Check): same status and the same response bytes", async () => {
    const check = `/grpc.health.v1.Health/Check`;
    const [a, b] = await Promise.all([
      grpcCall(fast.server.url, check, frame(new Uint8Array())),
      grpcCall(connect.server.url, check, frame(new Uint8Array())),
    ]);
    expect(a).toMatchObject({ httpStatus: 200, grpcStatus: "0" });
    expect(a).toEqual(b);
  });
});

/**
 * A listener serving Health through the direct path only: its connect handler refuses
 * everything (503), reporting each refused request's content type to `onConnect`.
 */
function directPathOnly(
  impl: object,
  interceptors: Interceptor[],
  onConnect: (contentType: string) => void = () => {},
) {
  return listen(
    (req, res) => {
      onConnect(String(req.headers["content-type"]));
      (res as ServerResponse).writeHead(503).end();
    },
    "127.0.0.1",
    0,
    undefined,
    {
      fastStream: grpcUnaryFastPath({
        services: [{ service: Health, impl }],
        interceptors,
        readMaxBytes: 1024,
        shutdownSignal: new AbortController().signal,
        contextValues: () => createContextValues(),
      }),
      limits: loadConfig({}).http,
    },
  );
}

describe("the listener hands gRPC unary streams to the direct path", () => {
  it("serves gRPC Check itself and leaves gRPC-Web to the connect handler", async () => {
    const seen: string[] = [];
    const listener = await directPathOnly(healthService(new HealthStatus()), [], (type) =>
      seen.push(type),
    );
    try {
      const baseUrl = `http://127.0.0.1:${listener.port}`;
      const grpc = createClient(Health, createGrpcTransport({ baseUrl }));
      expect((await grpc.check({ service: "" })).status).toBe(1); // SERVING
      const web = createClient(Health, createGrpcWebTransport({ baseUrl, httpVersion: "2" }));
      await expect(web.check({ service: "" })).rejects.toThrow();
      expect(seen).toEqual(["application/grpc-web+proto"]);
    } finally {
      await listener.close(0);
    }
  });

  it("leaves server streams (Health Watch, like WatchAccountEvents) to the connect handler", async () => {
    const seen: string[] = [];
    const listener = await directPathOnly(healthService(new HealthStatus()), [], (type) =>
      seen.push(type),
    );
    try {
      const grpc = createClient(
        Health,
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${listener.port}` }),
      );
      const stream = grpc.watch({ service: "" });
      await expect(
        (async () => {
          for await (const _ of stream) return;
        })(),
      ).rejects.toThrow();
      // Only the connect handler saw it: the direct path takes unary methods only.
      expect(seen).toEqual(["application/grpc+proto"]);
    } finally {
      await listener.close(0);
    }
  });
});

describe("the direct path's handler context", () => {
  it("keeps url, signal, deadline and response headers when an interceptor copies the request", async () => {
    let seen: { url: string; aborted: boolean; timeoutMs: number | undefined } | undefined;
    let signalAfterCall: AbortSignal | undefined;
    const impl = {
      check(_req: unknown, ctx: HandlerContext) {
        seen = { url: ctx.url, aborted: ctx.signal.aborted, timeoutMs: ctx.timeoutMs() };
        signalAfterCall = ctx.signal;
        ctx.responseHeader.set("x-handler", "saw-it");
        return { status: 1 };
      },
    };
    // A copy as interceptors often make it: own properties only, header replaced.
    const listener = await directPathOnly(impl, [
      (next) => (req) => next({ ...req, header: new Headers(req.header) }),
    ]);
    try {
      const baseUrl = `http://127.0.0.1:${listener.port}`;
      const grpc = createClient(Health, createGrpcTransport({ baseUrl }));
      let header: Headers | undefined;
      const res = await grpc.check(
        { service: "" },
        { timeoutMs: 5_000, onHeader: (h) => (header = h) },
      );
      expect(res.status).toBe(1);
      expect(seen?.url).toBe(`${baseUrl}/grpc.health.v1.Health/Check`);
      expect(seen?.aborted).toBe(false);
      expect(seen?.timeoutMs).toBeGreaterThan(3_000);
      expect(seen?.timeoutMs).toBeLessThanOrEqual(5_000);
      expect(header?.get("x-handler")).toBe("saw-it");
      // Like connect's, the signal a handler took reports that its call is over.
      expect(signalAfterCall?.aborted).toBe(true);
    } finally {
      await listener.close(0);
    }
  });
});
