import { fromBinary } from "@bufbuild/protobuf";
import { ErrorInfoSchema } from "@userharbor/client/google/rpc/error_details_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServingStatus } from "../../src/rpc/health.js";
import { bufCurl } from "../support/buf-curl.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/** The real server (composition root) offers health and reflection next to AccountService. */
describe("health and reflection on the UserHarbor server", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.close());

  it("lists its services and calls an account RPC through reflection alone (no .proto)", async () => {
    const listed = await bufCurl("--list-services", t.server.url);
    expect(listed.stdout.trim().split("\n").sort()).toEqual([
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
      "userharbor.v1.AccountEventsService",
      "userharbor.v1.AccountService",
      "userharbor.v1.AdminService",
    ]);
    const login = await bufCurl(
      "-d",
      '{"username":"nobody","password":"whatever pass"}',
      `${t.server.url}/userharbor.v1.AccountService/Login`,
    );
    expect(login.exitCode).not.toBe(0);
    const failure = JSON.parse(login.stderr) as {
      code: string;
      details: { type: string; value: string }[];
    };
    expect(failure.code).toBe("unauthenticated");
    const [detail] = failure.details;
    expect(detail?.type).toBe("google.rpc.ErrorInfo");
    const info = fromBinary(ErrorInfoSchema, Buffer.from(detail?.value ?? "", "base64"));
    expect(info.reason).toBe("INVALID_CREDENTIALS");
  });

  it("reports SERVING for the server and for AccountService, and NOT_SERVING once closing", async () => {
    for (const service of ["", "userharbor.v1.AccountService"]) {
      const check = await bufCurl(
        "-d",
        JSON.stringify({ service }),
        `${t.server.url}/grpc.health.v1.Health/Check`,
      );
      expect(JSON.parse(check.stdout)).toEqual({ status: "SERVING" });
    }
    t.server.health.shutdown();
    expect(t.server.health.get("userharbor.v1.AccountService")).toBe(ServingStatus.NOT_SERVING);
    const check = await bufCurl(
      "-d",
      '{"service":""}',
      `${t.server.url}/grpc.health.v1.Health/Check`,
    );
    expect(JSON.parse(check.stdout)).toEqual({ status: "NOT_SERVING" });
  });
});
