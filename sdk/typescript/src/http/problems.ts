import { STATUS_CODES } from "node:http";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  BadRequestSchema,
  ErrorInfoSchema,
  RetryInfoSchema,
} from "@userharbor/client/google/rpc/error_details_pb.js";
import type { Answer } from "./exchange.js";

/** A field the caller got wrong (BadRequest's field violations, or the login body's). */
export interface FieldError {
  field: string;
  description: string;
}

/**
 * An HTTP answer in RFC 9457 form (`application/problem+json`): the integration's
 * own refusals, and UserHarbor's errors mapped by `problemFromError`.
 */
export class HttpProblem extends Error {
  override readonly name = "HttpProblem";

  constructor(
    readonly status: number,
    /** Stable machine-readable reason: UserHarbor's ErrorInfo reason, or the integration's own. */
    readonly code: string,
    /** Safe for the end user: never a stack, a token or a password. */
    readonly detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly errors: readonly FieldError[] = [],
  ) {
    super(detail);
  }

  /** The answer to send, with any cookies to set on it. */
  toAnswer(setCookies: string[] = []): Answer {
    return {
      status: this.status,
      headers: { ...this.headers, "content-type": "application/problem+json" },
      setCookies,
      body: {
        type: "about:blank",
        title: STATUS_CODES[this.status] ?? "Error",
        status: this.status,
        code: this.code,
        detail: this.detail,
        ...(this.errors.length > 0 && { errors: this.errors }),
      },
    };
  }
}

/** The integration's own answers. */
export const LOCAL_PROBLEMS = {
  invalidSession: () => new HttpProblem(401, "INVALID_SESSION", "Sign in first: no valid session."),
  emailNotVerified: () =>
    new HttpProblem(403, "EMAIL_NOT_VERIFIED", "Verify your email address first."),
  crossSite: () =>
    new HttpProblem(403, "CROSS_SITE_REQUEST", "Refused: this request came from another site."),
  invalidRequest: (detail: string, errors: FieldError[] = []) =>
    new HttpProblem(400, "INVALID_REQUEST", detail, {}, errors),
  /** Login and logout take POST only: a GET that signs in or out would pass no CSRF check. */
  postOnly: () => new HttpProblem(405, "METHOD_NOT_ALLOWED", "Use POST.", { allow: "POST" }),
} as const;

/** Seconds for Retry-After: the RetryInfo delay rounded up, at least 1; 1 without one. */
export function retryAfterSeconds(error: ConnectError): number {
  const delay = error.findDetails(RetryInfoSchema)[0]?.retryDelay;
  if (!delay) return 1;
  return Math.max(1, Math.ceil(Number(delay.seconds) + delay.nanos / 1e9));
}

/** API-key errors concern this backend's own credentials, not its end user. */
const BACKEND_CREDENTIAL_REASONS = new Set(["INVALID_API_KEY", "MISSING_SCOPE"]);

const STATUS_BY_CODE: Partial<Record<Code, number>> = {
  [Code.Unauthenticated]: 401,
  [Code.PermissionDenied]: 403,
  [Code.ResourceExhausted]: 429,
  [Code.InvalidArgument]: 400,
  [Code.OutOfRange]: 400,
  [Code.FailedPrecondition]: 403,
  [Code.AlreadyExists]: 409,
  [Code.NotFound]: 404,
  [Code.Unavailable]: 503,
  [Code.DeadlineExceeded]: 503,
};

/**
 * UserHarbor's error (a ConnectError from any transport) as an HTTP problem:
 * the ErrorInfo reason as `code`, Retry-After from RetryInfo on 429 and 503,
 * BadRequest field violations as `errors`. The detail is UserHarbor's own
 * message only when it carries UserHarbor's ErrorInfo (those are written for
 * callers); transport failures get a fixed sentence, so no address or stack
 * leaks. Anything that is not a ConnectError or HttpProblem: undefined.
 */
export function problemFromError(error: unknown): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if (!(error instanceof ConnectError)) return undefined;
  const info = error.findDetails(ErrorInfoSchema)[0];
  const reason = info?.domain === "userharbor.v1" ? info.reason : "";
  const detail = reason ? error.rawMessage : "";
  if (BACKEND_CREDENTIAL_REASONS.has(reason)) {
    return new HttpProblem(502, reason, "UserHarbor refused this backend's API key.");
  }
  const status = STATUS_BY_CODE[error.code] ?? 502;
  switch (status) {
    case 503:
      return new HttpProblem(
        503,
        reason || "USERHARBOR_UNAVAILABLE",
        detail || "The account service is unavailable; try again shortly.",
        { "retry-after": String(retryAfterSeconds(error)) },
      );
    case 502:
      return new HttpProblem(502, "USERHARBOR_ERROR", "The account service failed.");
    case 429:
      return new HttpProblem(429, reason || "RESOURCE_EXHAUSTED", detail || "Too many requests.", {
        "retry-after": String(retryAfterSeconds(error)),
      });
    default: {
      const violations = error.findDetails(BadRequestSchema)[0]?.fieldViolations ?? [];
      return new HttpProblem(
        status,
        reason || Code[error.code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase(),
        detail || STATUS_CODES[status] || "Error",
        {},
        violations.map(({ field, description }) => ({ field, description })),
      );
    }
  }
}
