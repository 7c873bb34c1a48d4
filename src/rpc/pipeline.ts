import type { DescService } from "@bufbuild/protobuf";
import type { ContextValues, Interceptor } from "@connectrpc/connect";
import { AccountService, file_userharbor_v1_accounts } from "@userharbor/client";
import { file_google_rpc_error_details } from "@userharbor/client/google/rpc/error_details_pb.js";
import { file_grpc_health_v1_health, Health } from "@userharbor/client/grpc/health/v1/health_pb.js";
import * as reflectionV1 from "@userharbor/client/grpc/reflection/v1/reflection_pb.js";
import * as reflectionV1alpha from "@userharbor/client/grpc/reflection/v1alpha/reflection_pb.js";
import {
  AdminService,
  file_userharbor_v1_admin,
} from "@userharbor/client/userharbor/v1/admin_pb.js";
import type { Logger } from "pino";
import type { Accounts } from "../core/accounts.js";
import type { Admin } from "../core/admin.js";
import { AccountError } from "../core/errors.js";
import type { Metrics } from "../observability/metrics.js";
import { accountService } from "./account-service.js";
import { adminService } from "./admin-service.js";
import type { ApiKey } from "./api-key-config.js";
import { requireApiKey } from "./api-keys.js";
import { CallValues } from "./call-values.js";
import { peerAddress } from "./client-context.js";
import { errorMapping } from "./error-mapping.js";
import { type HealthStatus, healthService } from "./health.js";
import { observeRpcs } from "./observe.js";
import { perCaller } from "./per-caller.js";
import { reflectionServices } from "./reflection.js";

export interface RpcDeps {
  /** The flows, their audit lines naming the calling API key (none outside an RPC). */
  accounts: (apiKey: string | undefined) => Accounts;
  admin: (apiKey: string | undefined) => Admin;
  health: HealthStatus;
  requestMaxBytes: number;
  /** Accepted API keys; empty = every caller holds every scope (development). */
  apiKeys: readonly ApiKey[];
  /** Aborted when shutdown begins: ends open Watch streams. */
  shutdownSignal: AbortSignal;
  log: Logger;
  metrics: Metrics;
}

/** One service and its implementation (any subset of its methods). */
export interface ServiceRoute {
  service: DescService;
  impl: object;
}

/**
 * What every call goes through, whichever way it arrives (connect-node's handler or the
 * direct gRPC unary path): the services, and the interceptor chain that carries every
 * cross-cutting rule. A new check (a scope, a quota) is one more interceptor here, and both
 * paths apply it.
 */
export interface CallPipeline {
  services: ServiceRoute[];
  interceptors: Interceptor[];
  readMaxBytes: number;
  shutdownSignal: AbortSignal;
  /** Per-call context values, from the calling connection's address. */
  contextValues(remoteAddress: string): ContextValues;
}

/**
 * Once shutdown begins, account and admin RPCs that still arrive get UNAVAILABLE /
 * SHUTTING_DOWN (retry elsewhere) instead of racing the store's close. Health
 * keeps answering, NOT_SERVING, so load balancers see the drain.
 */
const DRAINED = new Set([AccountService.typeName, AdminService.typeName]);

function refuseWhileDraining(signal: AbortSignal): Interceptor {
  return (next) => (req) => {
    if (signal.aborted && DRAINED.has(req.service.typeName)) {
      throw new AccountError("SHUTTING_DOWN");
    }
    return next(req);
  };
}

/**
 * Successful read-only account calls (a backend checks a session on each of its own
 * requests) log at debug, not info: at the default level their line cost VerifySession
 * ~44% more server CPU. Writes and every failure stay at info; metrics count every call.
 * Matched by name, so a read-only RPC added to the contract is listed here by name too.
 */
const QUIET_ON_SUCCESS = new Set(
  ["VerifySession", "GetCurrentUser", "ListSessions", "GetSessionKeys"].map(
    (method) => `${AccountService.typeName}/${method}`,
  ),
);

export function callPipeline(deps: RpcDeps): CallPipeline {
  // error_details too, so reflection clients can decode the ErrorInfo on failures.
  const reflection = reflectionServices([
    file_userharbor_v1_accounts,
    file_userharbor_v1_admin,
    file_grpc_health_v1_health,
    file_google_rpc_error_details,
  ]);
  return {
    services: [
      {
        service: AccountService,
        impl: perCaller(AccountService, (caller) => accountService(deps.accounts(caller?.name))),
      },
      {
        service: AdminService,
        impl: perCaller(AdminService, (caller) => adminService(deps.admin(caller?.name))),
      },
      { service: Health, impl: healthService(deps.health) },
      { service: reflectionV1.ServerReflection, impl: reflection.v1 },
      { service: reflectionV1alpha.ServerReflection, impl: reflection.v1alpha },
    ],
    interceptors: [
      observeRpcs(deps.log, deps.metrics, (name) => QUIET_ON_SUCCESS.has(name)),
      errorMapping((error) => deps.log.error({ err: error }, "internal error")),
      requireApiKey(deps.apiKeys),
      refuseWhileDraining(deps.shutdownSignal),
    ],
    readMaxBytes: deps.requestMaxBytes,
    shutdownSignal: deps.shutdownSignal,
    contextValues: (remoteAddress) =>
      new CallValues().set(peerAddress, plainAddress(remoteAddress)),
  };
}

/** "::ffff:10.0.0.1" -> "10.0.0.1": one spelling per client for per-IP keys. */
function plainAddress(address: string): string {
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
