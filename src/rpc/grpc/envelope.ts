import { Code, ConnectError } from "@connectrpc/connect";

/**
 * gRPC's length-prefixed message framing: one flags byte, a 4-byte big-endian length, the
 * message. The errors and their wording are connect-node's, so the direct path answers
 * malformed bodies exactly as Connect does.
 */

/** Bytes before the message: flags and length. */
export const ENVELOPE_HEAD = 5;
const FLAG_COMPRESSED = 0b1;

/** The one message of a unary request: exactly one uncompressed envelope, as Connect requires. */
export function singleMessage(body: Buffer): Uint8Array {
  if (body.length < ENVELOPE_HEAD) {
    if (body.length === 0) {
      throw new ConnectError(
        "protocol error: missing input message for unary method",
        Code.Unimplemented,
      );
    }
    throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
  }
  const length = body.readUInt32BE(1);
  if (body.length < ENVELOPE_HEAD + length) {
    throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
  }
  if (((body[0] as number) & FLAG_COMPRESSED) === FLAG_COMPRESSED) {
    throw new ConnectError(
      "received compressed envelope, but do not know how to decompress",
      Code.Internal,
    );
  }
  if (body.length > ENVELOPE_HEAD + length) {
    // A second envelope: complete or not, Connect reports which.
    const rest = body.subarray(ENVELOPE_HEAD + length);
    const complete =
      rest.length >= ENVELOPE_HEAD && rest.length >= ENVELOPE_HEAD + rest.readUInt32BE(1);
    throw complete
      ? new ConnectError(
          "protocol error: received extra input message for unary method",
          Code.Unimplemented,
        )
      : new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
  }
  return body.subarray(ENVELOPE_HEAD, ENVELOPE_HEAD + length);
}

/**
 * The refusal of a message whose envelope head declares more than `readMaxBytes`, or
 * undefined: Connect refuses from the head, before the body arrives. `head` holds at least
 * ENVELOPE_HEAD bytes.
 */
export function oversize(head: Buffer, readMaxBytes: number): ConnectError | undefined {
  const length = head.readUInt32BE(1);
  return length > readMaxBytes
    ? new ConnectError(
        `message size ${length} is larger than configured readMaxBytes ${readMaxBytes}`,
        Code.ResourceExhausted,
      )
    : undefined;
}

/** `message` in one uncompressed envelope, in a buffer of its own. */
export function envelope(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(ENVELOPE_HEAD + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, ENVELOPE_HEAD);
  return frame;
}
