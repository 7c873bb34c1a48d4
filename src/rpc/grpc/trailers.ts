import { Code, ConnectError } from "@connectrpc/connect";
import { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";

/** Header and trailer records as node:http2 takes them. */
export type NodeHeaders = Record<string, string | number>;

/** What a successful call ends with when its handler set no trailers (node copies it). */
const OK_TRAILERS: NodeHeaders = Object.freeze({ "grpc-status": "0" }) as NodeHeaders;

/**
 * The trailers of a successful call: `grpc-status: 0` and whatever the handler set. The
 * shared record unless the handler set one, so most calls allocate none.
 */
export function okTrailers(handlerTrailer: Headers | undefined): NodeHeaders {
  let trailer = OK_TRAILERS;
  handlerTrailer?.forEach((value, name) => {
    if (trailer === OK_TRAILERS) trailer = { ...OK_TRAILERS };
    trailer[name] = value;
  });
  return trailer;
}

/**
 * A failed call's status as connect encodes it (`setTrailerStatus`): grpc-status,
 * percent-encoded grpc-message and grpc-status-details-bin with the error's details. An
 * error that is not a ConnectError becomes INTERNAL "internal error": its message, which may
 * say anything, never reaches the caller.
 */
export function errorStatus(error: unknown): Headers {
  const status = new Headers();
  setTrailerStatus(
    status,
    error instanceof ConnectError
      ? error
      : new ConnectError("internal error", Code.Internal, undefined, undefined, error),
  );
  return status;
}

/** Adds `headers` (if any) to node's header record, and returns the record. */
export function withHeaders(record: NodeHeaders, headers: Headers | undefined): NodeHeaders {
  headers?.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}
