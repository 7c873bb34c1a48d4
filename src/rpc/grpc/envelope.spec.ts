import { Code, ConnectError } from "@connectrpc/connect";
import { encodeEnvelope } from "@connectrpc/connect/protocol";
import { describe, expect, it } from "vitest";
import { grpcFrame } from "../../../test/support/raw-grpc.js";
import { envelope, oversize, singleMessage } from "./envelope.js";

const bytes = (...b: number[]) => new Uint8Array(b);
/** Bytes as hex, so a Buffer and a Uint8Array of the same bytes compare equal. */
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");

/** The code and message of what `fn` throws. */
function thrown(fn: () => unknown): { code: Code; message: string } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectError);
    const e = error as ConnectError;
    return { code: e.code, message: e.rawMessage };
  }
  throw new Error("did not throw");
}

describe("singleMessage: the one message of a unary request body", () => {
  it("returns the message of exactly one envelope, an empty one included", () => {
    expect(hex(singleMessage(grpcFrame(bytes(1, 2, 3))))).toBe("010203");
    expect(singleMessage(grpcFrame(bytes())).length).toBe(0);
  });

  it("refuses a missing message, a cut envelope and a length the body lacks", () => {
    expect(thrown(() => singleMessage(Buffer.alloc(0)))).toEqual({
      code: Code.Unimplemented,
      message: "protocol error: missing input message for unary method",
    });
    const incomplete = {
      code: Code.InvalidArgument,
      message: "protocol error: incomplete envelope",
    };
    expect(thrown(() => singleMessage(grpcFrame(bytes(1, 2, 3)).subarray(0, 4)))).toEqual(
      incomplete,
    );
    expect(thrown(() => singleMessage(grpcFrame(bytes(1, 2, 3), 0, 4)))).toEqual(incomplete);
  });

  it("refuses a compressed envelope (no grpc-encoding is accepted)", () => {
    expect(thrown(() => singleMessage(grpcFrame(bytes(1), 1)))).toEqual({
      code: Code.Internal,
      message: "received compressed envelope, but do not know how to decompress",
    });
  });

  it("refuses a second envelope, saying whether it was complete", () => {
    const one = grpcFrame(bytes(7, 7));
    expect(thrown(() => singleMessage(Buffer.concat([one, one])))).toEqual({
      code: Code.Unimplemented,
      message: "protocol error: received extra input message for unary method",
    });
    expect(thrown(() => singleMessage(Buffer.concat([one, one.subarray(0, 6)])))).toEqual({
      code: Code.InvalidArgument,
      message: "protocol error: incomplete envelope",
    });
  });
});

describe("oversize: refusal from the envelope head alone", () => {
  it("refuses a declared length over the limit, whatever follows", () => {
    const head = grpcFrame(bytes(), 0, 1025);
    const refusal = oversize(head, 1024);
    expect(refusal?.code).toBe(Code.ResourceExhausted);
    expect(refusal?.rawMessage).toBe(
      "message size 1025 is larger than configured readMaxBytes 1024",
    );
  });

  it("lets a declared length at the limit through", () => {
    expect(oversize(grpcFrame(bytes(), 0, 1024), 1024)).toBeUndefined();
    expect(oversize(grpcFrame(new Uint8Array(1024)), 1024)).toBeUndefined();
  });
});

describe("envelope: a message framed for the answer", () => {
  it("writes the bytes connect's own encoder writes, and reads back", () => {
    for (const message of [bytes(), bytes(1), new Uint8Array(70_000).fill(9)]) {
      const frame = envelope(message);
      expect(hex(frame)).toBe(hex(encodeEnvelope(0, message)));
      expect(hex(singleMessage(frame))).toBe(hex(message));
    }
  });
});
