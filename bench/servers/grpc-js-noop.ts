import * as grpc from "@grpc/grpc-js";

/**
 * @grpc/grpc-js with a no-op unary handler on the paths the bench calls (VerifySession,
 * GetCurrentUser, Check): messages stay raw bytes, so it measures grpc-js's transport and
 * call handling only. Prints {"port":N} once listening.
 */
const reply = Buffer.from([0x08, 0x01]); // VerifySessionResponse{valid: true}
const raw = (b: Buffer) => b;
const method = (path: string) => ({
  path,
  requestStream: false,
  responseStream: false,
  requestSerialize: raw,
  requestDeserialize: raw,
  responseSerialize: raw,
  responseDeserialize: raw,
});
const paths = {
  VerifySession: "/userharbor.v1.AccountService/VerifySession",
  GetCurrentUser: "/userharbor.v1.AccountService/GetCurrentUser",
  Check: "/grpc.health.v1.Health/Check",
};
const server = new grpc.Server();
const definition = Object.fromEntries(Object.entries(paths).map(([k, p]) => [k, method(p)]));
const noop: grpc.handleUnaryCall<Buffer, Buffer> = (_call, callback) => callback(null, reply);
server.addService(
  definition as grpc.ServiceDefinition,
  Object.fromEntries(Object.keys(paths).map((k) => [k, noop])),
);
server.bindAsync(
  `127.0.0.1:${process.argv[2] ?? 0}`,
  grpc.ServerCredentials.createInsecure(),
  (error, port) => {
    if (error) throw error;
    console.log(JSON.stringify({ port }));
  },
);
process.once("SIGTERM", () => process.exit(0));
