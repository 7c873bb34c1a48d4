import type { IncomingHttpHeaders, ServerHttp2Stream } from "node:http2";
import {
  create,
  type DescMethod,
  type DescMethodUnary,
  type DescService,
} from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  type ContextValues,
  createContextKey,
  type HandlerContext,
  type Interceptor,
  type UnaryRequest,
  type UnaryResponse,
} from "@connectrpc/connect";
import { createMethodSerializationLookup } from "@connectrpc/connect/protocol";
import { parseTimeout, setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import type { CallPipeline } from "./pipeline.js";

/** Handles an HTTP/2 stream itself and returns true, or returns false to leave it to Connect. */
export type StreamHandler = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => boolean;

type UnaryFn = (req: UnaryRequest) => Promise<UnaryResponse>;

interface Route {
  method: DescMethodUnary;
  serialization: ReturnType<typeof createMethodSerializationLookup>;
  /** The interceptor chain around the implementation, built once. */
  chain: UnaryFn;
}

/**
 * What the innermost step of a chain needs from its call, carried in the context values
 * (an interceptor may pass on a copy of the request; the values object travels by reference).
 */
class CallState {
  readonly responseHeader = responseHeaders();
  readonly responseTrailer = responseHeaders();

  constructor(
    readonly signal: CallSignal,
    readonly headers: IncomingHttpHeaders,
  ) {}

  get url(): string {
    return `http://${this.headers[":authority"] ?? "localhost"}${this.headers[":path"]}`;
  }
}
const callStateKey = createContextKey<CallState | undefined>(undefined, {
  description: "gRPC fast path call state",
});

/*
 * The request the interceptors see and the context the implementation gets, as classes:
 * their lazy `url` and `signal` are prototype getters. Object literals with getters are
 * built by a runtime call each time (~0.8 us apiece, twice per call) and their objects
 * outlived scavenges (docs/performance.md, change log). A request copied with `{...req}`
 * lacks the two getters for later interceptors; the context reads them from the call state,
 * so the implementation still has them (grpc-fast-path.test.ts).
 */
class CallRequest implements UnaryRequest {
  readonly stream = false;
  readonly requestMethod = "POST";
  readonly service: DescService;
  readonly header: Headers;

  constructor(
    readonly method: DescMethodUnary,
    readonly message: UnaryRequest["message"],
    readonly contextValues: ContextValues,
    private readonly state: CallState,
  ) {
    this.service = method.parent;
    this.header = requestHeaders(state.headers);
  }

  get url(): string {
    return this.state.url;
  }

  get signal(): AbortSignal {
    return this.state.signal.get();
  }
}

class CallContext implements HandlerContext {
  readonly protocolName = "grpc";
  readonly service: DescService;
  readonly method: DescMethod;
  readonly requestMethod: string;
  readonly requestHeader: Headers;
  readonly responseHeader: Headers;
  readonly responseTrailer: Headers;
  readonly values: ContextValues;

  constructor(
    request: UnaryRequest,
    private readonly state: CallState,
  ) {
    this.service = request.service;
    this.method = request.method;
    this.requestMethod = request.requestMethod;
    this.requestHeader = request.header;
    this.responseHeader = state.responseHeader;
    this.responseTrailer = state.responseTrailer;
    this.values = request.contextValues;
  }

  get url(): string {
    return this.state.url;
  }

  get signal(): AbortSignal {
    return this.state.signal.get();
  }

  readonly timeoutMs = (): number | undefined => this.state.signal.remainingMs();
}

const CONTENT_TYPE = /^application\/grpc(?:\+proto)?$/;
const FLAG_COMPRESSED = 0b1;

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
  const timeout = parseTimeout(
    (headers["grpc-timeout"] as string | undefined) ?? null,
    Number.MAX_SAFE_INTEGER,
  );
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
    if (received >= 5 && chunks.length <= 2) {
      const head = chunks.length === 1 ? chunk : Buffer.concat(chunks);
      const length = head.readUInt32BE(1);
      if (length > readMaxBytes) {
        stream.off("data", onData);
        stream.off("end", onEnd);
        drain(stream);
        answer.fail(
          new ConnectError(
            `message size ${length} is larger than configured readMaxBytes ${readMaxBytes}`,
            Code.ResourceExhausted,
          ),
        );
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

/**
 * The interceptor chain into the implementation, as connect's `invokeUnaryImplementation`
 * runs it (same request and context shapes, first interceptor outermost, output normalised
 * with `create`), built once per method rather than per call, with a signal made only if
 * someone reads it: connect's per-call AbortController, linked listeners and the
 * DOMException its abort() builds were a fifth of this path's CPU.
 */
function chainFor(
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

/**
 * The call's AbortSignal, created on first read only: aborted by shutdown, the deadline
 * (grpc-timeout) or the client going away, like connect's handler context signal.
 */
class CallSignal {
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly deadline: number | undefined;
  /** Removes the listeners get() added; made with the controller, as most calls never read it. */
  private detach: (() => void) | undefined;

  constructor(
    private readonly shutdown: AbortSignal,
    timeoutMs: number | undefined,
    private readonly stream: ServerHttp2Stream,
  ) {
    this.deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
  }

  remainingMs(): number | undefined {
    return this.deadline === undefined ? undefined : this.deadline - Date.now();
  }

  get(): AbortSignal {
    if (this.controller) return this.controller.signal;
    const controller = new AbortController();
    this.controller = controller;
    const onAbort = () => controller.abort(this.shutdown.reason);
    const onClose = () =>
      controller.abort(new ConnectError("operation was aborted", Code.Canceled));
    this.detach = () => {
      this.shutdown.removeEventListener("abort", onAbort);
      this.stream.off("close", onClose);
    };
    if (this.shutdown.aborted) controller.abort(this.shutdown.reason);
    else this.shutdown.addEventListener("abort", onAbort, { once: true });
    const remaining = this.remainingMs();
    if (remaining !== undefined) {
      this.timer = setTimeout(
        () => controller.abort(new ConnectError("the operation timed out", Code.DeadlineExceeded)),
        Math.max(0, remaining),
      );
      this.timer.unref();
    }
    if (this.stream.closed) onClose();
    else this.stream.once("close", onClose);
    return controller.signal;
  }

  /** The call is over: a signal handed out reports it (as connect's does), listeners go. */
  dispose(): void {
    if (!this.controller) return;
    clearTimeout(this.timer);
    this.detach?.();
    this.controller.abort();
  }
}

/** The one message of a unary request: exactly one uncompressed envelope, as Connect requires. */
function singleMessage(body: Buffer): Uint8Array {
  if (body.length < 5) {
    if (body.length === 0) {
      throw new ConnectError(
        "protocol error: missing input message for unary method",
        Code.Unimplemented,
      );
    }
    throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
  }
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) {
    throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
  }
  if (((body[0] as number) & FLAG_COMPRESSED) === FLAG_COMPRESSED) {
    throw new ConnectError(
      "received compressed envelope, but do not know how to decompress",
      Code.Internal,
    );
  }
  if (body.length > 5 + length) {
    // A second envelope: complete or not, Connect reports which.
    const rest = body.subarray(5 + length);
    const complete = rest.length >= 5 && rest.length >= 5 + rest.readUInt32BE(1);
    throw complete
      ? new ConnectError(
          "protocol error: received extra input message for unary method",
          Code.Unimplemented,
        )
      : new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
  }
  return body.subarray(5, 5 + length);
}

/** Request metadata as Connect hands it to interceptors: pseudo-headers left out. */
function requestHeaders(headers: IncomingHttpHeaders): Headers {
  return new LazyHeaders(headers) as unknown as Headers;
}

/** Response metadata a handler may set (nearly every call sets none). */
function responseHeaders(): Headers {
  return new LazyHeaders({}) as unknown as Headers;
}

/**
 * A WHATWG `Headers` view of node's header object. Building real ones (validation per
 * header; two more per call for the response, walked when answering) showed in this path's
 * profile, and calls mostly only read; the first write copies into a real `Headers`, which
 * then answers everything.
 */
class LazyHeaders {
  #real: Headers | undefined;

  constructor(private readonly node: IncomingHttpHeaders) {}

  get(name: string): string | null {
    if (this.#real) return this.#real.get(name);
    const key = name.toLowerCase();
    if (key.charCodeAt(0) === 58 /* ":" */) return null;
    const value = this.node[key];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  getSetCookie(): string[] {
    return this.real().getSetCookie();
  }

  set(name: string, value: string): void {
    this.real().set(name, value);
  }

  append(name: string, value: string): void {
    this.real().append(name, value);
  }

  delete(name: string): void {
    this.real().delete(name);
  }

  forEach(fn: (value: string, name: string, parent: Headers) => void, thisArg?: unknown): void {
    if (this.#real) {
      this.#real.forEach(fn, thisArg);
      return;
    }
    for (const name of Object.keys(this.node).sort()) {
      const value = this.get(name);
      if (value !== null) fn.call(thisArg, value, name, this as unknown as Headers);
    }
  }

  entries(): ReturnType<Headers["entries"]> {
    return this.real().entries();
  }

  keys(): ReturnType<Headers["keys"]> {
    return this.real().keys();
  }

  values(): ReturnType<Headers["values"]> {
    return this.real().values();
  }

  [Symbol.iterator](): ReturnType<Headers["entries"]> {
    return this.entries();
  }

  private real(): Headers {
    if (!this.#real) {
      const real = new Headers();
      for (const name in this.node) {
        if (name.charCodeAt(0) === 58) continue;
        const value = this.node[name];
        if (Array.isArray(value)) for (const v of value) real.append(name, v);
        else if (value !== undefined) real.set(name, value);
      }
      this.#real = real;
    }
    return this.#real;
  }
}

function ignore(): void {}

/** What a successful call ends with when its handler set no trailers (node copies it). */
const OK_TRAILERS: Record<string, string> = Object.freeze({ "grpc-status": "0" }) as Record<
  string,
  string
>;

/** Reads and drops what the client still sends, so an early answer does not stall its window. */
function drain(stream: ServerHttp2Stream): void {
  stream.resume();
}

/** Writes the call's answer once: a message with trailers, or trailers-only on failure. */
class Answer {
  header: Headers | undefined;
  trailer: Headers | undefined;
  private done = false;

  constructor(
    private readonly stream: ServerHttp2Stream,
    private readonly requestId: string,
  ) {}

  ok(message: Uint8Array): void {
    if (!this.begin()) return;
    const frame = Buffer.allocUnsafe(5 + message.length);
    frame[0] = 0;
    frame.writeUInt32BE(message.length, 1);
    frame.set(message, 5);
    let trailer = OK_TRAILERS; // copied only if the handler set a trailer
    this.trailer?.forEach((value, name) => {
      if (trailer === OK_TRAILERS) trailer = { ...OK_TRAILERS };
      trailer[name] = value;
    });
    // Emitted once; node copies the object it is given.
    this.stream.on("wantTrailers", () => this.stream.sendTrailers(trailer));
    this.stream.respond(this.head(), { waitForTrailers: true });
    this.stream.end(frame);
  }

  fail(error: unknown): void {
    if (!this.begin()) return;
    const status = new Headers();
    setTrailerStatus(
      status,
      error instanceof ConnectError
        ? error
        : new ConnectError("internal error", Code.Internal, undefined, undefined, error),
    );
    const head = withHeaders(withHeaders(this.head(), this.trailer), status);
    this.stream.respond(head, { endStream: true });
  }

  private begin(): boolean {
    if (this.done || this.stream.destroyed || this.stream.headersSent) return false;
    this.done = true;
    return true;
  }

  private head(): NodeHeaders {
    const head: NodeHeaders = {
      ":status": 200,
      "content-type": "application/grpc+proto", // what Connect answers too
    };
    withHeaders(head, this.header);
    if (this.requestId) head["x-request-id"] = this.requestId;
    return head;
  }
}

type NodeHeaders = Record<string, string | number>;

/** Adds `headers` (if any) to node's header record, and returns the record. */
function withHeaders(record: NodeHeaders, headers: Headers | undefined): NodeHeaders {
  headers?.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}
