"""UserHarbor sessions for FastAPI: dependencies that protect a route in one line, a router
with login and logout, and exception handlers answering RFC 9457 problem+json.

A thin adapter over the framework-independent core (``userharbor.web``): it reads Starlette's
request (the client address and scheme as Uvicorn's proxy headers, with their trusted list,
left them) and writes its answers. Every call to UserHarbor (the grpcio stubs and the
verifier are synchronous) runs in Starlette's worker threads, with a deadline, so none blocks
the event loop. See sdk/python/README.md.
"""

import json
from functools import cached_property
from typing import Any, Generic, TypeVar, cast

import grpc
from fastapi import APIRouter, FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool
from userharbor.web import (
    LOGIN_BODY_MAX_BYTES,
    PROBLEM_JSON,
    Answer,
    AuthenticatedUser,
    Integration,
    Need,
    Problem,
    RequestFacts,
    problem_from_error,
)

__all__ = ["AuthenticatedUser", "Problem", "SessionGuard", "UserHarbor", "problem_from_error", "problem_response"]

U = TypeVar("U", bound=AuthenticatedUser | None)


class SessionGuard(Generic[U]):
    """A FastAPI dependency: ``Depends(uh.require_user)`` gives the route the user, or raises
    the Problem (401, 403) the installed handler answers. New assertion cookies (or cleared
    ones) go on the route's response. ``.strict`` is the same check asking UserHarbor every
    time (one VerifySession, no local assertion), so a revoked session is refused at once."""

    def __init__(self, integration: Integration, need: Need, *, strict: bool = False) -> None:
        self._integration = integration
        self._need: Need = need
        self._strict = strict
        self._strict_guard: SessionGuard[U] | None = None

    @property
    def strict(self) -> "SessionGuard[U]":
        if self._strict:
            return self
        if self._strict_guard is None:
            self._strict_guard = SessionGuard(self._integration, self._need, strict=True)
        return self._strict_guard

    async def __call__(self, request: Request, response: Response) -> U:
        checked = await run_in_threadpool(
            self._integration.authenticate, facts_of(request), self._need, strict=self._strict
        )
        if checked.refusal is not None:
            raise checked.refusal
        for cookie in checked.set_cookies:
            response.headers.append("set-cookie", cookie)
        return cast(U, checked.user)

    def __repr__(self) -> str:
        return f"SessionGuard({self._need!r}, strict={self._strict})"


class UserHarbor(Integration):
    """The FastAPI integration: ``userharbor.web.Integration`` (configured once, with the same
    keyword arguments; bad values raise ValueError or TypeError at start-up) plus FastAPI's
    dependencies, router and exception handlers::

        uh = UserHarbor(url=os.environ["USERHARBOR_URL"], api_key=os.environ.get("USERHARBOR_API_KEY"))
        uh.install(app)                       # problem+json for refusals and UserHarbor's errors
        app.include_router(uh.auth_router())  # POST /login, POST /logout

        @app.get("/me")
        def me(user: Annotated[AuthenticatedUser, Depends(uh.require_user)]): ...
    """

    @cached_property
    def require_user(self) -> SessionGuard[AuthenticatedUser]:
        """401 problem+json without a valid session; else the user."""
        return SessionGuard(self, "required")

    @cached_property
    def optional_user(self) -> SessionGuard[AuthenticatedUser | None]:
        """The user when signed in, else None; never 401."""
        return SessionGuard(self, "optional")

    @cached_property
    def require_verified_email(self) -> SessionGuard[AuthenticatedUser]:
        """require_user, and 403 EMAIL_NOT_VERIFIED unless the email is verified."""
        return SessionGuard(self, "verified-email")

    def install(self, app: FastAPI) -> None:
        """Answers the guards' refusals (``Problem``) and UserHarbor's errors from the app's own
        calls (``grpc.RpcError``) as problem+json. Other errors stay FastAPI's."""
        app.add_exception_handler(Problem, _handle)
        app.add_exception_handler(grpc.RpcError, _handle)

    def auth_router(self, *, login_path: str = "/login", logout_path: str = "/logout") -> APIRouter:
        """POST ``login_path``: JSON ``{"username", "password"}`` → Login with the ClientContext,
        the three cookies, ``{"user", "expiresAt"}``. POST ``logout_path``: Logout, clearing the
        session and assertion cookies, 204. Both check CSRF and answer failures as problem+json."""
        router = APIRouter()

        async def login(request: Request) -> Response:
            body = await _read_body(request, LOGIN_BODY_MAX_BYTES)
            return answer_response(await run_in_threadpool(self.login, facts_of(request), body))

        async def logout(request: Request) -> Response:
            return answer_response(await run_in_threadpool(self.logout, facts_of(request)))

        problems: dict[int | str, dict[str, Any]] = {
            status: {"content": {PROBLEM_JSON: {}}} for status in (400, 401, 403, 429, 502, 503)
        }
        router.add_api_route(
            login_path,
            login,
            methods=["POST"],
            summary="Sign in: sets the session, assertion and device cookies",
            response_class=Response,
            responses={200: {"content": {"application/json": {}}}, **problems},
            openapi_extra={"requestBody": _LOGIN_BODY_SCHEMA},
        )
        router.add_api_route(
            logout_path,
            logout,
            methods=["POST"],
            status_code=204,
            summary="Sign out: ends the session and clears its cookies",
            response_class=Response,
            responses=problems,
        )
        return router

    def session_token(self, request: Request) -> str | None:
        """The request's session token (bearer, else cookie), for the app's own calls through
        ``client`` (AccountService with the API key and the deadline; synchronous: call it from
        ``def`` routes, which FastAPI runs in worker threads)."""
        return self.session_token_of(facts_of(request))


def facts_of(request: Request) -> RequestFacts:
    """What the core reads from a Starlette request. ``request.client`` and the scheme are what
    Uvicorn's ProxyHeadersMiddleware left: X-Forwarded-For and -Proto only from trusted proxies."""
    client, url = request.client, request.url
    return RequestFacts(
        method=request.method,
        headers=request.headers,
        cookies=request.cookies,
        ip=client.host if client else "",
        origin=f"{url.scheme}://{url.netloc}",
    )


def answer_response(answer: Answer) -> Response:
    """The core's Answer as a Starlette response, every Set-Cookie kept."""
    content = None if answer.body is None else json.dumps(answer.body, separators=(",", ":")).encode()
    response = Response(content=content, status_code=answer.status, headers=dict(answer.headers))
    for cookie in answer.set_cookies:
        response.headers.append("set-cookie", cookie)
    return response


def problem_response(error: Exception) -> Response:
    """A Problem, or UserHarbor's error (``grpc.RpcError``), as a problem+json response; any
    other exception is raised again."""
    problem = problem_from_error(error)
    if problem is None:
        raise error
    return answer_response(problem.answer())


async def _handle(_request: Request, error: Exception) -> Response:
    return problem_response(error)


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None when it is larger than ``limit`` bytes (read no further)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


_LOGIN_BODY_SCHEMA = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["username", "password"],
                "properties": {
                    "username": {"type": "string", "description": "username or email"},
                    "password": {"type": "string", "format": "password"},
                },
            }
        }
    },
}
