import type { VerifySessionResponse } from "@userharbor/client";
import { decodeJwt, decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from "jose";
import { LRUCache } from "lru-cache";
import { KeySetUnavailableError, SessionAssertionError } from "./errors.js";
import { httpKeyFetcher, KeyCache, type KeyFetcher } from "./key-cache.js";

/** Who a valid assertion (or VerifySession) says the caller is. */
export interface SessionClaims {
  /** `sub`: the account id (User.id), the foreign key for your own records. */
  accountId: string;
  /** `sid`: the session's public id (ListSessions' Session.id). */
  sessionId: string;
  username: string;
  emailVerified: boolean;
  /** `exp`: when the assertion stops being accepted. */
  expiresAt: Date;
}

/** Per-call options `check()` passes on to VerifySession (Connect's CallOptions has them all). */
export interface CallOptionsLike {
  signal?: AbortSignal;
  timeoutMs?: number;
  headers?: ConstructorParameters<typeof Headers>[0];
}

/**
 * What `check()` calls when the assertion will not do: VerifySession with
 * `issue_assertion`. A generated Connect client of AccountService (any
 * transport: Connect, gRPC, gRPC-Web) is one; so is any object with this method,
 * e.g. a wrapper adding a deadline, headers or a call counter.
 */
export interface VerifySessionCaller {
  verifySession(
    request: { sessionToken: string; issueAssertion: boolean },
    options?: CallOptionsLike,
  ): Promise<Pick<VerifySessionResponse, "valid" | "sessionAssertion">>;
}

export interface SessionVerifierOptions {
  /** The service's key set URL: `<service URL>/.well-known/jwks.json`. */
  jwksUrl?: string | URL;
  /** Or any way of getting the key set (rpcKeyFetcher for GetSessionKeys). Exactly one of the two. */
  fetchKeys?: KeyFetcher;
  /** Required `iss` (the server's ASSERTION_ISSUER; its default is "userharbor"). */
  issuer: string;
  /** Required `aud`, when the server sets ASSERTION_AUDIENCE. */
  audience?: string;
  /** Leeway for `exp` against clock skew, in seconds: 0 to 5 (default 5). */
  clockToleranceSec?: number;
  /** How old the held key set may get before a background refresh: 30 s to 30 min (default 10 min). */
  refreshIntervalMs?: number;
  /** Verified assertions kept (least recently used go first); 0 turns the cache off. Default 10 000. */
  cacheMaxEntries?: number;
  /** For check(): VerifySession, e.g. a generated AccountService client. */
  client?: VerifySessionCaller;
  /** The clock, in epoch milliseconds (tests inject one). Default Date.now. */
  now?: () => number;
}

export interface CheckOptions extends CallOptionsLike {
  /** Always ask the server (revocation seen at once), even with a valid assertion. */
  strict?: boolean;
}

export interface CheckResult {
  user: SessionClaims;
  /** The assertion to keep for next time (a cookie, a cache): the one given, or a new one. */
  assertion: string;
  /** True when VerifySession answered (and issued `assertion`); false when the assertion sufficed. */
  fromServer: boolean;
}

/** Counters, for metrics and tests. */
export interface VerifierStats {
  /** Key set fetches started. */
  keyFetches: number;
  /** VerifySession calls made by check(). */
  serverCalls: number;
  /** verify() answers served from the cache of verified assertions. */
  cacheHits: number;
  /** Signatures verified. */
  signatureChecks: number;
}

export interface SessionVerifier {
  /** The claims of a valid assertion, or throws SessionAssertionError (or KeySetUnavailableError). */
  verify(assertion: string): Promise<SessionClaims>;
  /**
   * The session's user: from `assertion` while it is valid (no network), else
   * from one VerifySession with `issue_assertion` (returning the new assertion).
   * Null when the server says the session is not valid (or there is no token).
   */
  check(
    sessionToken: string,
    assertion?: string,
    options?: CheckOptions,
  ): Promise<CheckResult | null>;
  readonly stats: Readonly<VerifierStats>;
}

const DEFAULT_REFRESH_MS = 600_000;
const MAX_TOLERANCE_SEC = 5;

export function createSessionVerifier(options: SessionVerifierOptions): SessionVerifier {
  const settings = validated(options);
  const now = options.now ?? Date.now;
  const keys = new KeyCache(
    options.fetchKeys ?? httpKeyFetcher(options.jwksUrl as string | URL),
    settings.refreshIntervalMs,
    now,
  );
  const cache =
    settings.cacheMaxEntries > 0
      ? new LRUCache<string, SessionClaims>({ max: settings.cacheMaxEntries })
      : undefined;
  const counts = { serverCalls: 0, cacheHits: 0, signatureChecks: 0 };
  const tolerance = settings.clockToleranceSec;
  /** jose's rule: expired once exp <= now - tolerance (whole seconds). */
  const live = (claims: SessionClaims) =>
    claims.expiresAt.getTime() / 1000 > Math.floor(now() / 1000) - tolerance;

  async function verify(assertion: string): Promise<SessionClaims> {
    const hit = cache?.get(assertion);
    if (hit) {
      if (live(hit)) {
        counts.cacheHits++;
        return hit;
      }
      cache?.delete(assertion);
    }
    const kid = kidOf(assertion);
    const { getKey, known } = await keys.forKid(kid);
    if (!known) throw new SessionAssertionError("unknown_key", `no published key has kid ${kid}`);
    counts.signatureChecks++;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(assertion, getKey, {
        algorithms: ["EdDSA"],
        issuer: options.issuer,
        ...(options.audience !== undefined && { audience: options.audience }),
        clockTolerance: tolerance,
        currentDate: new Date(now()),
        requiredClaims: ["iss", "sub", "iat", "exp"],
      }));
    } catch (error) {
      throw refusal(error);
    }
    const claims = claimsOf(payload);
    cache?.set(assertion, claims);
    return claims;
  }

  async function check(
    sessionToken: string,
    assertion?: string,
    { strict = false, ...callOptions }: CheckOptions = {},
  ): Promise<CheckResult | null> {
    if (!strict && assertion) {
      try {
        return { user: await verify(assertion), assertion, fromServer: false };
      } catch (error) {
        // Expired, unknown, forged or unverifiable: the server decides instead.
        if (!(error instanceof SessionAssertionError || error instanceof KeySetUnavailableError))
          throw error;
      }
    }
    if (!sessionToken) return null;
    if (!options.client) throw new TypeError("check() needs the `client` option (VerifySession)");
    counts.serverCalls++;
    const answer = await options.client.verifySession(
      { sessionToken, issueAssertion: true },
      callOptions,
    );
    if (!answer.valid) return null;
    if (!answer.sessionAssertion) {
      throw new Error("VerifySession answered valid without an assertion: is the server older?");
    }
    // Straight from the server over the caller's own channel: trusted like `valid` itself.
    const user = claimsOf(decodeJwt(answer.sessionAssertion));
    cache?.set(answer.sessionAssertion, user);
    return { user, assertion: answer.sessionAssertion, fromServer: true };
  }

  return {
    verify,
    check,
    get stats() {
      return { ...counts, keyFetches: keys.fetches };
    },
  };
}

