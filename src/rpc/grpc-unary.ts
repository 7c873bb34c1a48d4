/**
 * The direct gRPC unary path, one concern per file in grpc/ (each with its spec beside it):
 * envelope (framing), headers (the metadata view), deadline (grpc-timeout, the call's
 * signal), request (what interceptors and the implementation see), chain (the interceptor
 * chain), trailers (grpc-status and friends), answer (writing it), unary-handler (the stream
 * handler that ties them).
 */
export { grpcUnaryFastPath, type StreamHandler } from "./grpc/unary-handler.js";
