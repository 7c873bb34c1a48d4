import { fromBinary } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorInfoSchema } from "@userharbor/client/google/rpc/error_details_pb.js";
import { StatusSchema } from "@userharbor/client/google/rpc/status_pb.js";
import { describe, expect, it } from "vitest";
import { requestHeaders, responseHeaders } from "./headers.js";
import { errorStatus, okTrailers, withHeaders } from "./trailers.js";

const record = (h: Headers) => Object.fromEntries(h.entries());

describe("errorStatus: a failure as gRPC trailers", () => {
  it("carries status, percent-encoded message and the details as google.rpc.Status", () => {
    const error = new ConnectError("weak password: soirée 🎉", Code.InvalidArgument, undefined, [
      { desc: ErrorInfoSchema, value: { reason: "WEAK_PASSWORD", domain: "userharbor.v1" } },
    ]);
    const status = record(errorStatus(error));
    expect(Object.keys(status).sort()).toEqual([
      "grpc-message",
      "grpc-status",
      "grpc-status-details-bin",
    ]);
    expect(status["grpc-status"]).toBe("3");
    expect(decodeURIComponent(status["grpc-message"] as string)).toBe("weak password: soirée 🎉");
    const details = fromBinary(
      StatusSchema,
      Buffer.from(status["grpc-status-details-bin"] as string, "base64"),
    );
    expect(details.code).toBe(Code.InvalidArgument);
    const [info] = details.details;
    expect(info && anyUnpack(info, ErrorInfoSchema)).toMatchObject({
      reason: "WEAK_PASSWORD",
      domain: "userharbor.v1",
    });
  });

  it("turns anything else into INTERNAL without its message", () => {
    const status = record(errorStatus(new Error("db password is hunter2")));
    expect(status).toEqual({ "grpc-status": "13", "grpc-message": "internal%20error" });
  });
});

describe("okTrailers: a success's trailers", () => {
  it("is grpc-status 0 alone, one shared record, when the handler set none", () => {
    const none = okTrailers(undefined);
    expect(none).toEqual({ "grpc-status": "0" });
    expect(okTrailers(responseHeaders())).toBe(none);
    expect(Object.isFrozen(none)).toBe(true);
  });

  it("adds what the handler set to a copy", () => {
    const set = responseHeaders();
    set.set("x-trailer", "t");
    expect(okTrailers(set)).toEqual({ "grpc-status": "0", "x-trailer": "t" });
    expect(okTrailers(undefined)).toEqual({ "grpc-status": "0" });
  });
});

describe("withHeaders", () => {
  it("adds each header to node's record, leaving pseudo-headers out", () => {
    const head = { ":status": 200 };
    const out = withHeaders(head, requestHeaders({ ":path": "/x", "x-a": "1", "x-b": ["2", "3"] }));
    expect(out).toBe(head);
    expect(out).toEqual({ ":status": 200, "x-a": "1", "x-b": "2, 3" });
    expect(withHeaders({ a: "1" }, undefined)).toEqual({ a: "1" });
  });
});
