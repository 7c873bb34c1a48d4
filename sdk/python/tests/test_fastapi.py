"""userharbor.fastapi in-process (FastAPI's TestClient) against a real UserHarbor: what the
example app (and so the conformance suite, test/integrations/) does not show: optional_user,
require_verified_email, CSRF on a guarded POST route, the app's own calls, development cookies,
and the client address under Uvicorn's proxy headers with a trusted list."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import grpc
import pytest
from conftest import PASSWORD, Env
from fastapi_app import Client, build_app, cookie_header, set_cookies, value_of
from starlette.testclient import TestClient
from userharbor.fastapi import UserHarbor
from userharbor.v1 import accounts_pb2 as pb
from userharbor.v1 import admin_pb2
from userharbor.v1.admin_pb2_grpc import AdminServiceStub
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

SESSION, ASSERTION, DEVICE = "__Host-uh_session", "__Host-uh_assertion", "__Host-uh_device"


@pytest.fixture
def uh(env: Env) -> Iterator[UserHarbor]:
    integration = UserHarbor(url=env.url)
    yield integration
    integration.close()


@dataclass
class SignedIn:
    username: str
    email: str
    account_id: str
    session: str
    assertion: str

    @property
    def jar(self) -> dict[str, str]:
        return cookie_header(**{SESSION: self.session, ASSERTION: self.assertion})


def register(env: Env) -> tuple[str, str, str]:
    username = f"fa{secrets.token_hex(5)}"
    email = f"{username}@example.com"
    user = env.accounts.Register(pb.RegisterRequest(username=username, email=email, password=PASSWORD)).user
    return username, email, user.id


def sign_in(env: Env, client: Client) -> SignedIn:
    username, email, account_id = register(env)
    reply = client.login(username, PASSWORD)
    assert reply.status_code == 200, reply.text
    cookies = set_cookies(reply)
    return SignedIn(username, email, account_id, value_of(cookies[SESSION]), value_of(cookies[ASSERTION]))


def server_calls(uh: UserHarbor) -> int:
    return uh.verifier.stats.server_calls


def test_login_sets_the_three_cookies_with_their_flags(env: Env, uh: UserHarbor) -> None:
    client = Client(uh)
    username, email, account_id = register(env)
    reply = client.login(username, PASSWORD)
    assert reply.status_code == 200
    assert reply.headers["cache-control"] == "no-store"
    body = reply.json()
    assert body["user"] == {"id": account_id, "username": username, "email": email, "emailVerified": False}
    cookies = set_cookies(reply)
    assert sorted(cookies) == sorted([SESSION, ASSERTION, DEVICE])
    for raw in cookies.values():
        assert raw.split("; ")[1:] == ["HttpOnly", raw.split("; ")[2], "Path=/", "SameSite=Lax", "Secure"]
    assert cookies[DEVICE].split("; ")[2] == "Max-Age=15552000"
    for raw in cookies.values():
        assert value_of(raw) not in reply.text
    me = client.request(
        "GET",
        "/me",
        headers=cookie_header(**{SESSION: value_of(cookies[SESSION]), ASSERTION: value_of(cookies[ASSERTION])}),
    )
    assert (me.status_code, me.json()["account_id"], set_cookies(me)) == (200, account_id, {})


def test_optional_user_anonymous_or_the_user_never_401_and_a_dead_sessions_cookies_cleared(
    env: Env, uh: UserHarbor
) -> None:
    client = Client(uh)
    assert client.request("GET", "/optional").json() == {"user": None}
    user = sign_in(env, client)
    signed = client.request("GET", "/optional", headers=user.jar).json()["user"]
    assert signed == {
        "account_id": user.account_id,
        "session_id": signed["session_id"],
        "username": user.username,
        "email_verified": False,
    }
    env.accounts.Logout(pb.LogoutRequest(session_token=user.session))
    dead = client.request("GET", "/optional", headers=cookie_header(**{SESSION: user.session}))
    assert (dead.status_code, dead.json()) == (200, {"user": None})
    cleared = set_cookies(dead)
    assert sorted(cleared) == [ASSERTION, SESSION]
    assert all(value_of(raw) == "" and "Max-Age=0" in raw for raw in cleared.values())
    refused = client.request("GET", "/me", headers=cookie_header(**{SESSION: user.session}))
    assert (refused.status_code, refused.json()["code"], sorted(set_cookies(refused))) == (
        401,
        "INVALID_SESSION",
        [ASSERTION, SESSION],
    )


def test_require_verified_email_asks_once_before_refusing_and_passes_once_verified(env: Env, uh: UserHarbor) -> None:
    client = Client(uh)
    user = sign_in(env, client)
    before = server_calls(uh)
    refused = client.request("GET", "/verified", headers=user.jar)
    assert (refused.status_code, refused.json()["code"]) == (403, "EMAIL_NOT_VERIFIED")
    assert server_calls(uh) == before + 1  # the assertion may predate a verification
    with grpc.insecure_channel(env.url.removeprefix("http://")) as channel:
        AdminServiceStub(channel).MarkEmailVerified(admin_pb2.MarkEmailVerifiedRequest(account_id=user.account_id))
    passed = client.request("GET", "/verified", headers=user.jar)
    assert (passed.status_code, passed.json()["email_verified"]) == (200, True)
    assert value_of(set_cookies(passed)[ASSERTION]) not in ("", user.assertion)  # the verified one, kept


def test_a_guarded_post_refuses_a_cross_site_cookie_request_before_asking_userharbor(env: Env, uh: UserHarbor) -> None:
    client = Client(uh)
    user = sign_in(env, client)
    cross = {"sec-fetch-site": "cross-site", "origin": "https://evil.example"}
    before = server_calls(uh)
    refused = client.request("POST", "/action", headers={**user.jar, **cross})
    assert (refused.status_code, refused.json()["code"]) == (403, "CROSS_SITE_REQUEST")
    for headers in ({"origin": "null"}, {"origin": "http://testserver.evil.example"}):
        assert client.request("POST", "/action", headers={**user.jar, **headers}).status_code == 403
    assert server_calls(uh) == before
    own = {"sec-fetch-site": "same-origin", "origin": "http://testserver"}
    assert client.request("POST", "/action", headers={**user.jar, **own}).json() == {"by": user.username}
    assert client.request("POST", "/action", headers={**user.jar, "origin": "http://TESTSERVER:80"}).status_code == 200
    bearer = client.request("POST", "/action", headers={"authorization": f"Bearer {user.session}", **cross})
    assert bearer.status_code == 200


def test_allowed_origins_may_send_unsafe_cookie_requests(env: Env) -> None:
    uh = UserHarbor(url=env.url, allowed_origins=["https://partner.example"])
    try:
        client = Client(uh)
        user = sign_in(env, client)
        partner = {"sec-fetch-site": "cross-site", "origin": "https://partner.example"}
        assert client.request("POST", "/action", headers={**user.jar, **partner}).status_code == 200
        assert client.login(user.username, PASSWORD, headers=partner).status_code == 200
    finally:
        uh.close()


def test_bearer_requests_are_checked_locally_after_the_first_call(env: Env, uh: UserHarbor) -> None:
    client = Client(uh)
    user = sign_in(env, client)
    bearer = {"authorization": f"Bearer {user.session}"}
    before = server_calls(uh)
    for _ in range(3):
        reply = client.request("GET", "/me", headers=bearer)
        assert (reply.status_code, set_cookies(reply)) == (200, {})
    assert server_calls(uh) == before + 1
    assert client.request("GET", "/me/strict", headers=bearer).status_code == 200
    assert server_calls(uh) == before + 2


def test_the_apps_own_calls_get_userharbors_errors_as_problems(env: Env, uh: UserHarbor) -> None:
    client = Client(uh)
    dead = client.request("GET", "/own-call", headers={"authorization": f"Bearer uhs_{'C' * 43}"})
    assert dead.status_code == 401
    assert dead.headers["content-type"] == "application/problem+json"
    assert dead.json()["code"] == "INVALID_SESSION"
    assert dead.json()["detail"] == "session is invalid or expired"  # UserHarbor's own words
    user = sign_in(env, client)
    assert client.request("GET", "/own-call", headers=user.jar).json() == {"username": user.username}


def test_development_cookies_drop_secure_and_the_prefix(env: Env) -> None:
    uh = UserHarbor(url=env.url, insecure_dev_cookies=True)
    try:
        client = Client(uh)
        username, _, _ = register(env)
        reply = client.login(username, PASSWORD)
        cookies = set_cookies(reply)
        assert sorted(cookies) == ["uh_assertion", "uh_device", "uh_session"]
        assert all(raw.endswith("Path=/; SameSite=Lax") and "Secure" not in raw for raw in cookies.values())
        me = client.request("GET", "/me", headers=cookie_header(uh_session=value_of(cookies["uh_session"])))
        assert (me.status_code, me.json()["username"]) == (200, username)
        # The secure names mean nothing to it.
        other = client.request("GET", "/me", headers=cookie_header(**{SESSION: value_of(cookies["uh_session"])}))
        assert other.status_code == 401
    finally:
        uh.close()


class TestClientAddress:
    """ClientContext.ip is what Uvicorn's ProxyHeadersMiddleware left: X-Forwarded-For only from a
    trusted proxy (here 10.0.0.0/8); asserted on what UserHarbor stored (ListSessions' ip)."""

    FORWARDED: ClassVar[dict[str, str]] = {"x-forwarded-for": "203.0.113.7", "user-agent": "fastapi-test/1.0"}

    def ip_seen(self, env: Env, uh: UserHarbor, peer: str, trusted: str | None) -> str:
        app = build_app(uh)
        asgi = ProxyHeadersMiddleware(app, trusted_hosts=trusted) if trusted is not None else app
        client = TestClient(asgi, client=(peer, 40000))
        username, _, _ = register(env)
        reply = client.post("/login", json={"username": username, "password": PASSWORD}, headers=self.FORWARDED)
        assert reply.status_code == 200, reply.text
        token = value_of(set_cookies(reply)[SESSION])
        (current,) = [
            s for s in env.accounts.ListSessions(pb.ListSessionsRequest(session_token=token)).sessions if s.current
        ]
        assert current.user_agent == "fastapi-test/1.0"
        return current.ip

    def test_forwarded_for_counts_only_from_a_trusted_proxy(self, env: Env, uh: UserHarbor) -> None:
        assert self.ip_seen(env, uh, "10.1.2.3", "10.0.0.0/8") == "203.0.113.7"
        assert self.ip_seen(env, uh, "192.0.2.50", "10.0.0.0/8") == "192.0.2.50"
        assert self.ip_seen(env, uh, "10.1.2.3", "") == "10.1.2.3"  # trust none
        assert self.ip_seen(env, uh, "10.1.2.3", None) == "10.1.2.3"  # no proxy headers at all
        assert self.ip_seen(env, uh, "::ffff:192.0.2.9", None) == "192.0.2.9"  # a dual-stack socket

    def test_forwarded_proto_decides_the_own_origin_only_from_a_trusted_proxy(self, env: Env, uh: UserHarbor) -> None:
        app = ProxyHeadersMiddleware(build_app(uh), trusted_hosts="10.0.0.0/8")
        headers = {"x-forwarded-proto": "https", "origin": "https://testserver"}
        for peer, status in (("10.1.2.3", 200), ("192.0.2.50", 403)):
            client = Client(uh)
            user = sign_in(env, client)
            behind = TestClient(app, client=(peer, 40000))
            behind.cookies.clear()
            assert behind.post("/action", headers={**user.jar, **headers}).status_code == status, peer


def test_an_assertion_cookie_counts_only_with_the_session_cookie_it_was_issued_with(env: Env, uh: UserHarbor) -> None:
    client = Client(uh)
    owner, other = sign_in(env, client), sign_in(env, client)
    before = server_calls(uh)
    made_up = client.request(
        "GET", "/me", headers=cookie_header(**{SESSION: f"uhs_{'Z' * 43}", ASSERTION: owner.assertion})
    )
    assert (made_up.status_code, server_calls(uh)) == (401, before + 1)
    swapped = client.request(
        "GET", "/me", headers=cookie_header(**{SESSION: other.session, ASSERTION: owner.assertion})
    )
    assert (swapped.json()["username"], server_calls(uh)) == (other.username, before + 2)
    assert client.request("GET", "/me", headers=owner.jar).json()["username"] == owner.username
    assert server_calls(uh) == before + 2  # the owner's own pair: checked locally
