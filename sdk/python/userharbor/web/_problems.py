"""UserHarbor's errors, and the integration's own refusals, as RFC 9457 problems."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import grpc
from google.rpc import error_details_pb2  # type: ignore[import-untyped]
from grpc_status import rpc_status

PROBLEM_JSON = "application/problem+json"

ERROR_DOMAIN = "userharbor.v1"
"""ErrorInfo.domain of UserHarbor's own errors: only their messages are shown to end users."""


@dataclass(frozen=True)
class FieldError:
    """A field the caller got wrong (BadRequest's field violations, or the login body's)."""

    field: str
    description: str


@dataclass(frozen=True)
class Answer:
    """A response to send as it is: a problem, a login's JSON, a logout's 204."""

    status: int
    headers: Mapping[str, str]
    """Lower-case names: ``content-type``, ``retry-after``, ``cache-control``."""
    set_cookies: Sequence[str] = ()
    """Whole Set-Cookie values, one per cookie."""
    body: Any = None
    """A JSON value, or None for no body."""


class Problem(Exception):  # noqa: N818 (RFC 9457's name for it)
    """An HTTP answer in RFC 9457 form (``application/problem+json``): the integration's own
    refusals, and UserHarbor's errors mapped by ``problem_from_error``. Raise one from a route
    and the installed exception handler answers it."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        errors: Sequence[FieldError] = (),
        set_cookies: Sequence[str] = (),
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        """Stable machine-readable reason: UserHarbor's ErrorInfo reason, or the integration's own."""
        self.detail = detail
        """Safe for the end user: never a stack, a token or a password."""
        self.headers: Mapping[str, str] = dict(headers or {})
        self.errors = tuple(errors)
        self.set_cookies = tuple(set_cookies)
        """Cookies to set on the refusal (e.g. clearing those of a dead session)."""

    def with_cookies(self, set_cookies: Sequence[str]) -> Problem:
        return Problem(
            self.status, self.code, self.detail, headers=self.headers, errors=self.errors, set_cookies=set_cookies
        )

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": _phrase(self.status),
            "status": self.status,
            "code": self.code,
            "detail": self.detail,
        }
        if self.errors:
            body["errors"] = [{"field": e.field, "description": e.description} for e in self.errors]
        return body

    def answer(self) -> Answer:
        return Answer(self.status, {**self.headers, "content-type": PROBLEM_JSON}, self.set_cookies, self.body())


def invalid_session() -> Problem:
    return Problem(401, "INVALID_SESSION", "Sign in first: no valid session.")


def email_not_verified() -> Problem:
    return Problem(403, "EMAIL_NOT_VERIFIED", "Verify your email address first.")


def cross_site() -> Problem:
    return Problem(403, "CROSS_SITE_REQUEST", "Refused: this request came from another site.")


def invalid_request(detail: str, errors: Sequence[FieldError] = ()) -> Problem:
    return Problem(400, "INVALID_REQUEST", detail, errors=errors)


# API-key errors concern this backend's own credentials, not its end user: 502.
_BACKEND_CREDENTIAL_REASONS = frozenset({"INVALID_API_KEY", "MISSING_SCOPE"})

_STATUS_BY_CODE = {
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.FAILED_PRECONDITION: 403,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 503,
}


def problem_from_error(error: BaseException) -> Problem | None:
    """UserHarbor's error (a ``grpc.RpcError`` from a generated stub) as an HTTP problem: the
    ErrorInfo reason as ``code``, Retry-After from RetryInfo on 429 and 503, BadRequest field
    violations as ``errors``. The detail is UserHarbor's own message only when the error
    carries UserHarbor's ErrorInfo (those are written for callers); transport failures get a
    fixed sentence, so no address or stack leaks. A Problem is returned as it is; anything
    else: None."""
    if isinstance(error, Problem):
        return error
    if not isinstance(error, grpc.RpcError) or not isinstance(error, grpc.Call):
        return None
    code = error.code()
    info, retry, bad_request = _details_of(error)
    reason = info.reason if info is not None and info.domain == ERROR_DOMAIN else ""
    detail = (error.details() or "") if reason else ""
    if reason in _BACKEND_CREDENTIAL_REASONS:
        return Problem(502, reason, "UserHarbor refused this backend's API key.")
    status = _STATUS_BY_CODE.get(code, 502)
    if status == 503:
        return Problem(
            503,
            reason or "USERHARBOR_UNAVAILABLE",
            detail or "The account service is unavailable; try again shortly.",
            headers={"retry-after": str(_retry_after(retry))},
        )
    if status == 502:
        return Problem(502, "USERHARBOR_ERROR", "The account service failed.")
    if status == 429:
        return Problem(
            429,
            reason or "RESOURCE_EXHAUSTED",
            detail or "Too many requests.",
            headers={"retry-after": str(_retry_after(retry))},
        )
    violations = bad_request.field_violations if bad_request is not None else []
    return Problem(
        status,
        reason or code.name,
        detail or _phrase(status),
        errors=[FieldError(v.field, v.description) for v in violations],
    )


def _details_of(
    call: grpc.Call,
) -> tuple[error_details_pb2.ErrorInfo | None, error_details_pb2.RetryInfo | None, error_details_pb2.BadRequest | None]:
    """The first ErrorInfo, RetryInfo and BadRequest of the call's google.rpc.Status, if any."""
    try:
        status = rpc_status.from_call(call)
    except ValueError:  # a grpc-status-details-bin that contradicts the call's own status
        status = None
    found: dict[str, Any] = {}
    for detail in status.details if status is not None else []:
        for kind in (error_details_pb2.ErrorInfo, error_details_pb2.RetryInfo, error_details_pb2.BadRequest):
            name = kind.DESCRIPTOR.full_name
            if name not in found and detail.Is(kind.DESCRIPTOR):
                message = kind()
                detail.Unpack(message)
                found[name] = message
    return (
        found.get(error_details_pb2.ErrorInfo.DESCRIPTOR.full_name),
        found.get(error_details_pb2.RetryInfo.DESCRIPTOR.full_name),
        found.get(error_details_pb2.BadRequest.DESCRIPTOR.full_name),
    )


def _retry_after(retry: error_details_pb2.RetryInfo | None) -> int:
    """Seconds for Retry-After: the RetryInfo delay rounded up, at least 1; 1 without one."""
    if retry is None or not retry.HasField("retry_delay"):
        return 1
    delay = retry.retry_delay
    return max(1, math.ceil(int(delay.seconds) + int(delay.nanos) / 1e9))


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
