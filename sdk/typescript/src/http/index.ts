/**
 * @userharbor/sdk/http: the framework-independent part of the integrations
 * (cookies, CSRF, ClientContext, problems, login and logout). The Express and
 * Fastify adapters are thin layers over `createIntegration`; another framework's
 * adapter can be too.
 */
export { bindAssertion, boundAssertion } from "./assertion-cookie.js";
export { BearerAssertions } from "./bearer-assertions.js";
export {
  type ClientContextInit,
  clientContextOf,
  plainIp,
  USER_AGENT_MAX,
} from "./client-context.js";
export {
  type CookieKind,
  type CookieNames,
  type CookieOptions,
  CookiePolicy,
  DEV_COOKIE_NAMES,
  DEVICE_COOKIE_MAX_AGE_SEC,
  SECURE_COOKIE_NAMES,
} from "./cookies.js";
export { type CrossSiteFacts, isCrossSiteRefused, isSafeMethod, normalizeOrigin } from "./csrf.js";
export type {
  Answer,
  AuthenticatedUser,
  Authentication,
  IncomingFacts,
  Requirement,
} from "./exchange.js";
export { type Guards, guardsOf, type RouteOptions } from "./guards.js";
export { createIntegration, type Integration } from "./integration.js";
export { LOGIN_BODY_MAX_BYTES, type LoginCredentials, readLoginBody } from "./login-body.js";
export {
  type AccountClient,
  DEFAULT_TIMEOUT_MS,
  type IntegrationOptions,
} from "./options.js";
export {
  type FieldError,
  HttpProblem,
  LOCAL_PROBLEMS,
  problemFromError,
  retryAfterSeconds,
} from "./problems.js";
