"""The test apps of the userharbor.fastapi tests: every guard and handler on one FastAPI app,
and a client that sends cookies only as each test gives them.

No `from __future__ import annotations` here: FastAPI reads the routes' annotations at run
time, and `Depends(uh...)` names a local of build_app."""

from typing import Annotated, Any

import httpx2 as httpx
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient
from userharbor.fastapi import AuthenticatedUser, UserHarbor
from userharbor.v1 import accounts_pb2 as pb


def build_app(uh: UserHarbor) -> FastAPI:
    app = FastAPI()
    uh.install(app)
    app.include_router(uh.auth_router())

    @app.get("/me")
    def me(user: Annotated[AuthenticatedUser, Depends(uh.require_user)]) -> AuthenticatedUser:
        return user

    @app.get("/me/strict")
    def strict(user: Annotated[AuthenticatedUser, Depends(uh.require_user.strict)]) -> AuthenticatedUser:
        return user

    @app.get("/optional")
    def optional(user: Annotated[AuthenticatedUser | None, Depends(uh.optional_user)]) -> dict[str, Any]:
        return {"user": user}

    @app.get("/verified")
    def verified(user: Annotated[AuthenticatedUser, Depends(uh.require_verified_email)]) -> AuthenticatedUser:
        return user

    @app.post("/action")
    async def action(user: Annotated[AuthenticatedUser, Depends(uh.require_user)]) -> dict[str, str]:
        return {"by": user.username}

    @app.get("/own-call")
    def own_call(request: Request) -> dict[str, str]:
        # The app's own call: a `def` route runs in a worker thread; its RpcError is answered
        # by the installed handler.
        user = uh.client.GetCurrentUser(pb.GetCurrentUserRequest(session_token=uh.session_token(request) or "")).user
        return {"username": user.username}

    @app.get("/bug")
    def bug() -> None:
        raise RuntimeError("a bug in the app")

    @app.get("/ping")
    async def ping() -> str:
        return "pong"

    return app


class Client:
    """A TestClient whose cookie jar is emptied before every request: cookies travel only in the
    headers a test gives, so each Set-Cookie can be asserted and nothing is sent behind its back."""

    def __init__(self, uh: UserHarbor, **options: Any) -> None:
        self.uh = uh
        self.http = TestClient(build_app(uh), raise_server_exceptions=False, **options)

    def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        self.http.cookies.clear()
        return self.http.request(method, path, headers=headers or {}, **kwargs)

    def login(self, username: str, password: str, headers: dict[str, str] | None = None) -> httpx.Response:
        return self.request("POST", "/login", json={"username": username, "password": password}, headers=headers)


def set_cookies(response: httpx.Response) -> dict[str, str]:
    """name -> the whole Set-Cookie value, for each cookie the response set."""
    return {raw.split("=", 1)[0]: raw for raw in response.headers.get_list("set-cookie")}


def value_of(set_cookie: str) -> str:
    return set_cookie.split(";", 1)[0].split("=", 1)[1]


def cookie_header(**cookies: str) -> dict[str, str]:
    return {"cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())}