function validated(options: SessionVerifierOptions) {
  if ((options.jwksUrl === undefined) === (options.fetchKeys === undefined)) {
    throw new TypeError("createSessionVerifier needs exactly one of jwksUrl and fetchKeys");
  }
  if (!options.issuer) throw new TypeError("createSessionVerifier needs the issuer");
  const clockToleranceSec = options.clockToleranceSec ?? MAX_TOLERANCE_SEC;
  if (!(clockToleranceSec >= 0 && clockToleranceSec <= MAX_TOLERANCE_SEC)) {
    throw new RangeError(`clockToleranceSec must be 0 to ${MAX_TOLERANCE_SEC} seconds`);
  }
  const refreshIntervalMs = options.refreshIntervalMs ?? DEFAULT_REFRESH_MS;
  // Under 30 s would fetch more often than the refetch cooldown allows; over 30 min, a
  // verifier could still hold a set from before the next key was published (it is published
  // one rotation period, at least 1 h, before it signs; caches may add 10 min).
  if (!(refreshIntervalMs >= 30_000 && refreshIntervalMs <= 1_800_000)) {
    throw new RangeError("refreshIntervalMs must be 30 s to 30 min");
  }
  const cacheMaxEntries = options.cacheMaxEntries ?? 10_000;
  if (!(Number.isInteger(cacheMaxEntries) && cacheMaxEntries >= 0)) {
    throw new RangeError("cacheMaxEntries must be a whole number >= 0");
  }
  return { clockToleranceSec, refreshIntervalMs, cacheMaxEntries };
}

/** The `kid` of a compact JWS signed EdDSA, or `malformed`. */
function kidOf(assertion: string): string {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch (error) {
    throw new SessionAssertionError("malformed", "not a compact JWS", { cause: error });
  }
  if (header.alg !== "EdDSA") {
    throw new SessionAssertionError("malformed", `alg ${String(header.alg)} is not EdDSA`);
  }
  if (typeof header.kid !== "string" || header.kid === "") {
    throw new SessionAssertionError("malformed", "no kid in the header");
  }
  return header.kid;
}

/** jose's refusal as a SessionAssertionError with a stable code. */
function refusal(error: unknown): SessionAssertionError {
  const because = (code: SessionAssertionError["code"], message: string) =>
    new SessionAssertionError(code, message, { cause: error });
  if (error instanceof errors.JWTExpired) return because("expired", "the assertion has expired");
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return because("bad_signature", "the signature does not match");
  }
  if (error instanceof errors.JWKSNoMatchingKey) return because("unknown_key", "no matching key");
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === "iss") {
    return because("wrong_issuer", "unexpected iss");
  }
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === "aud") {
    return because("wrong_audience", "unexpected aud");
  }
  if (error instanceof errors.JOSEError) return because("malformed", error.message);
  throw error; // not jose's: a bug, not a refusal
}

/** The claims UserHarbor signs, as SessionClaims; `malformed` if any is missing or mistyped. */
function claimsOf(payload: JWTPayload): SessionClaims {
  const { sub, sid, username, email_verified: emailVerified, exp } = payload;
  if (
    typeof sub !== "string" ||
    typeof sid !== "string" ||
    typeof username !== "string" ||
    typeof emailVerified !== "boolean" ||
    typeof exp !== "number"
  ) {
    throw new SessionAssertionError("malformed", "missing or mistyped claims");
  }
  return {
    accountId: sub,
    sessionId: sid,
    username,
    emailVerified,
    expiresAt: new Date(exp * 1000),
  };
}
