"""userharbor.fastapi against UserHarbors that fail: every row of the problem table
(docs/integrations.md §6) from a real gRPC server answering each documented status with its
details, the deadline against a UserHarbor that accepts and never answers, and the event loop
staying free meanwhile."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from concurrent import futures
from typing import Any

import grpc
import httpx2 as httpx
import pytest
from conftest import b64
from fastapi_app import Client, build_app, cookie_header, set_cookies
from google.protobuf import any_pb2, duration_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status
from userharbor.fastapi import UserHarbor
from userharbor.web import bind_assertion
from userharbor.v1 import accounts_pb2_grpc

TOKEN = f"uhs_{'A' * 43}"
C = grpc.StatusCode


def status(
    code: grpc.StatusCode,
    message: str,
    *,
    reason: str | None = None,
    domain: str = "userharbor.v1",
    retry: float | None = None,
    violations: list[tuple[str, str]] | None = None,
) -> status_pb2.Status:
    details = []
    if reason is not None:
        details.append(error_details_pb2.ErrorInfo(domain=domain, reason=reason))
    if retry is not None:
        delay = duration_pb2.Duration(seconds=int(retry), nanos=round((retry % 1) * 1e9))
        details.append(error_details_pb2.RetryInfo(retry_delay=delay))
    if violations:
        details.append(
            error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(field=f, description=d) for f, d in violations
                ]
            )
        )
    packed = []
    for detail in details:
        any_detail = any_pb2.Any()
        any_detail.Pack(detail)
        packed.append(any_detail)
    return status_pb2.Status(code=code.value[0], message=message, details=packed)


class FailingUserHarbor(accounts_pb2_grpc.AccountServiceServicer):
    """AccountService answering every call with ``self.status`` (a google.rpc.Status, as
    UserHarbor sends them: ErrorInfo, RetryInfo, BadRequest in grpc-status-details-bin)."""

    def __init__(self) -> None:
        self.status = status(C.INTERNAL, "unset")
        self.calls: list[str] = []

    def _fail(self, method: str, context: grpc.ServicerContext) -> Any:
        self.calls.append(method)
        context.abort_with_status(rpc_status.to_status(self.status))

    def Login(self, request: Any, context: grpc.ServicerContext) -> Any:  # noqa: N802
        return self._fail("Login", context)

    def Logout(self, request: Any, context: grpc.ServicerContext) -> Any:  # noqa: N802
        return self._fail("Logout", context)

    def VerifySession(self, request: Any, context: grpc.ServicerContext) -> Any:  # noqa: N802
        return self._fail("VerifySession", context)

    def GetCurrentUser(self, request: Any, context: grpc.ServicerContext) -> Any:  # noqa: N802
        return self._fail("GetCurrentUser", context)


@pytest.fixture(scope="module")
def failing() -> Iterator[tuple[FailingUserHarbor, Client]]:
    servicer = FailingUserHarbor()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    accounts_pb2_grpc.add_AccountServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    uh = UserHarbor(url=f"http://127.0.0.1:{port}")
    try:
        yield servicer, Client(uh)
    finally:
        uh.close()
        server.stop(None)


# (status UserHarbor answers) -> (HTTP status, code, detail, Retry-After, errors)
TABLE = [
    (
        status(C.UNAUTHENTICATED, "wrong password", reason="INVALID_CREDENTIALS"),
        401,
        "INVALID_CREDENTIALS",
        "wrong password",
        None,
        None,
    ),
    (
        status(C.UNAUTHENTICATED, "bad key", reason="INVALID_API_KEY"),
        502,
        "INVALID_API_KEY",
        "UserHarbor refused this backend's API key.",
        None,
        None,
    ),
    (
        status(C.PERMISSION_DENIED, "no scope", reason="MISSING_SCOPE"),
        502,
        "MISSING_SCOPE",
        "UserHarbor refused this backend's API key.",
        None,
        None,
    ),
    (status(C.PERMISSION_DENIED, "not yours", reason="NOT_OWNER"), 403, "NOT_OWNER", "not yours", None, None),
    (
        status(C.RESOURCE_EXHAUSTED, "locked", reason="RATE_LIMITED", retry=2.1),
        429,
        "RATE_LIMITED",
        "locked",
        "3",
        None,
    ),
    (status(C.RESOURCE_EXHAUSTED, "busy", reason="OVERLOADED", retry=0.2), 429, "OVERLOADED", "busy", "1", None),
    (status(C.RESOURCE_EXHAUSTED, "grpc says no"), 429, "RESOURCE_EXHAUSTED", "Too many requests.", "1", None),
    (
        status(C.INVALID_ARGUMENT, "bad fields", reason="INVALID_USERNAME", violations=[("username", "too short")]),
        400,
        "INVALID_USERNAME",
        "bad fields",
        None,
        [{"field": "username", "description": "too short"}],
    ),
    (status(C.OUT_OF_RANGE, "too old", reason="CURSOR_EXPIRED"), 400, "CURSOR_EXPIRED", "too old", None, None),
    (
        status(C.FAILED_PRECONDITION, "verify first", reason="EMAIL_NOT_VERIFIED"),
        403,
        "EMAIL_NOT_VERIFIED",
        "verify first",
        None,
        None,
    ),
    (
        status(C.FAILED_PRECONDITION, "disabled", reason="ACCOUNT_DISABLED"),
        403,
        "ACCOUNT_DISABLED",
        "disabled",
        None,
        None,
    ),
    (status(C.ALREADY_EXISTS, "taken", reason="USERNAME_TAKEN"), 409, "USERNAME_TAKEN", "taken", None, None),
    (
        status(C.NOT_FOUND, "no such session", reason="SESSION_NOT_FOUND"),
        404,
        "SESSION_NOT_FOUND",
        "no such session",
        None,
        None,
    ),
    (
        status(C.UNAVAILABLE, "store down", reason="STORE_UNAVAILABLE", retry=5),
        503,
        "STORE_UNAVAILABLE",
        "store down",
        "5",
        None,
    ),
    (
        status(C.UNAVAILABLE, "connect ECONNREFUSED 127.0.0.1:27017"),
        503,
        "USERHARBOR_UNAVAILABLE",
        "The account service is unavailable; try again shortly.",
        "1",
        None,
    ),
    (
        status(C.DEADLINE_EXCEEDED, "deadline"),
        503,
        "USERHARBOR_UNAVAILABLE",
        "The account service is unavailable; try again shortly.",
        "1",
        None,
    ),
    (
        status(C.INTERNAL, "TypeError at store.ts:12"),
        502,
        "USERHARBOR_ERROR",
        "The account service failed.",
        None,
        None,
    ),
    (status(C.UNIMPLEMENTED, "no such method"), 502, "USERHARBOR_ERROR", "The account service failed.", None, None),
    # Another domain's ErrorInfo: its message is not UserHarbor's to show; the code's name instead.
    (
        status(C.INVALID_ARGUMENT, "secret at x.py:3", reason="X", domain="other.v1"),
        400,
        "INVALID_ARGUMENT",
        "Bad Request",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("answer", "http", "code", "detail", "retry_after", "errors"), TABLE)
def test_login_answers_each_userharbor_error_as_its_problem(
    failing: tuple[FailingUserHarbor, Client],
    answer: status_pb2.Status,
    http: int,
    code: str,
    detail: str,
    retry_after: str | None,
    errors: list[dict[str, str]] | None,
) -> None:
    servicer, client = failing
    servicer.status = answer
    reply = client.login("ada", "pw")
    assert reply.status_code == http
    assert reply.headers["content-type"] == "application/problem+json"
    expected = {"type": "about:blank", "title": reply.reason_phrase, "status": http, "code": code, "detail": detail}
    assert reply.json() == ({**expected, "errors": errors} if errors else expected)
    assert reply.headers.get("retry-after") == retry_after
    assert "set-cookie" not in reply.headers


def test_guards_and_the_apps_own_calls_map_errors_alike(failing: tuple[FailingUserHarbor, Client]) -> None:
    servicer, client = failing
    servicer.status = status(C.RESOURCE_EXHAUSTED, "slow down", reason="RATE_LIMITED", retry=7)
    bearer = {"authorization": f"Bearer {TOKEN}"}
    for path in ("/me", "/me/strict", "/optional", "/own-call"):
        servicer.calls.clear()
        reply = client.request("GET", path, headers=bearer)
        assert (reply.status_code, reply.json()["code"], reply.headers["retry-after"]) == (429, "RATE_LIMITED", "7")
        assert servicer.calls == ["GetCurrentUser" if path == "/own-call" else "VerifySession"]
    # An error that is not UserHarbor's stays FastAPI's: a plain 500.
    bug = client.request("GET", "/bug")
    assert bug.status_code == 500
    assert "problem" not in bug.headers["content-type"]


def test_a_failed_logout_keeps_the_cookies_so_the_user_can_retry(failing: tuple[FailingUserHarbor, Client]) -> None:
    servicer, client = failing
    servicer.status = status(C.UNAVAILABLE, "shutting down", reason="SHUTTING_DOWN")
    reply = client.request("POST", "/logout", headers=cookie_header(**{"__Host-uh_session": TOKEN}))
    assert (reply.status_code, reply.json()["code"]) == (503, "SHUTTING_DOWN")
    assert set_cookies(reply) == {}


def test_junk_tokens_cost_no_call(failing: tuple[FailingUserHarbor, Client]) -> None:
    servicer, client = failing
    servicer.calls.clear()
    for junk in ("uhs_", "uhv_" + "A" * 43, "uhs_" + "A" * 501, "uhs_A+B"):
        reply = client.request("GET", "/me/strict", headers={"authorization": f"Bearer {junk}"})
        assert (reply.status_code, reply.json()["code"]) == (401, "INVALID_SESSION")
        assert client.request("POST", "/logout", headers={"authorization": f"Bearer {junk}"}).status_code == 204
    assert servicer.calls == []


@pytest.fixture(scope="module")
def hole() -> Iterator[str]:
    """A UserHarbor that accepts connections and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()


