/**
 * @userharbor/sdk: check UserHarbor sessions in a backend without a network
 * hop per request. See README.md.
 */
export {
  KeySetUnavailableError,
  SessionAssertionError,
  type SessionAssertionErrorCode,
} from "./errors.js";
export {
  httpKeyFetcher,
  type KeyFetcher,
  REFETCH_COOLDOWN_MS,
  rpcKeyFetcher,
} from "./key-cache.js";
export {
  type CallOptionsLike,
  type CheckOptions,
  type CheckResult,
  createSessionVerifier,
  type SessionClaims,
  type SessionVerifier,
  type SessionVerifierOptions,
  type VerifierStats,
  type VerifySessionCaller,
} from "./verifier.js";
