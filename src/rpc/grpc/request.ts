import type { IncomingHttpHeaders } from "node:http2";
import type { DescMethod, DescMethodUnary, DescService } from "@bufbuild/protobuf";
import {
  type ContextValues,
  createContextKey,
  type HandlerContext,
  type UnaryRequest,
} from "@connectrpc/connect";
import type { CallSignal } from "./deadline.js";
import { requestHeaders, responseHeaders } from "./headers.js";

/**
 * What the innermost step of a chain needs from its call, carried in the context values
 * (an interceptor may pass on a copy of the request; the values object travels by reference).
 */
export class CallState {
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

export const callStateKey = createContextKey<CallState | undefined>(undefined, {
  description: "gRPC fast path call state",
});

/*
 * The request the interceptors see and the context the implementation gets, as classes:
 * their lazy `url` and `signal` are prototype getters. V8 builds an object literal with
 * getters through a runtime call (~0.8 µs apiece, twice per call), and those objects
 * outlived scavenges: GC fell from 12.7% to 2.8% of the main thread when these became
 * classes. A request copied with `{...req}` lacks the two getters for later interceptors;
 * the context reads them from the call state, so the implementation still has them.
 */
export class CallRequest implements UnaryRequest {
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

export class CallContext implements HandlerContext {
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
