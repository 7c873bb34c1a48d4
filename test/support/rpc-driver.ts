import http from "node:http";
import type { DescService } from "@bufbuild/protobuf";
import { create, type DescMessage, toBinary, toJsonString } from "@bufbuild/protobuf";
import {
  type CallOptions,
  type Client,
  Code,
  ConnectError,
  createClient,
} from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  Http2SessionManager,
} from "@connectrpc/connect-node";
import { AccountService } from "@userharbor/client";
import { ErrorInfoSchema } from "@userharbor/client/google/rpc/error_details_pb.js";
import type { AdminService } from "@userharbor/client/userharbor/v1/admin_pb.js";
import { ERRORS, type Reason } from "../../src/core/errors.js";
import type { TestServer } from "./test-server.js";

/**
 * Calls every RPC through one door that checks the error contract on every
 * answer, counts calls per wire and RPC, and remembers the secrets it sent (for
 * log scans). A contract breach throws at once, naming the call.
 */

/** Connect binary and Connect JSON over HTTP/1.1 (JSON escapes lone surrogates; binary writes U+FFFD), and gRPC. */
export const WIRES = ["connect", "connect-json", "grpc"] as const;
export type Wire = (typeof WIRES)[number];

export type RpcName = keyof typeof AccountService.method;
export const RPC_NAMES = Object.keys(AccountService.method) as RpcName[];

/** A service's method names, and a method's request and response, as its generated client types them. */
type MethodOf<S extends DescService> = keyof S["method"] & string;
type Method<S extends DescService, M extends MethodOf<S>> = Client<S>[M] extends (
  req: infer R,
  options?: CallOptions,
) => Promise<infer T>
  ? { req: R; res: T }
  : never;
export type Req<M extends RpcName> = Method<typeof AccountService, M>["req"];
export type Res<M extends RpcName> = Method<typeof AccountService, M>["res"];

export type Outcome<T> =
  | { ok: true; res: T }
  /** `reason` is undefined only for the transport's own refusals: over-size or undecodable body. */
  | { ok: false; code: Code; reason: Reason | undefined; message: string };

const CLIENT_REASONS: Reason[] = ["INVALID_CLIENT_CONTEXT"];
/** What each AccountService RPC may answer (README's contract table, accounts.proto); any RPC may also be rate limited or overloaded. */
export const RPC_REASONS: Record<RpcName, readonly Reason[]> = {
  register: [
    "INVALID_USERNAME",
    "INVALID_EMAIL",
    "WEAK_PASSWORD",
    "USERNAME_TAKEN",
    ...CLIENT_REASONS,
  ],
  verifyEmail: ["INVALID_TOKEN", "EMAIL_TAKEN", ...CLIENT_REASONS],
  resendVerification: ["INVALID_EMAIL", ...CLIENT_REASONS],
  login: ["INVALID_CREDENTIALS", "EMAIL_NOT_VERIFIED", "ACCOUNT_DISABLED", ...CLIENT_REASONS],
  verifySession: [],
  getSessionKeys: [],
  getCurrentUser: ["INVALID_SESSION"],
  logout: [],
  logoutAll: ["INVALID_SESSION"],
  changePassword: ["INVALID_SESSION", "INVALID_CREDENTIALS", "WEAK_PASSWORD"],
  sendPasswordReset: ["INVALID_EMAIL", ...CLIENT_REASONS],
  resetPassword: ["INVALID_TOKEN", "WEAK_PASSWORD", ...CLIENT_REASONS],
  deleteAccount: ["INVALID_SESSION", "INVALID_CREDENTIALS"],
  listSessions: ["INVALID_SESSION"],
  revokeSession: ["INVALID_SESSION", "SESSION_NOT_FOUND"],
  changeEmail: ["INVALID_SESSION", "INVALID_CREDENTIALS", "INVALID_EMAIL", ...CLIENT_REASONS],
};
/** Reasons any AccountService RPC may answer besides its own (throttling, hashing overload). */
export const ANY_RPC: readonly Reason[] = ["RATE_LIMITED", "OVERLOADED"];

