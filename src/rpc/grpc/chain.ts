import { create, type DescMethodUnary } from "@bufbuild/protobuf";
import type { HandlerContext, Interceptor, UnaryRequest, UnaryResponse } from "@connectrpc/connect";
import { CallContext, type CallState, callStateKey } from "./request.js";

export type UnaryFn = (req: UnaryRequest) => Promise<UnaryResponse>;

/**
 * The interceptor chain into the implementation, as connect's `invokeUnaryImplementation`
 * runs it (same request and context shapes, first interceptor outermost, output normalised
 * with `create`), built once per method rather than per call. The innermost step finds its
 * call's state in the context values: an interceptor may have passed on a copy of the request.
 */
export function chainFor(
  method: DescMethodUnary,
  impl: (message: unknown, ctx: HandlerContext) => Promise<unknown>,
  interceptors: Interceptor[],
): UnaryFn {
  let next: UnaryFn = async (r) => {
    const state = r.contextValues.get(callStateKey) as CallState;
    const output = await impl(r.message, new CallContext(r, state));
    return {
      stream: false,
      service: r.service,
      method: r.method,
      header: state.responseHeader,
      trailer: state.responseTrailer,
      message: create(method.output, output as never),
    };
  };
  for (let i = interceptors.length - 1; i >= 0; i--) {
    next = (interceptors[i] as Interceptor)(next as never) as UnaryFn;
  }
  return next;
}