def test_a_slow_userharbor_is_a_503_at_the_deadline_never_a_hang(hole: str) -> None:
    uh = UserHarbor(url=hole, timeout=0.3)
    client = Client(uh)
    token = {"authorization": f"Bearer {TOKEN}"}
    # A cookie with an assertion costs a key set fetch (its own 0.3 s deadline) and then VerifySession.
    assertion = bind_assertion(f"{b64({'alg': 'EdDSA', 'kid': 'k1'})}.{b64({})}.sig", TOKEN)
    with_assertion = cookie_header(**{"__Host-uh_session": TOKEN, "__Host-uh_assertion": assertion})
    cases = [
        ("a check", lambda: client.request("GET", "/me", headers=token)),
        ("a check with an assertion", lambda: client.request("GET", "/me", headers=with_assertion)),
        ("a login", lambda: client.login("ada", "pw")),
        ("a logout", lambda: client.request("POST", "/logout", headers=token)),
    ]
    try:
        for what, call in cases:
            started = time.monotonic()
            reply = call()
            took = time.monotonic() - started
            assert (reply.status_code, reply.json()["code"]) == (503, "USERHARBOR_UNAVAILABLE"), what
            assert int(reply.headers["retry-after"]) >= 1
            assert 0.25 < took < 3, f"{what} took {took:.2f} s"
        assert uh.verifier.stats.key_fetches == 1  # the assertion's, which the hole never answered
    finally:
        uh.close()


