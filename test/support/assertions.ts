import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from "jose";
import type { TestServer } from "./test-server.js";

/** What the session assertion tests share: the served key set, local verification, the signature counter. */

/** GET /.well-known/jwks.json over HTTP/1.1: status, the headers that matter, the body. */
export async function fetchKeySet(baseUrl: string, method: "GET" | "HEAD" | "POST" = "GET") {
  const res = await fetch(`${baseUrl}/.well-known/jwks.json`, { method });
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    cacheControl: res.headers.get("cache-control"),
    body: await res.text(),
  };
}

/** The key set as GetSessionKeys returns it. */
export async function servedKeys(t: TestServer): Promise<JSONWebKeySet> {
  return JSON.parse((await t.client("grpc").getSessionKeys({})).jwksJson) as JSONWebKeySet;
}

/** The kids of a key set, in order (previous, current, next period). */
export const kidsOf = (set: JSONWebKeySet) => set.keys.map((k) => k.kid);

/**
 * Verifies `assertion` with jose against `keys` at `now` (no leeway): its claims,
 * or the jose error code that refused it (ERR_JWT_EXPIRED, ERR_JWKS_NO_MATCHING_KEY, ...).
 */
export async function verifyWith(
  keys: JSONWebKeySet,
  assertion: string,
  now: Date,
  options: { issuer?: string; audience?: string } = {},
): Promise<JWTPayload | string> {
  try {
    const { payload } = await jwtVerify(assertion, createLocalJWKSet(keys), {
      currentDate: now,
      issuer: options.issuer ?? "userharbor",
      algorithms: ["EdDSA"],
      ...(options.audience !== undefined && { audience: options.audience }),
    });
    return payload;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

/** userharbor_session_assertions_signed_total, read from the server's /metrics. */
export async function signedCount(t: TestServer): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${t.server.metricsPort}/metrics`)).text();
  const line = /^userharbor_session_assertions_signed_total (\d+)$/m.exec(text);
  if (!line) throw new Error("no userharbor_session_assertions_signed_total in /metrics");
  return Number(line[1]);
}
