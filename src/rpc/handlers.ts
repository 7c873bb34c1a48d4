import type { ServiceImpl } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { grpcUnaryFastPath, type StreamHandler } from "./grpc-unary.js";
import type { NodeHandler } from "./listener.js";
import { type CallPipeline, callPipeline, type RpcDeps } from "./pipeline.js";

export type { RpcDeps } from "./pipeline.js";

export interface RpcHandlers {
  /** connect-node: every protocol, HTTP/1.1 and HTTP/2. */
  handler: NodeHandler;
  /** gRPC unary over HTTP/2 straight from stream events; undefined when turned off. */
  grpcUnary: StreamHandler | undefined;
}

/** Every service this server offers: both ways in share one call pipeline. */
export function rpcHandlers(deps: RpcDeps, options: { grpcFastPath: boolean }): RpcHandlers {
  const pipeline = callPipeline(deps);
  return {
    handler: connectHandler(pipeline),
    grpcUnary: options.grpcFastPath ? grpcUnaryFastPath(pipeline) : undefined,
  };
}

function connectHandler(pipeline: CallPipeline): NodeHandler {
  return connectNodeAdapter({
    routes: (router) => {
      for (const { service, impl } of pipeline.services) {
        router.service(service, impl as Partial<ServiceImpl<typeof service>>);
      }
    },
    interceptors: pipeline.interceptors,
    readMaxBytes: pipeline.readMaxBytes,
    shutdownSignal: pipeline.shutdownSignal,
    contextValues: (req) => pipeline.contextValues(req.socket.remoteAddress ?? ""),
  });
}
