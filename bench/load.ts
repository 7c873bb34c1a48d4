import { readFileSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { create, type DescMethodUnary, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  AccountService,
  GetCurrentUserRequestSchema,
  LoginRequestSchema,
  VerifySessionRequestSchema,
  VerifySessionResponseSchema,
} from "@userharbor/client";
import { Health, HealthCheckRequestSchema } from "@userharbor/client/grpc/health/v1/health_pb.js";
import { type Latencies, latencies } from "./figures.js";

/**
 * The load generator, run as its own process (`node --import tsx bench/load.ts '<spec JSON>'`)
 * so its CPU is not the server's. Every workload in a spec runs at the same time, for the same
 * warm-up and measured window; a call counts when it *starts* inside the window, and the run
 * waits for those calls to finish, so slow answers at the end are not left out.
 *
 * - closed loop (`concurrency`): that many calls always in flight, each sent when the last
 *   one answers: measures throughput.
 * - open loop (`rate`): calls sent on a fixed schedule whatever the answers: offered load,
 *   for latency under a given load (a flood, a steady background).
 *
 * gRPC goes over a small pool of HTTP/2 sessions (one connect-node transport each), HTTP/1.1
 * over keep-alive sockets. Request messages are built once. Prints one JSON line (LoadReport).
 */

export interface GrpcTarget {
  kind: "grpc";
  baseUrl: string;
  /** HTTP/2 connections to spread calls over. */
  sessions: number;
  call: "check" | "verifySession" | "getCurrentUser" | "login";
  /** Session tokens, used round-robin (verifySession, getCurrentUser). */
  tokens?: string[];
  /** Login credentials. */
  login?: { username: string; password: string; ip: string; userAgent: string };
  /** authorization: Bearer <apiKey>, as a calling backend sends it. */
  apiKey?: string;
  /**
   * "raw" (default): node:http2 with pre-built frames, the lightest client; "connect":
   * connect-node's gRPC transport, a heavier client, to cross-check that figures do not
   * hinge on the client.
   */
  client?: "raw" | "connect";
}

export interface HttpTarget {
  kind: "http";
  url: string;
  method: "GET" | "POST";
  /** Requests used round-robin: headers and an optional body each. */
  requests: Array<{ headers: Record<string, string>; body?: string }>;
  /** Keep-alive sockets at most. */
  sockets: number;
}

export interface Workload {
  name: string;
  target: GrpcTarget | HttpTarget;
  /** Closed loop: calls in flight at all times. */
  concurrency?: number;
  /** Open loop: calls started per second. */
  rate?: number;
}

export interface LoadSpec {
  warmupMs: number;
  durationMs: number;
  workloads: Workload[];
  /** Processes whose CPU time to sample over the window (Linux /proc), by label. */
  watchPids?: Record<string, number>;
}

export interface WorkloadReport {
  name: string;
  /** Calls started in the window. */
  sent: number;
  /** Of those, answered OK. */
  ok: number;
  /** Failed calls by status name (gRPC code, HTTP_<status>, or NETWORK). */
  errors: Record<string, number>;
  /** OK answers per second of window. */
  throughput: number;
  /** Latency of OK answers, ms. */
  latency: Latencies | null;
  /** Latency of failed answers, ms (e.g. how fast OVERLOADED comes back). */
  errorLatency: Latencies | null;
  /** Open loop only: calls not sent because too many were already in flight. */
  skipped: number;
}

export interface LoadReport {
  windowMs: number;
  workloads: WorkloadReport[];
  generator: { cpuCores: number; eventLoopDelayP99Ms: number };
  /** CPU cores used over the window by each watched process, and by the whole machine. */
  cpu: Record<string, number>;
}

/** A call: resolves when the answer is read, rejects with the failure. */
type Call = () => Promise<void>;

const MAX_OPEN_IN_FLIGHT = 20_000;

/** Round-robin pick; throws on an empty list (a spec error). */
function at<T>(items: readonly T[], i: number): T {
  const item = items[i % items.length];
  if (item === undefined) throw new Error("workload needs at least one token");
  return item;
}

interface GrpcRequests {
  method: string;
  /** Serialized request messages, used round-robin. */
  messages: Uint8Array[];
  /** Throws when an OK answer is not the answer the workload needs (a dead session). */
  check?: (response: Uint8Array) => void;
}

/** The method and the pre-built request messages of a gRPC workload. */
function grpcRequests(t: GrpcTarget): GrpcRequests {
  const tokens = t.tokens ?? [];
  switch (t.call) {
    case "check":
      return {
        method: `/${Health.typeName}/Check`,
        messages: [toBinary(HealthCheckRequestSchema, create(HealthCheckRequestSchema))],
      };
    case "verifySession":
      return {
        method: `/${AccountService.typeName}/VerifySession`,
        messages: tokens.map((sessionToken) =>
          toBinary(
            VerifySessionRequestSchema,
            create(VerifySessionRequestSchema, { sessionToken }),
          ),
        ),
        check: (bytes) => {
          if (!fromBinary(VerifySessionResponseSchema, bytes).valid) {
            throw new Error("INVALID_SESSION_ANSWER");
          }
        },
      };
    case "getCurrentUser":
      return {
        method: `/${AccountService.typeName}/GetCurrentUser`,
        messages: tokens.map((sessionToken) =>
          toBinary(
            GetCurrentUserRequestSchema,
            create(GetCurrentUserRequestSchema, { sessionToken }),
          ),
        ),
      };
    case "login": {
      const l = t.login;
      if (!l) throw new Error("login target needs credentials");
      const req = create(LoginRequestSchema, {
        username: l.username,
        password: l.password,
        client: { ip: l.ip, userAgent: l.userAgent },
      });
      return {
        method: `/${AccountService.typeName}/Login`,
        messages: [toBinary(LoginRequestSchema, req)],
      };
    }
  }
}

/** A gRPC length-prefixed message: flag byte 0 (uncompressed), 4-byte big-endian length. */
export function envelope(message: Uint8Array): Buffer {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

/**
 * gRPC over plain node:http2, request frames built once: the lightest client there is, so
 * the generator leaves the shared cores to the server. Each of `sessions` HTTP/2
 * connections multiplexes its share of the calls. Status comes from the trailers (or the
 * headers of a trailers-only answer).
 */
function rawGrpcCalls(t: GrpcTarget): Call[] {
  const { method, messages, check } = grpcRequests(t);
  const frames = messages.map(envelope);
  const headers: http2.OutgoingHttpHeaders = {
    ":method": "POST",
    ":path": method,
    "content-type": "application/grpc+proto",
    te: "trailers",
    ...(t.apiKey && { authorization: `Bearer ${t.apiKey}` }),
  };
  const calls: Call[] = [];
  for (let i = 0; i < t.sessions; i++) {
    const session = http2.connect(t.baseUrl);
    session.on("error", () => {}); // each stream reports its own failure
    let next = i;
    calls.push(
      () =>
        new Promise<void>((resolve, reject) => {
          const stream = session.request({ ...headers });
          const chunks: Buffer[] = [];
          let status: number | undefined;
          const statusOf = (h: http2.IncomingHttpHeaders) => {
            const value = h["grpc-status"];
            if (value !== undefined) status = Number(value);
          };
          stream.on("response", statusOf);
          stream.on("trailers", statusOf);
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("error", () => {});
          stream.on("close", () => {
            if (status === undefined) return reject(new Error("NETWORK"));
            if (status !== 0) return reject(new ConnectError("", status as Code));
            try {
              check?.(Buffer.concat(chunks).subarray(5));
              resolve();
            } catch (error) {
              reject(error);
            }
          });
          stream.end(at(frames, next++));
        }),
    );
  }
  return calls;
}

/** The same calls through connect-node's gRPC client (one transport per HTTP/2 session). */
async function connectGrpcCalls(t: GrpcTarget): Promise<Call[]> {
  // Loaded only when asked for: the raw client starts faster without it.
  const { createGrpcTransport } = await import("@connectrpc/connect-node");
  const { method, messages, check } = grpcRequests(t);
  const header = t.apiKey ? { authorization: `Bearer ${t.apiKey}` } : undefined;
  const service = t.call === "check" ? Health : AccountService;
  const name = method.slice(method.lastIndexOf("/") + 1);
  const found = service.methods.find((m) => m.name === name);
  if (found?.methodKind !== "unary") throw new Error(`no unary method ${method}`);
  const spec = found as DescMethodUnary;
  const requests = messages.map((bytes) => fromBinary(spec.input, bytes));
  const calls: Call[] = [];
  for (let i = 0; i < t.sessions; i++) {
    const transport = createGrpcTransport({ baseUrl: t.baseUrl });
    let next = i;
    calls.push(async () => {
      const res = await transport.unary(
        spec,
        undefined,
        undefined,
        header,
        at(requests, next++),
        undefined,
      );
      check?.(toBinary(spec.output, res.message));
    });
  }
  return calls;
}

function httpCalls(t: HttpTarget): Call[] {
  const url = new URL(t.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: t.sockets });
  const requests = t.requests.map((r) => ({
    headers:
      r.body === undefined
        ? r.headers
        : { ...r.headers, "content-length": `${Buffer.byteLength(r.body)}` },
    body: r.body,
  }));
  let next = 0;
  const call: Call = () =>
    new Promise<void>((resolve, reject) => {
      const r = at(requests, next++);
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: t.method,
          headers: r.headers,
        },
        (res) => {
          res.on("data", () => {});
          res.on("end", () =>
            res.statusCode === 200 ? resolve() : reject(new HttpStatusError(res.statusCode ?? 0)),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(r.body);
    });
  return [call];
}

class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** gRPC code name in the spelling gRPC uses (RESOURCE_EXHAUSTED), HTTP_<status>, or the message. */
function failureName(error: unknown): string {
  if (error instanceof HttpStatusError) return `HTTP_${error.status}`;
  if (error instanceof ConnectError) {
    return Code[error.code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
  }
  return error instanceof Error && /^[A-Z_]+$/.test(error.message) ? error.message : "NETWORK";
}

class Tally {
  sent = 0;
  ok = 0;
  skipped = 0;
  readonly errors: Record<string, number> = {};
  readonly okMs: number[] = [];
  readonly errorMs: number[] = [];

  record(started: number, error?: unknown): void {
    const ms = performance.now() - started;
    if (error === undefined) {
      this.ok++;
      this.okMs.push(ms);
    } else {
      const name = failureName(error);
      this.errors[name] = (this.errors[name] ?? 0) + 1;
      this.errorMs.push(ms);
    }
  }
}

/** Total CPU seconds (user + system, all threads) of a process, from /proc; null elsewhere. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Busy CPU seconds of the whole machine, from /proc/stat; null elsewhere. */
export function machineBusySeconds(): number | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return (ticks.reduce((a, b) => a + b, 0) - idle) / 100;
  } catch {
    return null;
  }
}

function cpuSample(pids: Record<string, number>): Record<string, number | null> {
  const sample: Record<string, number | null> = { machine: machineBusySeconds() };
  for (const [label, pid] of Object.entries(pids)) sample[label] = processCpuSeconds(pid);
  return sample;
}

export async function runLoad(spec: LoadSpec): Promise<LoadReport> {
  const start = performance.now();
  const windowStart = start + spec.warmupMs;
  const windowEnd = windowStart + spec.durationMs;
  const lag = monitorEventLoopDelay({ resolution: 5 });
  let cpuAtStart: ReturnType<typeof process.cpuUsage> | undefined;
  let sampleAtStart: Record<string, number | null> = {};
  let sampleAtEnd: Record<string, number | null> = {};
  let cpuAtEnd: ReturnType<typeof process.cpuUsage> | undefined;
  const windowTimers = [
    setTimeout(() => {
      cpuAtStart = process.cpuUsage();
      sampleAtStart = cpuSample(spec.watchPids ?? {});
      lag.enable();
    }, spec.warmupMs),
    setTimeout(() => {
      cpuAtEnd = process.cpuUsage(cpuAtStart);
      sampleAtEnd = cpuSample(spec.watchPids ?? {});
      lag.disable();
    }, spec.warmupMs + spec.durationMs),
  ];

  const runs = spec.workloads.map(async (w) => {
    const calls =
      w.target.kind === "http"
        ? httpCalls(w.target)
        : w.target.client === "connect"
          ? await connectGrpcCalls(w.target)
          : rawGrpcCalls(w.target);
    const tally = new Tally();
    let nextCall = 0;
    const pick = (): Call => calls[nextCall++ % calls.length] as Call;
    const inWindow = (t: number) => t >= windowStart && t < windowEnd;
    const pending = new Set<Promise<void>>();

    const fire = (): Promise<void> => {
      const started = performance.now();
      const counted = inWindow(started);
      if (counted) tally.sent++;
      const p = pick()().then(
        () => (counted ? tally.record(started) : undefined),
        (error: unknown) => (counted ? tally.record(started, error) : undefined),
      );
      return p;
    };

    if (w.rate !== undefined) {
      // Open loop: on each tick, start every call the schedule says is due by now.
      const rate = w.rate;
      let started = 0;
      await new Promise<void>((resolve) => {
        const tick = () => {
          const now = performance.now();
          if (now >= windowEnd) return resolve();
          const due = Math.floor(((now - start) / 1000) * rate);
          for (; started < due; started++) {
            if (pending.size >= MAX_OPEN_IN_FLIGHT) {
              if (inWindow(now)) tally.skipped++;
              continue;
            }
            const p = fire();
            pending.add(p);
            void p.then(() => pending.delete(p));
          }
          setTimeout(tick, 1);
        };
        tick();
      });
    } else {
      const workers = Array.from({ length: w.concurrency ?? 1 }, async () => {
        while (performance.now() < windowEnd) await fire();
      });
      await Promise.all(workers);
    }
    await Promise.all(pending);
    const seconds = spec.durationMs / 1000;
    const report: WorkloadReport = {
      name: w.name,
      sent: tally.sent,
      ok: tally.ok,
      errors: tally.errors,
      throughput: Math.round((tally.ok / seconds) * 10) / 10,
      latency: latencies(tally.okMs),
      errorLatency: latencies(tally.errorMs),
      skipped: tally.skipped,
    };
    return report;
  });
  const workloads = await Promise.all(runs);
  for (const timer of windowTimers) clearTimeout(timer);
  // The last calls can finish just before the end-of-window timer fires: sample now then.
  if (cpuAtEnd === undefined) {
    cpuAtEnd = process.cpuUsage(cpuAtStart);
    sampleAtEnd = cpuSample(spec.watchPids ?? {});
  }
  const seconds = spec.durationMs / 1000;
  const used = cpuAtEnd;
  const cpu: Record<string, number> = {};
  for (const [label, before] of Object.entries(sampleAtStart)) {
    const after = sampleAtEnd[label];
    if (before !== null && after !== null && after !== undefined) {
      cpu[label] = Math.round(((after - before) / seconds) * 100) / 100;
    }
  }
  return {
    windowMs: spec.durationMs,
    workloads,
    generator: {
      cpuCores: Math.round(((used.user + used.system) / 1e6 / seconds) * 100) / 100,
      eventLoopDelayP99Ms: Math.round(lag.percentile(99) / 1e4) / 100,
    },
    cpu,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const spec = JSON.parse(process.argv[2] ?? "{}") as LoadSpec;
  const report = await runLoad(spec);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  // HTTP/2 sessions and keep-alive sockets would keep the process alive.
  process.exit(0);
}
