import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import {
  BadRequestSchema,
  ErrorInfoSchema,
  RetryInfoSchema,
} from "@userharbor/client/google/rpc/error_details_pb.js";
import { AccountError } from "../core/errors.js";
import { hookStream } from "./stream-hooks.js";

export const ERROR_DOMAIN = "userharbor.v1";

/**
 * AccountError -> gRPC status + ErrorInfo(reason) (+ BadRequest, RetryInfo).
 * Anything else is a bug: INTERNAL with a fixed message, the original goes to
 * `onInternal` (the log) and never to the caller.
 */
export function toConnectError(error: unknown, onInternal: (error: unknown) => void): ConnectError {
  if (error instanceof AccountError) {
    const details: ConstructorParameters<typeof ConnectError>[3] = [
      {
        desc: ErrorInfoSchema,
        value: create(ErrorInfoSchema, {
          reason: error.reason,
          domain: ERROR_DOMAIN,
          metadata: error.field ? { field: error.field } : {},
        }),
      },
    ];
    if (error.field) {
      details.push({
        desc: BadRequestSchema,
        value: create(BadRequestSchema, {
          fieldViolations: [
            { field: error.field, description: error.message, reason: error.reason },
          ],
        }),
      });
    }
    if (error.retryAfterMs !== undefined) {
      const ms = Math.max(0, Math.ceil(error.retryAfterMs));
      details.push({
        desc: RetryInfoSchema,
        value: create(RetryInfoSchema, {
          retryDelay: { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 },
        }),
      });
    }
    return new ConnectError(error.message, Code[error.status], undefined, details);
  }
  // Framework errors (bad framing, size limits, deadlines) are already caller-safe.
  if (
    error instanceof ConnectError &&
    error.code !== Code.Internal &&
    error.code !== Code.Unknown
  ) {
    return error;
  }
  onInternal(error);
  return new ConnectError("internal error", Code.Internal);
}

/** Maps every error a handler throws, unary or streaming. */
export function errorMapping(onInternal: (error: unknown) => void): Interceptor {
  // One hooks object for every call (it depends on nothing per call).
  const hooks = { mapError: (error: unknown) => toConnectError(error, onInternal) };
  return (next) => async (req) => {
    try {
      return hookStream(await next(req), hooks);
    } catch (error) {
      throw toConnectError(error, onInternal);
    }
  };
}
