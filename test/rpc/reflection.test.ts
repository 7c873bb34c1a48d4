import { create, createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  type FileDescriptorProto,
  FileDescriptorProtoSchema,
  file_google_protobuf_descriptor,
} from "@bufbuild/protobuf/wkt";
import {
  Code,
  createClient,
  createRouterTransport,
  type Interceptor,
  type Transport,
} from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { AccountService, file_userharbor_v1_accounts } from "@userharbor/client";
import { file_grpc_health_v1_health, Health } from "@userharbor/client/grpc/health/v1/health_pb.js";
import * as v1 from "@userharbor/client/grpc/reflection/v1/reflection_pb.js";
import * as v1alpha from "@userharbor/client/grpc/reflection/v1alpha/reflection_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthStatus, healthService } from "../../src/rpc/health.js";
import { reflectionServices } from "../../src/rpc/reflection.js";
import { bufCurl } from "../support/buf-curl.js";
import { type RpcServer, startRpcServer } from "../support/rpc-server.js";

const SERVED = [
  "grpc.health.v1.Health",
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
  "userharbor.v1.AccountService",
];

type Query = v1.ServerReflectionRequest["messageRequest"];
type Answer =
  | v1.ServerReflectionResponse["messageResponse"]
  | v1alpha.ServerReflectionResponse["messageResponse"];

/** Sends `queries` on one ServerReflectionInfo stream and collects the answers in order. */
async function reflect(transport: Transport, ...queries: Query[]) {
  const client = createClient(v1.ServerReflection, transport);
  async function* requests() {
    for (const messageRequest of queries) {
      yield create(v1.ServerReflectionRequestSchema, { host: "test-host", messageRequest });
    }
  }
  const responses: v1.ServerReflectionResponse[] = [];
  for await (const response of client.serverReflectionInfo(requests())) responses.push(response);
  return responses;
}

/** The FileDescriptorProtos of a file_descriptor_response, decoded; fails on any other answer. */
function decodeFiles(response: { messageResponse: Answer } | undefined): FileDescriptorProto[] {
  expect(response?.messageResponse.case).toBe("fileDescriptorResponse");
  if (response?.messageResponse.case !== "fileDescriptorResponse") return [];
  return response.messageResponse.value.fileDescriptorProto.map((bytes) =>
    fromBinary(FileDescriptorProtoSchema, bytes),
  );
}

function fileNames(response: { messageResponse: Answer } | undefined): string[] {
  return decodeFiles(response).map((file) => file.name);
}

function errorCode(response: v1.ServerReflectionResponse | undefined): number | undefined {
  return response?.messageResponse.case === "errorResponse"
    ? response.messageResponse.value.errorCode
    : undefined;
}

