import { Code, ConnectError } from "@connectrpc/connect";
import {
  BadRequestSchema,
  ErrorInfoSchema,
  RetryInfoSchema,
} from "@userharbor/client/google/rpc/error_details_pb.js";
import { HttpProblem, LOCAL_PROBLEMS, problemFromError } from "@userharbor/sdk/http";
import { describe, expect, it } from "vitest";

/** UserHarbor errors → problem+json, as docs/integrations.md §6 tables them. */

const info = (reason: string, domain = "userharbor.v1") => ({
  desc: ErrorInfoSchema,
  value: { reason, domain },
});
const retry = (seconds: number, nanos = 0) => ({
  desc: RetryInfoSchema,
  value: { retryDelay: { seconds: BigInt(seconds), nanos } },
});
const violation = (field: string, description: string) => ({
  desc: BadRequestSchema,
  value: { fieldViolations: [{ field, description }] },
});
type Detail = ReturnType<typeof info> | ReturnType<typeof retry> | ReturnType<typeof violation>;
const error = (code: Code, message: string, ...details: Detail[]) =>
  new ConnectError(message, code, undefined, details);

const ROWS: [
  name: string,
  error: ConnectError,
  status: number,
  problemCode: string,
  retryAfter?: string,
][] = [
  [
    "wrong password",
    error(Code.Unauthenticated, "invalid username or password", info("INVALID_CREDENTIALS")),
    401,
    "INVALID_CREDENTIALS",
  ],
  [
    "dead session",
    error(Code.Unauthenticated, "session is invalid or expired", info("INVALID_SESSION")),
    401,
    "INVALID_SESSION",
  ],
  [
    "this backend's key refused",
    error(Code.Unauthenticated, "missing or invalid API key", info("INVALID_API_KEY")),
    502,
    "INVALID_API_KEY",
  ],
  [
    "this backend's key lacks a scope",
    error(Code.PermissionDenied, "lacks scope", info("MISSING_SCOPE")),
    502,
    "MISSING_SCOPE",
  ],
  [
    "another permission denial",
    error(Code.PermissionDenied, "no", info("NOT_YOURS")),
    403,
    "NOT_YOURS",
  ],
  [
    "locked out, 29.2 s",
    error(
      Code.ResourceExhausted,
      "too many requests, retry later",
      info("RATE_LIMITED"),
      retry(29, 200_000_000),
    ),
    429,
    "RATE_LIMITED",
    "30",
  ],
  [
    "limited, exactly 30 s",
    error(Code.ResourceExhausted, "too many", info("RATE_LIMITED"), retry(30)),
    429,
    "RATE_LIMITED",
    "30",
  ],
  [
    "limited, 30 s and 1 ns",
    error(Code.ResourceExhausted, "too many", info("RATE_LIMITED"), retry(30, 1)),
    429,
    "RATE_LIMITED",
    "31",
  ],
  [
    "limited, 0.2 s",
    error(Code.ResourceExhausted, "too many", info("RATE_LIMITED"), retry(0, 200_000_000)),
    429,
    "RATE_LIMITED",
    "1",
  ],
  [
    "limited, 0 s",
    error(Code.ResourceExhausted, "too many", info("RATE_LIMITED"), retry(0)),
    429,
    "RATE_LIMITED",
    "1",
  ],
  [
    "overloaded",
    error(Code.ResourceExhausted, "server is busy", info("OVERLOADED"), retry(1)),
    429,
    "OVERLOADED",
    "1",
  ],
  [
    "too large (transport: no details)",
    error(Code.ResourceExhausted, "message too large"),
    429,
    "RESOURCE_EXHAUSTED",
    "1",
  ],
  [
    "weak password",
    error(Code.InvalidArgument, "password does not meet the policy", info("WEAK_PASSWORD")),
    400,
    "WEAK_PASSWORD",
  ],
  [
    "events cursor too old",
    error(Code.OutOfRange, "cursor expired", info("CURSOR_EXPIRED")),
    400,
    "CURSOR_EXPIRED",
  ],
  [
    "unverified email",
    error(Code.FailedPrecondition, "email address is not verified", info("EMAIL_NOT_VERIFIED")),
    403,
    "EMAIL_NOT_VERIFIED",
  ],
  [
    "disabled account",
    error(Code.FailedPrecondition, "account is disabled", info("ACCOUNT_DISABLED")),
    403,
    "ACCOUNT_DISABLED",
  ],
  [
    "username taken",
    error(Code.AlreadyExists, "username is taken", info("USERNAME_TAKEN")),
    409,
    "USERNAME_TAKEN",
  ],
  [
    "unknown session id",
    error(Code.NotFound, "session not found", info("SESSION_NOT_FOUND")),
    404,
    "SESSION_NOT_FOUND",
  ],
  [
    "store down",
    error(Code.Unavailable, "storage is unavailable", info("STORE_UNAVAILABLE"), retry(2)),
    503,
    "STORE_UNAVAILABLE",
    "2",
  ],
  [
    "draining replica",
    error(Code.Unavailable, "shutting down", info("SHUTTING_DOWN")),
    503,
    "SHUTTING_DOWN",
    "1",
  ],
  [
    "unreachable",
    error(Code.Unavailable, "connect ECONNREFUSED 127.0.0.1:1"),
    503,
    "USERHARBOR_UNAVAILABLE",
    "1",
  ],
  [
    "too slow",
    error(Code.DeadlineExceeded, "the operation timed out"),
    503,
    "USERHARBOR_UNAVAILABLE",
    "1",
  ],
  ["internal", error(Code.Internal, "internal error"), 502, "USERHARBOR_ERROR"],
  ["unknown", error(Code.Unknown, "stack at foo.js:1"), 502, "USERHARBOR_ERROR"],
  [
    "unimplemented (an older server)",
    error(Code.Unimplemented, "no such method"),
    502,
    "USERHARBOR_ERROR",
  ],
];