/** AdminService RPCs that take an `account_id`. */
export const ADMIN_ID_RPCS = [
  "disableAccount",
  "enableAccount",
  "listAccountSessions",
  "revokeAccountSessions",
  "deleteAccountAsAdmin",
  "markEmailVerified",
] as const;
const BY_ID: readonly Reason[] = ["INVALID_ACCOUNT_ID", "ACCOUNT_NOT_FOUND"];
/** What each AdminService RPC may answer (README's admin contract table, admin.proto). */
export const ADMIN_RPC_REASONS: Record<keyof typeof AdminService.method, readonly Reason[]> = {
  getAccount: [...BY_ID, "INVALID_USERNAME", "INVALID_EMAIL"],
  listAccounts: ["INVALID_PAGE_SIZE", "INVALID_PAGE_TOKEN", "INVALID_FILTER"],
  disableAccount: BY_ID,
  enableAccount: BY_ID,
  listAccountSessions: BY_ID,
  revokeAccountSessions: BY_ID,
  deleteAccountAsAdmin: BY_ID,
  markEmailVerified: BY_ID,
};

/** A stack frame, a source or module path, or an error class name: internals a caller must never see. */
const INTERNALS =
  /\n\s+at |\bat \S+ \(|\.[cm]?[jt]s:\d+|node_modules|file:\/\/|\/(work|home|src|usr)\/|\b\w*Error:/;

/** A call that hangs this long is a failure too (DeadlineExceeded has no ErrorInfo). */
const CALL_TIMEOUT_MS = 15_000;

/** Body bytes within this distance of the limit may go either way (framing, JSON details). */
const LIMIT_SLACK = 64;

/**
 * One door per service: `reasons` says what each RPC may answer (the README's
 * contract tables); RpcDriver is AccountService's.
 */
export class ServiceDriver<S extends DescService> {
  /** Calls made, by "wire rpc". */
  readonly counts = new Map<string, number>();
  /** Bodies the transport refused before any handler ran, by "wire status". */
  readonly refusals = new Map<string, number>();
  /** Passwords and emails the suite sent that must never reach a log. */
  readonly secrets = { passwords: new Set<string>(), emails: new Set<string>() };
  readonly #clients: Clients<S>;

  constructor(
    readonly t: TestServer,
    /** The server's REQUEST_MAX_BYTES. */
    readonly requestMaxBytes: number,
    readonly service: S,
    readonly reasons: Record<MethodOf<S>, readonly Reason[]>,
  ) {
    // Keep-alive: an over-size HTTP/1.1 body must not spoil its connection for the next call.
    this.#clients = clients(service, t.server.url);
  }

  /** Drops this driver's connections (one stuck mid-upload would hold the server's graceful close). */
  close(): void {
    this.#clients.agent.destroy();
    this.#clients.h2.abort();
  }

  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  /** Calls `rpc` and returns its outcome; throws if the answer breaks the error contract. */
  async call<M extends MethodOf<S>>(
    wire: Wire,
    rpc: M,
    req: Method<S, M>["req"],
  ): Promise<Outcome<Method<S, M>["res"]>> {
    type Res = Method<S, M>["res"];
    const key = `${wire} ${rpc}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const schema = (this.service.method as Record<string, { input: DescMessage }>)[rpc]?.input;
    const size = bodyBytes(wire, schema as DescMessage, req);
    const client = this.#clients[wire] as unknown as Record<
      string,
      (r: unknown, options: CallOptions) => Promise<Res>
    >;
    const method = client[rpc] as (r: unknown, options: CallOptions) => Promise<Res>;
    const over = size > this.requestMaxBytes + LIMIT_SLACK;
    // Only JSON can carry a lone surrogate (as an escape); binary encoders write U+FFFD instead.
    const undecodable = wire === "connect-json" && strings(req).some((s) => !isWellFormed(s));
    const under = size < this.requestMaxBytes - LIMIT_SLACK;
    const breach = (what: string): never => {
      throw new Error(`${key}: ${what}\n  request (${size} bytes): ${describe(req)}`);
    };
    let res: Res;
    try {
      res = await method(req, { timeoutMs: CALL_TIMEOUT_MS });
    } catch (error) {
      const err = ConnectError.from(error);
      const [info, ...more] = err.findDetails(ErrorInfoSchema);
      const message = err.rawMessage;
      if (err.code === Code.Internal || err.code === Code.Unknown) {
        breach(`answered ${Code[err.code]}: ${message}`);
      }
      if (INTERNALS.test(message)) breach(`message shows internals: ${message}`);
      if (message.length > 300) breach(`message is ${message.length} characters long`);
      const echoed = strings(req).find((s) => s.length >= 12 && message.includes(s));
      if (echoed) breach(`message echoes a request field: ${message.slice(0, 120)}`);
      if (!info) {
        // The two exceptions to "every error has an ErrorInfo", both raised by connect-node
        // before any handler or interceptor runs: a body over readMaxBytes (REQUEST_MAX_BYTES),
        // and a body that does not decode (in JSON, a lone surrogate is invalid UTF-8).
        if (
          (err.code === Code.ResourceExhausted && !under) ||
          (err.code === Code.InvalidArgument && undecodable)
        ) {
          const refusal = `${wire} ${Code[err.code]}`;
          this.refusals.set(refusal, (this.refusals.get(refusal) ?? 0) + 1);
          return { ok: false, code: err.code, reason: undefined, message };
        }
        breach(`${Code[err.code]} without ErrorInfo: ${message}`);
      }
      if (undecodable && !over) breach("a body with invalid UTF-8 was decoded");
      if (over) breach(`a body over REQUEST_MAX_BYTES reached the handler`);
      const reason = info?.reason as Reason;
      if (more.length > 0) breach("more than one ErrorInfo");
      if (info?.domain !== "userharbor.v1") breach(`ErrorInfo domain ${info?.domain}`);
      if (!Object.hasOwn(ERRORS, reason)) breach(`reason ${reason} is not in ERRORS`);
      if (![...this.reasons[rpc], ...ANY_RPC].includes(reason)) {
        breach(`reason ${reason} is not one ${rpc} documents`);
      }
      if (err.code !== Code[ERRORS[reason].status]) {
        breach(`reason ${reason} came with ${Code[err.code]}, not ${ERRORS[reason].status}`);
      }
      return { ok: false, code: err.code, reason, message };
    }
    if (over) breach("a body over REQUEST_MAX_BYTES was accepted");
    if (undecodable) breach("a body with invalid UTF-8 was accepted");
    return { ok: true, res };
  }

  /** Like `call`, for steps that must succeed (set-up): returns the response or throws. */
  async must<M extends MethodOf<S>>(
    wire: Wire,
    rpc: M,
    req: Method<S, M>["req"],
  ): Promise<Method<S, M>["res"]> {
    const outcome = await this.call(wire, rpc, req);
    if (!outcome.ok) throw new Error(`${wire} ${rpc} failed: ${outcome.reason} ${outcome.message}`);
    return outcome.res;
  }

  /** The reason an outcome failed with, or "OK" (handy in expectations and reports). */
  static verdict(outcome: Outcome<unknown>): string {
    return outcome.ok ? "OK" : (outcome.reason ?? `framework ${Code[outcome.code]}`);
  }
}

/** AccountService's driver, which most of the suite uses. */
export class RpcDriver extends ServiceDriver<typeof AccountService> {
  constructor(t: TestServer, requestMaxBytes: number) {
    super(t, requestMaxBytes, AccountService, RPC_REASONS);
  }
}

type Clients<S extends DescService> = Record<Wire, Client<S>> & {
  agent: http.Agent;
  h2: Http2SessionManager;
};

/** One client per wire; the HTTP/1.1 ones share one keep-alive agent. */
function clients<S extends DescService>(service: S, baseUrl: string): Clients<S> {
  const agent = new http.Agent({ keepAlive: true });
  const h1 = (useBinaryFormat: boolean) =>
    createClient(
      service,
      createConnectTransport({
        baseUrl,
        httpVersion: "1.1",
        useBinaryFormat,
        nodeOptions: { agent },
      }),
    );
  // Node's HTTP/2 client keeps the unsent rest of a refused request body charged to its
  // session; after maxSessionMemory (10 MB by default) of such leftovers the session refuses
  // every new stream (ENHANCE_YOUR_CALM, reported as INTERNAL). Client-side, so give it room.
  const h2 = new Http2SessionManager(baseUrl, {}, { maxSessionMemory: 1024 });
  return {
    agent,
    h2,
    connect: h1(true),
    "connect-json": h1(false),
    grpc: createClient(service, createGrpcTransport({ baseUrl, sessionManager: h2 })),
  };
}

/** The size the server reads: the binary message (Connect, gRPC) or its JSON (Connect JSON). */
function bodyBytes(wire: Wire, schema: DescMessage, req: unknown): number {
  const message = create(schema, req as never);
  return wire === "connect-json"
    ? Buffer.byteLength(toJsonString(schema, message))
    : toBinary(schema, message).length;
}

/** No lone surrogates (String.prototype.isWellFormed is ES2024). */
const isWellFormed = (s: string) => Buffer.from(s).toString() === s;

/** Every string in a request, nested messages included. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

/** A request for an error report: long strings cut, with their length. */
function describe(req: unknown): string {
  return JSON.stringify(req, (_key, value) =>
    typeof value === "string" && value.length > 80
      ? `${value.slice(0, 40)}… (${value.length} chars)`
      : value,
  );
}
