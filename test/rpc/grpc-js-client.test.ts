import { fromBinary } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { ErrorInfoSchema } from "@userharbor/client/google/rpc/error_details_pb.js";
import { StatusSchema } from "@userharbor/client/google/rpc/status_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * A plain @grpc/grpc-js client built from the .proto file with proto-loader, as
 * a Node backend that has never heard of Connect would call the service.
 */
// biome-ignore lint/suspicious/noExplicitAny: proto-loader builds untyped plain objects
type Reply = any;
type Unary = (
  request: object,
  callback: (error: grpc.ServiceError | null, response: Reply) => void,
) => void;
type Stub = grpc.Client & Record<string, Unary>;

function loadStub(address: string): Stub {
  const definition = protoLoader.loadSync("userharbor/v1/accounts.proto", {
    includeDirs: ["proto"],
    keepCase: true,
    defaults: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    userharbor: { v1: { AccountService: grpc.ServiceClientConstructor } };
  };
  return new loaded.userharbor.v1.AccountService(
    address,
    grpc.credentials.createInsecure(),
  ) as unknown as Stub;
}

function call(stub: Stub, method: string, request: object): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const fn = stub[method];
    if (!fn) return reject(new Error(`no method ${method}`));
    fn.call(stub, request, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

/** The ErrorInfo reason, read the way any gRPC client can: from grpc-status-details-bin. */
function reasonOf(error: grpc.ServiceError): string | undefined {
  const [bytes] = error.metadata.get("grpc-status-details-bin");
  if (!(bytes instanceof Buffer)) return undefined;
  const status = fromBinary(StatusSchema, bytes);
  for (const detail of status.details) {
    const info = anyUnpack(detail, ErrorInfoSchema);
    if (info) return info.reason;
  }
  return undefined;
}

describe("plain @grpc/grpc-js client", () => {
  let t: TestServer;
  let stub: Stub;
  beforeAll(async () => {
    t = await startTestServer();
    stub = loadStub(`127.0.0.1:${t.server.port}`);
  });
  afterAll(async () => {
    stub?.close();
    await t?.close();
  });

  it("registers, verifies, logs in and reads the current user", async () => {
    const client = { ip: "192.0.2.33", user_agent: "grpc-js" };
    const email = "grpcjs@example.com";
    const token = await t.mailbox.tokenFrom(email, "verification", () =>
      call(stub, "Register", {
        username: "grpcjs",
        email,
        password: "grpc-js correct horse",
        client,
      }),
    );
    const verified = await call(stub, "VerifyEmail", { token, client });
    expect(verified.user).toMatchObject({ username: "grpcjs", email_verified: true });
    const login = await call(stub, "Login", {
      username: "grpcjs",
      password: "grpc-js correct horse",
      client,
    });
    expect(login.session_token).toMatch(/^uhs_/);
    const me = await call(stub, "GetCurrentUser", { session_token: login.session_token });
    expect(me.user).toMatchObject({ username: "grpcjs", email });
    const sessions = await call(stub, "ListSessions", { session_token: login.session_token });
    expect(sessions.sessions).toHaveLength(1);
    expect(sessions.sessions[0]).toMatchObject({
      ip: "192.0.2.33",
      user_agent: "grpc-js",
      current: true,
    });
  });

  it("gets the status code and ErrorInfo reason of a failed Login", async () => {
    const error = await call(stub, "Login", {
      username: "nobody",
      password: "wrong password",
    }).catch((e) => e);
    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(reasonOf(error)).toBe("INVALID_CREDENTIALS");
  });
});
