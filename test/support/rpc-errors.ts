import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorInfoSchema } from "@userharbor/client/google/rpc/error_details_pb.js";
import { expect } from "vitest";

export interface RpcFailure {
  code: Code;
  reason: string | undefined;
  message: string;
  error: ConnectError;
}

/** Awaits a call that must fail and returns its status and ErrorInfo reason. */
export async function failureOf(call: Promise<unknown>): Promise<RpcFailure> {
  try {
    await call;
  } catch (error) {
    const err = ConnectError.from(error);
    const [info] = err.findDetails(ErrorInfoSchema);
    return { code: err.code, reason: info?.reason, message: err.rawMessage, error: err };
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** Asserts a failure with the given status and reason (ErrorInfo domain userharbor.v1). */
export async function expectFailure(
  call: Promise<unknown>,
  code: Code,
  reason: string,
): Promise<RpcFailure> {
  const failure = await failureOf(call);
  expect({ code: Code[failure.code], reason: failure.reason }).toEqual({
    code: Code[code],
    reason,
  });
  const [info] = failure.error.findDetails(ErrorInfoSchema);
  expect(info?.domain).toBe("userharbor.v1");
  return failure;
}
