import type { DescMethod } from "@bufbuild/protobuf";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import type { Metrics } from "../observability/metrics.js";
import { callerKey } from "./api-keys.js";
import { requestIdFor } from "./request-id.js";
import { hookStream } from "./stream-hooks.js";

/** Code.InvalidArgument -> "INVALID_ARGUMENT", the spelling gRPC tools and dashboards use. */
const STATUS_NAMES = new Map<Code, string>(
  Object.values(Code)
    .filter((v): v is Code => typeof v === "number")
    .map((code) => [code, Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()]),
);
function statusName(code: Code | undefined): string {
  return code === undefined ? "OK" : (STATUS_NAMES.get(code) ?? String(code));
}

/** Which of the three protocols a request came in on, from its content type. */
function protocolOf(header: Headers): "grpc" | "grpc-web" | "connect" {
  const type = header.get("content-type") ?? "";
  if (type.startsWith("application/grpc-web")) return "grpc-web";
  return type.startsWith("application/grpc") ? "grpc" : "connect";
}

interface Series {
  count: { inc(): void };
  latency: { observe(value: number): void };
}

/** One method's log name, level for a success, and metric children by status. */
interface MethodEntry {
  name: string;
  /** A successful call logs at debug: routine reads, on every request of every backend. */
  quiet: boolean;
  byStatus: Map<string, Series>;
}

/**
 * Per method: its log name, log level on success and prom-client's label-bound children by
 * status, looked up once rather than per call (label hashing and the name's string building
 * showed in the hot path's profile). Methods and statuses are finite, so are the maps.
 */
function seriesOf(metrics: Metrics, quietOnSuccess: (name: string) => boolean) {
  const byMethod = new Map<DescMethod, MethodEntry>();
  return {
    entryOf(method: DescMethod): MethodEntry {
      let entry = byMethod.get(method);
      if (!entry) {
        const name = `${method.parent.typeName}/${method.name}`;
        entry = { name, quiet: quietOnSuccess(name), byStatus: new Map() };
        byMethod.set(method, entry);
      }
      return entry;
    },
    sample({ name, byStatus }: MethodEntry, code: string): Series {
      let series = byStatus.get(code);
      if (!series) {
        series = {
          count: metrics.rpcs.labels({ method: name, code }),
          latency: metrics.latency.labels({ method: name }),
        };
        byStatus.set(code, series);
      }
      return series;
    },
  };
}

/**
 * One metric sample and one log line per RPC: method, status, duration,
 * request id (the listener put it in `x-request-id` and echoes it on every answer),
 * and the calling API key's name once authenticated. The line is at info, except for a
 * success of a method `quietOnSuccess` names ("userharbor.v1.AccountService/VerifySession"):
 * those log at debug, and the metrics still count every call.
 * It sits outside the error mapping, so it sees exactly the status the caller
 * gets; it never logs a request or response message.
 */
export function observeRpcs(
  log: Logger,
  metrics: Metrics,
  quietOnSuccess: (name: string) => boolean = () => false,
): Interceptor {
  const series = seriesOf(metrics, quietOnSuccess);
  return (next) => async (req) => {
    const started = performance.now();
    const finish = (error?: unknown) => {
      const code = error === undefined ? undefined : ConnectError.from(error).code;
      const seconds = (performance.now() - started) / 1000;
      const entry = series.entryOf(req.method);
      const status = statusName(code);
      const sample = series.sample(entry, status);
      sample.count.inc();
      sample.latency.observe(seconds);
      const quiet = code === undefined && entry.quiet;
      if (!log.isLevelEnabled(quiet ? "debug" : "info")) return;
      const fields = {
        rpc: entry.name,
        code: status,
        ms: Math.round(seconds * 10_000) / 10,
        requestId: requestIdFor(req.header.get("x-request-id")),
        protocol: protocolOf(req.header),
        apiKey: req.contextValues.get(callerKey)?.name,
      };
      if (quiet) log.debug(fields, "rpc");
      else log.info(fields, "rpc");
    };
    try {
      const res = await next(req);
      if (!res.stream) {
        finish();
        return res;
      }
      return hookStream(res, { onEnd: finish });
    } catch (error) {
      finish(error);
      throw error;
    }
  };
}