describe("server reflection on a real HTTP/2 server", () => {
  let server: RpcServer;
  let sessions: Http2SessionManager;
  let transport: Transport;
  /** Services of every call the server received, to tell which reflection version a tool used. */
  const called: string[] = [];
  const record: Interceptor = (next) => (request) => {
    called.push(request.service.typeName);
    return next(request);
  };

  beforeAll(async () => {
    const reflection = reflectionServices([
      file_userharbor_v1_accounts,
      file_grpc_health_v1_health,
    ]);
    server = await startRpcServer(
      (router) => {
        // No methods: every call answers UNIMPLEMENTED; the service is here to be discovered.
        router.service(AccountService, {});
        router.service(Health, healthService(new HealthStatus()));
        router.service(v1.ServerReflection, reflection.v1);
        router.service(v1alpha.ServerReflection, reflection.v1alpha);
      },
      { interceptors: [record] },
    );
    sessions = new Http2SessionManager(server.url);
    transport = createGrpcTransport({ baseUrl: server.url, sessionManager: sessions });
  });

  afterAll(async () => {
    sessions.abort();
    await server?.close();
  });

  describe.each([
    ["grpc-v1", "grpc.reflection.v1.ServerReflection"],
    ["grpc-v1alpha", "grpc.reflection.v1alpha.ServerReflection"],
  ])("buf curl --reflect-protocol %s", (protocol, reflectionService) => {
    const flags = ["--reflect-protocol", protocol];

    it("lists every served service, through this reflection version only", async () => {
      called.length = 0;
      const result = await bufCurl(...flags, "--list-services", server.url);
      expect(result).toMatchObject({ exitCode: 0 });
      expect(result.stdout.trim().split("\n").sort()).toEqual(SERVED);
      expect(new Set(called)).toEqual(new Set([reflectionService]));
    });

    it("lists methods", async () => {
      const result = await bufCurl(...flags, "--list-methods", server.url);
      expect(result).toMatchObject({ exitCode: 0 });
      const methods = result.stdout.trim().split("\n");
      for (const method of AccountService.methods) {
        expect(methods).toContain(`userharbor.v1.AccountService/${method.name}`);
      }
      expect(methods).toEqual(
        expect.arrayContaining([
          "grpc.health.v1.Health/Check",
          "grpc.health.v1.Health/Watch",
          "grpc.health.v1.Health/List",
          `${reflectionService}/ServerReflectionInfo`,
        ]),
      );
    });

    it("calls Health/Check with a schema it got by reflection", async () => {
      const result = await bufCurl(
        ...flags,
        "-d",
        '{"service":""}',
        `${server.url}/grpc.health.v1.Health/Check`,
      );
      expect(result).toMatchObject({ exitCode: 0 });
      expect(JSON.parse(result.stdout)).toEqual({ status: "SERVING" });
    });

    it("encodes an AccountService request (with imported types) and reports UNIMPLEMENTED", async () => {
      const result = await bufCurl(
        ...flags,
        "-d",
        '{"username":"ann","email":"ann@example.com","password":"x","client":{"ip":"192.0.2.1"}}',
        `${server.url}/userharbor.v1.AccountService/Register`,
      );
      // The message comes from connect-node, so the request was encoded and reached the server.
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(/"code": "unimplemented"/);
      expect(result.stderr).toContain("userharbor.v1.AccountService.Register is not implemented");
    });
  });

  it("file_containing_symbol answers the file and its imports, decodable as FileDescriptorProtos", async () => {
    const [response] = await reflect(transport, {
      case: "fileContainingSymbol",
      value: "userharbor.v1.AccountService",
    });
    expect(response?.validHost).toBe("test-host");
    expect(response?.originalRequest?.messageRequest).toEqual({
      case: "fileContainingSymbol",
      value: "userharbor.v1.AccountService",
    });
    expect(fileNames(response)).toEqual([
      "userharbor/v1/accounts.proto",
      "google/protobuf/timestamp.proto",
    ]);
    const [accounts] = decodeFiles(response);
    expect(accounts?.service.map((s) => s.name)).toEqual(["AccountService"]);
    expect(accounts?.dependency).toEqual(["google/protobuf/timestamp.proto"]);
  });

  it("resolves methods, messages, fields, nested enums and enum values to their file", async () => {
    const symbols = [
      ["userharbor.v1.AccountService.Login", "userharbor/v1/accounts.proto"],
      [".userharbor.v1.User", "userharbor/v1/accounts.proto"],
      ["userharbor.v1.User.email", "userharbor/v1/accounts.proto"],
      ["grpc.health.v1.HealthCheckResponse.ServingStatus", "grpc/health/v1/health.proto"],
      ["grpc.health.v1.HealthCheckResponse.SERVING", "grpc/health/v1/health.proto"],
      ["grpc.reflection.v1alpha.ServerReflection", "grpc/reflection/v1alpha/reflection.proto"],
      ["google.protobuf.Timestamp", "google/protobuf/timestamp.proto"],
    ] as const;
    const responses = await reflect(
      transport,
      ...symbols.map(([value]) => ({ case: "fileContainingSymbol" as const, value })),
    );
    expect(responses.map((r) => fileNames(r)[0])).toEqual(symbols.map(([, file]) => file));
  });

  it("file_by_filename answers by import path", async () => {
    const [response] = await reflect(transport, {
      case: "fileByFilename",
      value: "google/protobuf/timestamp.proto",
    });
    expect(fileNames(response)).toEqual(["google/protobuf/timestamp.proto"]);
  });

  it("answers unknown names with error_response NOT_FOUND and keeps the stream open", async () => {
    const responses = await reflect(
      transport,
      { case: "fileContainingSymbol", value: "userharbor.v1.NoSuchThing" },
      { case: "fileByFilename", value: "userharbor/v1/accounts" }, // the name lacks ".proto"
      {
        case: "fileContainingExtension",
        value: create(v1.ExtensionRequestSchema, {
          containingType: "userharbor.v1.User",
          extensionNumber: 100,
        }),
      },
      { case: "allExtensionNumbersOfType", value: "userharbor.v1.NoSuchType" },
      { case: "listServices", value: "" },
    );
    // 5 is gRPC's NOT_FOUND, as the wire carries it.
    expect(responses.map(errorCode)).toEqual([5, 5, 5, 5, undefined]);
    expect(responses[4]?.messageResponse).toMatchObject({
      case: "listServicesResponse",
      value: { service: SERVED.map((name) => ({ name })) },
    });
  });

  it("answers a known message without extensions with an empty list", async () => {
    const [response] = await reflect(transport, {
      case: "allExtensionNumbersOfType",
      value: "userharbor.v1.User",
    });
    expect(response?.messageResponse).toMatchObject({
      case: "allExtensionNumbersResponse",
      value: { baseTypeName: "userharbor.v1.User", extensionNumber: [] },
    });
  });

  it("v1alpha answers like v1 on the wire", async () => {
    const client = createClient(v1alpha.ServerReflection, transport);
    const responses: v1alpha.ServerReflectionResponse[] = [];
    async function* requests() {
      yield create(v1alpha.ServerReflectionRequestSchema, {
        messageRequest: { case: "fileContainingSymbol", value: "grpc.health.v1.Health.Watch" },
      });
    }
    for await (const response of client.serverReflectionInfo(requests())) responses.push(response);
    expect(responses).toHaveLength(1);
    expect(fileNames(responses[0])).toEqual(["grpc/health/v1/health.proto"]);
  });
});

