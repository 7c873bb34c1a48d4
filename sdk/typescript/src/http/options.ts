import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AccountService } from "@userharbor/client";
import { httpKeyFetcher } from "../key-cache.js";
import { createSessionVerifier, type SessionVerifier } from "../verifier.js";
import { type CookieOptions, CookiePolicy } from "./cookies.js";
import { normalizeOrigin } from "./csrf.js";

export type AccountClient = Client<typeof AccountService>;

/** Everything an integration (Express, Fastify) is configured with. */
export interface IntegrationOptions extends CookieOptions {
  /** UserHarbor's URL, like `http://127.0.0.1:50051` (called over gRPC, HTTP/2). Required. */
  url: string | undefined;
  /**
   * This backend's API key, sent as `authorization: Bearer`; empty or unset sends none.
   * It needs the `client-ip` scope for the end user's IP to count (else UserHarbor
   * counts this backend's own address).
   */
  apiKey?: string | undefined;
  /** Deadline of every call to UserHarbor (and of the key set fetch), in ms: 100 to 60 000. Default 2000. */
  timeoutMs?: number;
  /** The `iss` assertions must carry: the server's ASSERTION_ISSUER. Default "userharbor". */
  issuer?: string;
  /** The `aud` to require, when the server sets ASSERTION_AUDIENCE. */
  audience?: string;
  /** Leeway on an assertion's `exp`, 0 to 5 s. Default 5. */
  clockToleranceSec?: number;
  /** Origins besides this app's own that may send unsafe cookie requests (exact, like https://app.example.com). */
  allowedOrigins?: readonly string[];
  /** Bearer tokens whose latest assertion is remembered (LRU). Default 10 000. */
  bearerAssertionsMax?: number;
}

export const DEFAULT_TIMEOUT_MS = 2_000;

/** The options checked, with the parts built from them. */
export interface Settings {
  client: AccountClient;
  verifier: SessionVerifier;
  cookies: CookiePolicy;
  timeoutMs: number;
  allowedOrigins: ReadonlySet<string>;
  bearerAssertionsMax: number;
}

/** Validates the options (a clear TypeError or RangeError at start-up) and builds client and verifier. */
export function settingsFrom(options: IntegrationOptions): Settings {
  const url = options.url?.replace(/\/+$/, "");
  if (!url || !/^https?:\/\/[^/]+$/.test(url)) {
    throw new TypeError(`url must be UserHarbor's http(s)://host:port, got ${String(options.url)}`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(Number.isInteger(timeoutMs) && timeoutMs >= 100 && timeoutMs <= 60_000)) {
    throw new RangeError("timeoutMs must be a whole number from 100 to 60000");
  }
  const allowedOrigins = new Set<string>();
  for (const origin of options.allowedOrigins ?? []) {
    const normal = normalizeOrigin(origin);
    if (normal === undefined || normal !== origin.replace(/\/$/, "").toLowerCase()) {
      throw new TypeError(
        `allowedOrigins: ${origin} is not an exact origin like https://host:port`,
      );
    }
    allowedOrigins.add(normal);
  }
  const apiKey = options.apiKey ?? "";
  const withKey: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${apiKey}`);
    return next(req);
  };
  const client = createClient(
    AccountService,
    createGrpcTransport({
      baseUrl: url,
      defaultTimeoutMs: timeoutMs,
      interceptors: apiKey ? [withKey] : [],
    }),
  );
  const verifier = createSessionVerifier({
    fetchKeys: httpKeyFetcher(`${url}/.well-known/jwks.json`, timeoutMs),
    issuer: options.issuer ?? "userharbor",
    ...(options.audience !== undefined && { audience: options.audience }),
    ...(options.clockToleranceSec !== undefined && {
      clockToleranceSec: options.clockToleranceSec,
    }),
    client,
  });
  return {
    client,
    verifier,
    cookies: new CookiePolicy(options),
    timeoutMs,
    allowedOrigins,
    bearerAssertionsMax: options.bearerAssertionsMax ?? 10_000,
  };
}
