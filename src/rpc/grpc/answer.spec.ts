import type { ServerHttp2Stream } from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { grpcFrame, h2Server, rawGrpcCall } from "../../../test/support/raw-grpc.js";
import { Answer } from "./answer.js";
import { responseHeaders } from "./headers.js";

/** One call to a server that answers every stream with `respond`; what the client received. */
async function answered(respond: (stream: ServerHttp2Stream) => void) {
  const server = await h2Server((stream) => respond(stream));
  closers.push(server.close);
  return rawGrpcCall(server.url, "/any.Service/Method", grpcFrame(new Uint8Array()));
}
const closers: Array<() => Promise<void>> = [];

/** Response metadata as a handler would have set it. */
const metadata = (name: string, value: string) => {
  const h = responseHeaders();
  h.set(name, value);
  return h;
};

describe("Answer: the call's one answer on the stream", () => {
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it("writes a success as headers, one envelope and trailers with grpc-status 0", async () => {
    const res = await answered((stream) => {
      const answer = new Answer(stream, "req-1");
      answer.header = metadata("x-handler", "h");
      answer.trailer = metadata("x-trailer", "t");
      answer.ok(new Uint8Array([8, 1]));
    });
    expect(res.headers[":status"]).toBe(200);
    expect(res.headers["content-type"]).toBe("application/grpc+proto");
    expect(res.headers["x-request-id"]).toBe("req-1");
    expect(res.headers["x-handler"]).toBe("h");
    expect(res.body.toString("hex")).toBe("00000000020801");
    expect(res.trailers["grpc-status"]).toBe("0");
    expect(res.trailers["x-trailer"]).toBe("t");
  });

  it("writes a failure trailers-only: status, message and handler trailers in the headers", async () => {
    const res = await answered((stream) => {
      const answer = new Answer(stream, "req-2");
      answer.trailer = metadata("x-trailer", "t");
      answer.fail(new ConnectError("not here", Code.NotFound));
    });
    expect(res.trailers).toEqual({});
    expect(res.body.length).toBe(0);
    expect(res.headers).toMatchObject({
      ":status": 200,
      "content-type": "application/grpc+proto",
      "grpc-status": "5",
      "grpc-message": "not%20here",
      "x-request-id": "req-2",
      "x-trailer": "t",
    });
  });

  it("answers INTERNAL without the message of an error that is not a ConnectError", async () => {
    const res = await answered((stream) => new Answer(stream, "").fail(new Error("secret")));
    expect(res.headers["grpc-status"]).toBe("13");
    expect(res.headers["grpc-message"]).toBe("internal%20error");
    expect(res.headers["x-request-id"]).toBeUndefined();
  });

  it("answers once: whatever comes second is dropped", async () => {
    const okFirst = await answered((stream) => {
      const answer = new Answer(stream, "");
      answer.ok(new Uint8Array([1]));
      answer.fail(new ConnectError("late", Code.Internal));
    });
    expect(okFirst.trailers["grpc-status"]).toBe("0");
    expect(okFirst.body.toString("hex")).toBe("000000000101");
    const failFirst = await answered((stream) => {
      const answer = new Answer(stream, "");
      answer.fail(new ConnectError("first", Code.Aborted));
      answer.ok(new Uint8Array([1]));
    });
    expect(failFirst.headers["grpc-status"]).toBe("10");
    expect(failFirst.body.length).toBe(0);
  });
});
