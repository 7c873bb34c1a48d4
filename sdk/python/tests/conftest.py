"""Fixtures for tests against a real UserHarbor server.

test/sdk/verifiers.test.ts starts one and runs pytest with UH_SERVER_URL set; without it the
server tests skip. VerifySession and GetSessionKeys calls are counted by a client
interceptor on a real gRPC channel, key fetches by a wrapping KeyFetcher.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import grpc
import pytest
from userharbor.sessions import SessionVerifier, http_key_fetcher
from userharbor.v1 import accounts_pb2 as pb
from userharbor.v1.accounts_pb2_grpc import AccountServiceStub

PASSWORD = "verifier correct horse battery"


class Clock:
    """Real time plus an offset the test moves, like the server's manual clock."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def until(self, epoch_seconds: float) -> float:
        return epoch_seconds - self()


class _Counting(grpc.UnaryUnaryClientInterceptor):  # type: ignore[misc]
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    def intercept_unary_unary(self, continuation: Any, details: Any, request: Any) -> Any:
        self.calls.append(details.method.rsplit("/", 1)[-1])
        return continuation(details, request)


@dataclass
class Session:
    username: str
    token: str
    assertion: str
    account_id: str
    session_id: str


@dataclass
class Env:
    url: str
    accounts: AccountServiceStub
    clock: Clock = field(default_factory=Clock)
    calls: list[str] = field(default_factory=list)
    fetches: int = 0

    def calls_to(self, method: str) -> int:
        return self.calls.count(method)

    def verifier(self, **options: Any) -> SessionVerifier:
        """A verifier on this env's clock whose key fetches are counted."""
        http = http_key_fetcher(f"{self.url}/.well-known/jwks.json")

        def counted() -> Mapping[str, Any]:
            self.fetches += 1
            return http()

        return SessionVerifier(
            **{"issuer": "userharbor", "fetch_keys": counted, "client": self.accounts, "clock": self.clock, **options}
        )

    def new_session(self) -> Session:
        """Registers an account and logs in (the server runs with REQUIRE_VERIFIED_EMAIL=false)."""
        name = f"py{secrets.token_hex(5)}"
        user = self.accounts.Register(
            pb.RegisterRequest(username=name, email=f"{name}@example.com", password=PASSWORD)
        ).user
        login = self.accounts.Login(pb.LoginRequest(username=name, password=PASSWORD))
        (listed,) = self.accounts.ListSessions(pb.ListSessionsRequest(session_token=login.session_token)).sessions
        return Session(name, login.session_token, login.session_assertion, user.id, listed.id)


@pytest.fixture
def env() -> Iterator[Env]:
    url = os.environ.get("UH_SERVER_URL")
    if not url:
        pytest.skip("UH_SERVER_URL is not set: run through test/sdk/verifiers.test.ts")
    calls: list[str] = []
    with grpc.insecure_channel(url.removeprefix("http://")) as channel:
        counted = grpc.intercept_channel(channel, _Counting(calls))
        yield Env(url, AccountServiceStub(counted), calls=calls)


def split(assertion: str) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """An assertion's header, payload and raw parts, to build tampered ones."""
    raw = assertion.split(".")

    def decode(part: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        return data

    return decode(raw[0]), decode(raw[1]), raw


def b64(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def code_of(verify: Callable[[str], object], assertion: str) -> str:
    from userharbor.sessions import SessionAssertionError

    try:
        verify(assertion)
        return "verified"
    except SessionAssertionError as error:
        return error.code
