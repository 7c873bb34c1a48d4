import {
  create,
  type DescMessage,
  type MessageInitShape,
  toBinary,
  toJson,
} from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { AccountService } from "@userharbor/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grpcFrame, rawGrpcCall } from "../support/raw-grpc.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * `x-request-id` comes back on every answer, errors included, on every protocol and both ways
 * gRPC is served (the direct unary path and connect-node): the caller's own id when it sent a
 * sane one, else a fresh one. Raw requests, so the answer's headers are what the wire carried.
 */

const WIRES = ["grpc", "grpc-web", "connect", "connect-json"] as const;
type Wire = (typeof WIRES)[number];

interface Answer {
  requestId: string | undefined;
  /** gRPC status code (Connect's error codes mapped to it); 0 = OK. */
  code: Code | 0;
}

const frame = grpcFrame;

/** grpc-status of a gRPC-Web answer: in the headers (trailers-only) or the trailer frame. */
function grpcWebStatus(headers: Headers, body: Buffer): number {
  const inHeader = headers.get("grpc-status");
  if (inHeader !== null) return Number(inHeader);
  for (let at = 0; at + 5 <= body.length; ) {
    const length = body.readUInt32BE(at + 1);
    if ((body[at] as number) & 0x80) {
      const text = body.subarray(at + 5, at + 5 + length).toString("latin1");
      return Number(/grpc-status:\s*(\d+)/i.exec(text)?.[1]);
    }
    at += 5 + length;
  }
  return Number.NaN;
}

const CONNECT_CODES: Record<string, Code> = Object.fromEntries(
  Object.entries(Code)
    .filter(([, v]) => typeof v === "number")
    .map(([name, v]) => [name.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase(), v as Code]),
);

/** One raw call of `method` on `wire`; `body` replaces the encoded message (malformed input). */
async function call<I extends DescMessage>(
  baseUrl: string,
  wire: Wire,
  method: { name: string; input: I },
  message: MessageInitShape<I>,
  requestId?: string,
  body?: Buffer,
): Promise<Answer> {
  const path = `/${AccountService.typeName}/${method.name}`;
  const binary = Buffer.from(toBinary(method.input, create(method.input, message)));
  const idHeader: Record<string, string> = requestId ? { "x-request-id": requestId } : {};
  if (wire === "grpc") {
    const answer = await rawGrpcCall(baseUrl, path, body ?? frame(binary), idHeader);
    return {
      requestId: answer.headers["x-request-id"] as string | undefined,
      code: Number(answer.headers["grpc-status"]) as Code,
    };
  }
  const res = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: {
      "content-type":
        wire === "grpc-web"
          ? "application/grpc-web+proto"
          : wire === "connect"
            ? "application/proto"
            : "application/json",
      ...idHeader,
    },
    body:
      body ??
      (wire === "grpc-web"
        ? frame(binary)
        : wire === "connect"
          ? binary
          : JSON.stringify(toJson(method.input, create(method.input, message)))),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const requestIdBack = res.headers.get("x-request-id") ?? undefined;
  if (wire === "grpc-web")
    return { requestId: requestIdBack, code: grpcWebStatus(res.headers, bytes) };
  if (res.status === 200) return { requestId: requestIdBack, code: 0 };
  const error = JSON.parse(bytes.toString("utf8")) as { code: string };
  return { requestId: requestIdBack, code: CONNECT_CODES[error.code] ?? Code.Unknown };
}

const { getCurrentUser, login, register } = AccountService.method;
const PASSWORD = "request id correct horse";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each([
  { fastPath: "true" },
  { fastPath: "false" },
])("x-request-id on every answer (GRPC_FAST_PATH=$fastPath)", ({ fastPath }) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      env: {
        GRPC_FAST_PATH: fastPath,
        REQUIRE_VERIFIED_EMAIL: "false",
        LIMIT_LOGIN_IP: "1/1m",
      },
    });
    await t.client("grpc").register({
      username: "traced",
      email: "traced@example.com",
      password: PASSWORD,
      client: { ip: "192.0.2.1" },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(WIRES)("%s: a failed call (UNAUTHENTICATED) echoes the caller's id", async (wire) => {
    const answer = await call(
      t.server.url,
      wire,
      getCurrentUser,
      { sessionToken: "uhs_dead" },
      `trace-${wire}-1`,
    );
    expect(answer).toEqual({ requestId: `trace-${wire}-1`, code: Code.Unauthenticated });
  });

  it.each(
    WIRES,
  )("%s: a rate-limited call (RESOURCE_EXHAUSTED) echoes the caller's id", async (wire) => {
    // Each wire logs in from its own address: the first login spends its budget of one.
    const client = { ip: `198.51.100.${WIRES.indexOf(wire) + 1}` };
    const attempt = { username: "traced", password: PASSWORD, client };
    expect((await call(t.server.url, wire, login, attempt, `ok-${wire}`)).code).toBe(0);
    const limited = await call(t.server.url, wire, login, attempt, `limited-${wire}`);
    expect(limited).toEqual({ requestId: `limited-${wire}`, code: Code.ResourceExhausted });
  });

  it.each(
    WIRES,
  )("%s: an undecodable body, refused before any handler, still gets an id (a fresh one)", async (wire) => {
    const garbage = Buffer.from([0xff, 0xff, 0xff]);
    const body = wire === "grpc" || wire === "grpc-web" ? frame(garbage) : garbage;
    const answer = await call(t.server.url, wire, register, {}, undefined, body);
    expect(answer.code).not.toBe(0);
    expect(answer.requestId).toMatch(UUID);
  });

  it("an id that is not sane (too long, odd characters) is replaced, not echoed", async () => {
    const answer = await call(t.server.url, "grpc", getCurrentUser, {}, "x".repeat(65));
    expect(answer.requestId).toMatch(UUID);
    const other = await call(t.server.url, "connect-json", getCurrentUser, {}, "a b<c>");
    expect(other.requestId).toMatch(UUID);
  });
});