describe("server reflection of extensions (registry input, in-memory transport)", () => {
  // proto2 file: `extend Thing { optional string note = 150; }` and a custom message option.
  const registry = createFileRegistry(
    create(FileDescriptorProtoSchema, {
      name: "test/ext.proto",
      package: "test.ext",
      syntax: "proto2",
      dependency: ["google/protobuf/descriptor.proto"],
      messageType: [{ name: "Thing", extensionRange: [{ start: 100, end: 200 }] }],
      extension: [
        {
          name: "note",
          number: 150,
          label: FieldDescriptorProto_Label.OPTIONAL,
          type: FieldDescriptorProto_Type.STRING,
          extendee: ".test.ext.Thing",
        },
        {
          name: "sensitive",
          number: 50001,
          label: FieldDescriptorProto_Label.OPTIONAL,
          type: FieldDescriptorProto_Type.BOOL,
          extendee: ".google.protobuf.MessageOptions",
        },
      ],
    }),
    (name) =>
      name === "google/protobuf/descriptor.proto" ? file_google_protobuf_descriptor : undefined,
  );
  const transport = createRouterTransport((router) => {
    router.service(v1.ServerReflection, reflectionServices(registry).v1);
  });

  it("finds the file declaring an extension and lists extension numbers per type", async () => {
    const responses = await reflect(
      transport,
      {
        case: "fileContainingExtension",
        value: create(v1.ExtensionRequestSchema, {
          containingType: "test.ext.Thing",
          extensionNumber: 150,
        }),
      },
      {
        case: "fileContainingExtension",
        value: create(v1.ExtensionRequestSchema, {
          containingType: "google.protobuf.MessageOptions",
          extensionNumber: 50001,
        }),
      },
      { case: "allExtensionNumbersOfType", value: "test.ext.Thing" },
      { case: "allExtensionNumbersOfType", value: "google.protobuf.MessageOptions" },
      { case: "fileContainingSymbol", value: "test.ext.note" },
      {
        case: "fileContainingExtension",
        value: create(v1.ExtensionRequestSchema, {
          containingType: "test.ext.Thing",
          extensionNumber: 151,
        }),
      },
    );
    expect(fileNames(responses[0])).toEqual(["test/ext.proto", "google/protobuf/descriptor.proto"]);
    expect(fileNames(responses[1])[0]).toBe("test/ext.proto");
    expect(responses[2]?.messageResponse).toMatchObject({
      case: "allExtensionNumbersResponse",
      value: { baseTypeName: "test.ext.Thing", extensionNumber: [150] },
    });
    expect(responses[3]?.messageResponse).toMatchObject({
      case: "allExtensionNumbersResponse",
      value: { extensionNumber: [50001] },
    });
    expect(fileNames(responses[4])[0]).toBe("test/ext.proto");
    expect(errorCode(responses[5])).toBe(Code.NotFound);
  });

  it("lists no services when the registry declares none", async () => {
    const [response] = await reflect(transport, { case: "listServices", value: "*" });
    expect(response?.messageResponse).toMatchObject({
      case: "listServicesResponse",
      value: {
        service: [
          { name: "grpc.reflection.v1.ServerReflection" },
          { name: "grpc.reflection.v1alpha.ServerReflection" },
        ],
      },
    });
  });
});