def test_waiting_for_userharbor_never_blocks_the_event_loop(hole: str) -> None:
    """While a request waits 1 s for a UserHarbor that never answers, another route of the same
    app (same event loop) answers at once: the call runs in a worker thread."""
    uh = UserHarbor(url=hole, timeout=1.0)
    app = build_app(uh)

    async def race() -> tuple[float, float, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            started = time.monotonic()

            async def timed(path: str, headers: dict[str, str]) -> tuple[float, int]:
                reply = await client.get(path, headers=headers)
                return time.monotonic() - started, reply.status_code

            slow = asyncio.create_task(timed("/me/strict", {"authorization": f"Bearer {TOKEN}"}))
            await asyncio.sleep(0.1)
            ping_at, ping_status = await timed("/ping", {})
            slow_at, slow_status = await slow
            assert ping_status == 200
            return ping_at, slow_at, slow_status

    try:
        ping_at, slow_at, slow_status = asyncio.run(race())
    finally:
        uh.close()
    assert slow_status == 503
    assert slow_at >= 0.9
    assert ping_at < 0.5, f"/ping waited {ping_at:.2f} s behind the UserHarbor call"


def test_malformed_login_bodies_are_400_and_call_nothing(failing: tuple[FailingUserHarbor, Client]) -> None:
    servicer, client = failing
    servicer.calls.clear()
    big = b'{"username": "a", "password": "' + b"x" * 9000 + b'"}'

    def chunked() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        yield big[:4000]
        yield big[4000:]

    bodies: list[dict[str, Any]] = [
        {"content": b'{"username": "a",', "headers": {"content-type": "application/json"}},
        {"content": b'{"username":"a","password":"b"}', "headers": {"content-type": "text/plain"}},
        {"json": {"username": "a"}},
        {"content": big, "headers": {"content-type": "application/json"}},
        {"content": chunked(), "headers": {"content-type": "application/json"}},
        {},
    ]
    for body in bodies:
        reply = client.request("POST", "/login", **body)
        assert reply.status_code == 400, reply.text
        assert reply.headers["content-type"] == "application/problem+json"
        assert reply.json()["code"] == "INVALID_REQUEST"
    assert client.request("POST", "/login", json={"username": "a"}).json()["errors"] == [
        {"field": "password", "description": "a non-empty string is required"}
    ]
    # A cross-site login is refused before its body is even looked at.
    cross = client.request("POST", "/login", content=big, headers={"sec-fetch-site": "cross-site"})
    assert (cross.status_code, cross.json()["code"]) == (403, "CROSS_SITE_REQUEST")
    assert servicer.calls == []
