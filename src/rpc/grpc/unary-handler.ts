import type { IncomingHttpHeaders, ServerHttp2Stream } from "node:http2";
import type { DescMethodUnary } from "@bufbuild/protobuf";
import { createMethodSerializationLookup } from "@connectrpc/connect/protocol";
import type { CallPipeline } from "../pipeline.js";
import { Answer } from "./answer.js";
import { chainFor, type UnaryFn } from "./chain.js";
import { CallSignal, callTimeout } from "./deadline.js";
import { ENVELOPE_HEAD, oversize, singleMessage } from "./envelope.js";
import { CallRequest, CallState, callStateKey } from "./request.js";

/** Handles an HTTP/2 stream itself and returns true, or returns false to leave it to Connect. */
export type StreamHandler = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => boolean;

interface Route {
  method: DescMethodUnary;
  serialization: ReturnType<typeof createMethodSerializationLookup>;
  /** The interceptor chain around the implementation, built once. */
  chain: UnaryFn;
}

const CONTENT_TYPE = /^application\/grpc(?:\+proto)?$/;

/**
 * gRPC unary calls (binary protobuf, uncompressed) straight from `node:http2` stream events,
 * bypassing connect-node's compatibility-API request, web-stream and async-iterable layers,
 * which cost 5-10x the transport itself (docs/performance.md). Everything a call means stays
 * Connect's: the SAME service implementation and interceptor chain (request ids, logs,
 * metrics, error mapping, API keys, draining), run the way connect's
 * `invokeUnaryImplementation` runs them (`chainFor`, with a `HandlerContext` of the same
 * shape), connect's serialization (same size limits and parse errors) and its gRPC trailer
 * encoding (`setTrailerStatus`: status, message, details-bin). Anything else (streams,
 * gRPC-Web, Connect, JSON, compression, browsers with an Origin) returns false and goes to
 * Connect.
 */
export function grpcUnaryFastPath(pipeline: CallPipeline): StreamHandler {
  const routes = new Map<string, Route>();
  for (const { service, impl } of pipeline.services) {
    for (const method of service.methods) {
      if (method.methodKind !== "unary") continue;
      const fn = (impl as Record<string, unknown>)[method.localName];
      if (typeof fn !== "function") continue;
      routes.set(`/${service.typeName}/${method.name}`, {
        method: method as DescMethodUnary,
        chain: chainFor(method as DescMethodUnary, fn.bind(impl), pipeline.interceptors),
        serialization: createMethodSerializationLookup(method, undefined, undefined, {
          readMaxBytes: pipeline.readMaxBytes,
          writeMaxBytes: 0xffffffff,
        }),
      });
    }
  }
  return (stream, headers) => {
    const route = routes.get(headers[":path"] ?? "");
    if (
      route === undefined ||
      headers[":method"] !== "POST" ||
      !CONTENT_TYPE.test(headers["content-type"] ?? "") ||
      (headers["grpc-encoding"] !== undefined && headers["grpc-encoding"] !== "identity") ||
      headers.origin !== undefined
    ) {
      return false;
    }
    serve(stream, headers, route, pipeline);
    return true;
  };
}

function serve(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  route: Route,
  { readMaxBytes, shutdownSignal, contextValues }: CallPipeline,
): void {
  // The listener has replaced the caller's x-request-id with the one this call goes by.
  const answer = new Answer(stream, (headers["x-request-id"] as string | undefined) ?? "");
  stream.on("error", ignore); // a reset by the peer; the close handler below cleans up
  const timeout = callTimeout(headers);
  if (timeout.error) {
    drain(stream);
    answer.fail(timeout.error);
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    chunks.push(chunk);
    // Connect refuses an oversize message from its envelope header, before the body arrives.
    if (received >= ENVELOPE_HEAD && chunks.length <= 2) {
      const refusal = oversize(chunks.length === 1 ? chunk : Buffer.concat(chunks), readMaxBytes);
      if (refusal) {
        stream.off("data", onData);
        stream.off("end", onEnd);
        drain(stream);
        answer.fail(refusal);
      }
    }
  };
  const onEnd = () => {
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    void call(body).then(
      (bytes) => answer.ok(bytes),
      (error: unknown) => answer.fail(error),
    );
  };
  stream.on("data", onData);
  stream.on("end", onEnd); // emitted once ("once" would wrap it on every call)

  const call = async (body: Buffer): Promise<Uint8Array> => {
    const input = route.serialization.getI(true).parse(singleMessage(body));
    const state = new CallState(new CallSignal(shutdownSignal, timeout.timeoutMs, stream), headers);
    const values = contextValues(stream.session?.socket?.remoteAddress ?? "");
    values.set(callStateKey, state);
    try {
      const res = await route.chain(new CallRequest(route.method, input, values, state));
      answer.header = res.header;
      answer.trailer = res.trailer;
      return route.serialization.getO(true).serialize(res.message);
    } finally {
      state.signal.dispose();
    }
  };
}

function ignore(): void {}

/** Reads and drops what the client still sends, so an early answer does not stall its window. */
function drain(stream: ServerHttp2Stream): void {
  stream.resume();
}
