/**
 * The one table of domain errors. Each reason maps to a gRPC status name (the
 * rpc layer turns it into a `Code`) and a caller-safe message. Reasons are the
 * stable, machine-readable part of the contract: add, never rename.
 */
export const ERRORS = {
  INVALID_USERNAME: {
    status: "InvalidArgument",
    message:
      "username must be 3-32 characters of letters, digits, '.', '_' or '-', starting and ending with a letter or digit",
  },
  INVALID_EMAIL: { status: "InvalidArgument", message: "email address is not valid" },
  WEAK_PASSWORD: { status: "InvalidArgument", message: "password does not meet the policy" },
  INVALID_TOKEN: {
    status: "InvalidArgument",
    message: "token is invalid, expired or already used",
  },
  INVALID_CLIENT_CONTEXT: {
    status: "InvalidArgument",
    message: "client.ip must be an IPv4 or IPv6 address",
  },
  INVALID_ACCOUNT_ID: {
    status: "InvalidArgument",
    message: "account id must be a UUID in text form",
  },
  INVALID_PAGE_SIZE: { status: "InvalidArgument", message: "page_size must not be negative" },
  INVALID_PAGE_TOKEN: {
    status: "InvalidArgument",
    message: "page_token was not issued by this service for these filters",
  },
  INVALID_FILTER: {
    status: "InvalidArgument",
    message: "filter time is not a valid timestamp",
  },
  INVALID_CURSOR: {
    status: "InvalidArgument",
    message: "after_cursor was not issued by this service",
  },
  INVALID_EVENT_TYPE: {
    status: "InvalidArgument",
    message: "types names an unknown account event type",
  },
  USERNAME_TAKEN: { status: "AlreadyExists", message: "username is taken" },
  /** Only when confirming an email change: the address was claimed after ChangeEmail was asked. */
  EMAIL_TAKEN: {
    status: "AlreadyExists",
    message: "email address now belongs to another account",
  },
  INVALID_CREDENTIALS: { status: "Unauthenticated", message: "invalid username or password" },
  INVALID_SESSION: { status: "Unauthenticated", message: "session is invalid or expired" },
  INVALID_API_KEY: { status: "Unauthenticated", message: "missing or invalid API key" },
  MISSING_SCOPE: {
    status: "PermissionDenied",
    message: "this API key lacks the scope the RPC needs",
  },
  EMAIL_NOT_VERIFIED: { status: "FailedPrecondition", message: "email address is not verified" },
  /** Only said after a correct password, like EMAIL_NOT_VERIFIED. */
  ACCOUNT_DISABLED: { status: "FailedPrecondition", message: "account is disabled" },
  /** An events cursor whose successors are past retention (or from a reset log): never a silent gap. */
  CURSOR_EXPIRED: {
    status: "OutOfRange",
    message: "events after this cursor are no longer retained; start again from an empty cursor",
  },
  RATE_LIMITED: { status: "ResourceExhausted", message: "too many requests, retry later" },
  OVERLOADED: { status: "ResourceExhausted", message: "server is busy, retry later" },
  REQUEST_TOO_LARGE: { status: "ResourceExhausted", message: "request is too large" },
  SESSION_NOT_FOUND: { status: "NotFound", message: "session not found" },
  /** Admin RPCs: no account has this id. */
  ACCOUNT_NOT_FOUND: { status: "NotFound", message: "account not found" },
  STORE_UNAVAILABLE: { status: "Unavailable", message: "storage is unavailable, retry later" },
  SHUTTING_DOWN: {
    status: "Unavailable",
    message: "server is shutting down, retry on another replica",
  },
} as const satisfies Record<string, { status: StatusName; message: string }>;

/** gRPC status names as spelled by connect's `Code` enum (kept as strings: the core knows no transport). */
export type StatusName =
  | "InvalidArgument"
  | "AlreadyExists"
  | "Unauthenticated"
  | "PermissionDenied"
  | "FailedPrecondition"
  | "OutOfRange"
  | "ResourceExhausted"
  | "NotFound"
  | "Unavailable";

export type Reason = keyof typeof ERRORS;

export interface AccountErrorOptions {
  /** Request field at fault, reported as a BadRequest field violation. */
  field?: string;
  /** Detail for the caller, replacing the table message (never secrets). */
  detail?: string;
  /** How long the caller should wait before retrying (RetryInfo). */
  retryAfterMs?: number;
  cause?: unknown;
}

/** An expected failure with a stable reason; anything else a flow throws is a bug (INTERNAL). */
export class AccountError extends Error {
  readonly reason: Reason;
  readonly field: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(reason: Reason, options: AccountErrorOptions = {}) {
    super(options.detail ?? ERRORS[reason].message, { cause: options.cause });
    this.name = "AccountError";
    this.reason = reason;
    this.field = options.field;
    this.retryAfterMs = options.retryAfterMs;
  }

  get status(): StatusName {
    return ERRORS[this.reason].status;
  }
}
