import { hash, timingSafeEqual } from "node:crypto";
import type { DescMethod } from "@bufbuild/protobuf";
import { createContextKey, type Interceptor } from "@connectrpc/connect";
import { AccountService } from "@userharbor/client";
import { Health } from "@userharbor/client/grpc/health/v1/health_pb.js";
import * as reflectionV1 from "@userharbor/client/grpc/reflection/v1/reflection_pb.js";
import * as reflectionV1alpha from "@userharbor/client/grpc/reflection/v1alpha/reflection_pb.js";
import { AdminService } from "@userharbor/client/userharbor/v1/admin_pb.js";
import { AccountError } from "../core/errors.js";
import { type ApiKey, keyDigest, SCOPES, type Scope } from "./api-key-config.js";

/** The backend a request came from: the key's name (never the key) and what it may do. */
export interface Caller {
  name: string;
  scopes: ReadonlySet<Scope>;
}

/** With no keys configured (development only) every caller holds every scope. */
export const OPEN_CALLER: Caller = { name: "<open>", scopes: new Set(SCOPES) };

/**
 * Who may call each service: `open` (no key: probes), `any-key` (any valid
 * key: reflection), or the scope a key needs. A service missing here is
 * refused, so a new one cannot go live unguarded. Neither of `accounts` and
 * `admin` implies the other.
 */
const SERVICE_ACCESS: Record<string, Scope | "open" | "any-key"> = {
  [Health.typeName]: "open",
  [reflectionV1.ServerReflection.typeName]: "any-key",
  [reflectionV1alpha.ServerReflection.typeName]: "any-key",
  [AccountService.typeName]: "accounts",
  [AdminService.typeName]: "admin",
};

/**
 * Single methods of a keyed service that need no key, listed by their exact
 * descriptors (never by a name pattern, so nothing else can match): each must
 * answer with public data only. GetSessionKeys publishes public keys, which API
 * gateways and JOSE libraries fetch without credentials.
 */
const OPEN_METHODS: ReadonlySet<DescMethod> = new Set([AccountService.method.getSessionKeys]);

/** Whether `method` may be called without an API key (see OPEN_METHODS). */
export function isOpenMethod(method: DescMethod): boolean {
  return OPEN_METHODS.has(method);
}

/** The authenticated caller, for handlers (e.g. whether `client.ip` is believed). Unset = no scopes. */
export const callerKey = createContextKey<Caller | undefined>(undefined, {
  description: "API key caller",
});

/**
 * Who is calling: UNAUTHENTICATED / INVALID_API_KEY for a missing or unknown
 * key; undefined for open services.
 */
export function authenticate(
  keys: readonly ApiKey[],
  service: string,
  authorization: string | null,
): Caller | undefined {
  if (SERVICE_ACCESS[service] === "open") return undefined;
  const caller = keys.length === 0 ? OPEN_CALLER : identify(keys, authorization);
  if (!caller) throw new AccountError("INVALID_API_KEY");
  return caller;
}

/** PERMISSION_DENIED / MISSING_SCOPE unless the caller may use this service. */
export function authorize(service: string, caller: Caller | undefined): void {
  const access = SERVICE_ACCESS[service];
  if (access === "open" || (caller && access === "any-key")) return;
  if (!caller || access === undefined || access === "any-key" || !caller.scopes.has(access)) {
    throw new AccountError("MISSING_SCOPE", {
      detail: access
        ? `this API key lacks the ${access} scope`
        : "no API key may call this service",
    });
  }
}

/**
 * Both checks as an interceptor, for any transport path that runs them. The
 * caller goes into the context values (handlers, the RPC log line, even when
 * refused for scope; per-caller.ts picks the flows whose audit lines name it).
 */
export function requireApiKey(keys: readonly ApiKey[]): Interceptor {
  return (next) => (req) => {
    if (isOpenMethod(req.method)) return next(req); // no caller: nothing to name or scope
    const caller = authenticate(keys, req.service.typeName, req.header.get("authorization"));
    if (caller) req.contextValues.set(callerKey, caller);
    authorize(req.service.typeName, caller);
    return next(req);
  };
}

/**
 * Headers that already proved valid, per key list, by the SHA-256 of the whole
 * header: VerifySession-heavy callers send the same header on every call, and a
 * lookup saves comparing it with every configured key. Only digests are kept,
 * never a key: a heap dump shows no more than the configuration does. Only
 * accepted headers are kept (a hit answers faster only for a header that would
 * be accepted anyway), and at most a few per key.
 */
const accepted = new WeakMap<readonly ApiKey[], Map<string, Caller>>();

function identify(keys: readonly ApiKey[], header: string | null): Caller | undefined {
  if (!header) return undefined;
  let known = accepted.get(keys);
  if (!known) {
    known = new Map<string, Caller>();
    accepted.set(keys, known);
  }
  const digest = hash("sha256", header, "base64");
  const hit = known.get(digest);
  if (hit) return hit;
  const caller = compare(keys, header);
  if (caller && known.size < 4 * keys.length) known.set(digest, caller);
  return caller;
}

/** What the accepted-header cache holds for this key list (tests: no raw key in memory). */
export function acceptedHeaderKeys(keys: readonly ApiKey[]): string[] {
  return [...(accepted.get(keys)?.keys() ?? [])];
}

/**
 * The presented key's digest is compared with every configured one in
 * constant time (no early exit), so timing tells nothing about which key or
 * how much of it matched.
 */
function compare(keys: readonly ApiKey[], header: string): Caller | undefined {
  const presented = /^Bearer (.+)$/i.exec(header)?.[1] ?? "";
  const digest = keyDigest(presented);
  let match: ApiKey | undefined;
  for (const key of keys) if (timingSafeEqual(digest, key.digest)) match ??= key;
  return match && presented !== "" ? { name: match.name, scopes: match.scopes } : undefined;
}