describe("problem+json from UserHarbor's errors", () => {
  it.each(ROWS)("%s → %i %s", (_name, err, status, problemCode, retryAfter) => {
    const answer = problemFromError(err)?.toAnswer();
    expect(answer?.status).toBe(status);
    expect(answer?.headers["content-type"]).toBe("application/problem+json");
    expect(answer?.headers["retry-after"]).toBe(retryAfter);
    expect(answer?.body).toMatchObject({ type: "about:blank", status, code: problemCode });
  });

  it("titles are the HTTP reason phrases", () => {
    const titles = ROWS.map(
      ([, err]) => (problemFromError(err)?.toAnswer().body as { title: string }).title,
    );
    expect(new Set(titles)).toEqual(
      new Set([
        "Unauthorized",
        "Bad Gateway",
        "Forbidden",
        "Too Many Requests",
        "Bad Request",
        "Conflict",
        "Not Found",
        "Service Unavailable",
      ]),
    );
  });

  it("passes UserHarbor's own messages on, never a transport's (addresses, stacks)", () => {
    const detailOf = (err: ConnectError) =>
      (problemFromError(err)?.toAnswer().body as { detail: string }).detail;
    expect(
      detailOf(
        error(Code.Unauthenticated, "invalid username or password", info("INVALID_CREDENTIALS")),
      ),
    ).toBe("invalid username or password");
    for (const [, err] of ROWS.filter(([name]) =>
      ["unreachable", "too slow", "internal", "unknown"].includes(name),
    )) {
      expect(detailOf(err)).not.toContain(err.rawMessage);
    }
    // ErrorInfo of another domain is not UserHarbor's: neither its reason nor its message count.
    const foreign = problemFromError(
      error(Code.InvalidArgument, "secret detail", info("THEIR_REASON", "other.example")),
    );
    expect(foreign?.code).toBe("INVALID_ARGUMENT");
    expect(foreign?.detail).not.toContain("secret detail");
  });

  it("lists BadRequest field violations as errors, and leaves the key out when there are none", () => {
    const answer = problemFromError(
      error(
        Code.InvalidArgument,
        "password does not meet the policy",
        info("WEAK_PASSWORD"),
        violation("password", "too short"),
      ),
    )?.toAnswer();
    expect(answer?.body).toEqual({
      type: "about:blank",
      title: "Bad Request",
      status: 400,
      code: "WEAK_PASSWORD",
      detail: "password does not meet the policy",
      errors: [{ field: "password", description: "too short" }],
    });
    expect(problemFromError(ROWS[0]?.[1])?.toAnswer().body).not.toHaveProperty("errors");
  });

  it("leaves errors that are not UserHarbor's to the framework, and passes its own problems through", () => {
    expect(problemFromError(new Error("a bug"))).toBeUndefined();
    expect(problemFromError("a string")).toBeUndefined();
    const own = LOCAL_PROBLEMS.crossSite();
    expect(problemFromError(own)).toBe(own);
    expect(own).toBeInstanceOf(HttpProblem);
    expect(own.toAnswer(["a=b"])).toMatchObject({
      status: 403,
      setCookies: ["a=b"],
      body: { code: "CROSS_SITE_REQUEST" },
    });
  });
});
