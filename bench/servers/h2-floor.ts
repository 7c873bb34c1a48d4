import http2 from "node:http2";

/**
 * The floor: bare `node:http2` answering every stream with one fixed gRPC frame and
 * `grpc-status: 0` trailers, after reading the request. No protobuf, no routing: what a gRPC
 * unary call costs in Node before any framework. Prints {"port":N} once listening.
 */
const frame = Buffer.from([0, 0, 0, 0, 2, 0x08, 0x01]); // a VerifySessionResponse{valid: true}
const server = http2.createServer();
server.on("stream", (stream) => {
  stream.on("error", () => {});
  stream.on("data", () => {});
  stream.once("end", () => {
    stream.respond(
      { ":status": 200, "content-type": "application/grpc" },
      { waitForTrailers: true },
    );
    stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    stream.end(frame);
  });
});
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === "object" ? address?.port : 0 }));
});
process.once("SIGTERM", () => process.exit(0));
