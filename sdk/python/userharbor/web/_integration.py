"""The framework-independent integration: what a framework adapter (FastAPI) calls.

Synchronous, like the grpcio stubs and the verifier it calls: an asyncio adapter runs these
methods in a worker thread, so no call to UserHarbor ever blocks the event loop.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Literal

import grpc
import jwt
from userharbor.sessions import CheckResult, SessionVerifier, http_key_fetcher
from userharbor.v1 import accounts_pb2
from userharbor.v1.accounts_pb2_grpc import AccountServiceStub

from ._bearer import BearerAssertions
from ._channel import open_channel
from ._cookies import DEVICE_COOKIE_MAX_AGE, CookiePolicy, bind_assertion, bound_assertion
from ._csrf import is_cross_site_refused, normalize_origin
from ._problems import Answer, Problem, cross_site, email_not_verified, invalid_session, problem_from_error
from ._requests import RequestFacts, client_context_of, read_login_body

Need = Literal["required", "optional", "verified-email"]
"""Which check a route asks for: ``required`` 401 without a user, ``optional`` anonymous
instead, ``verified-email`` 403 unless the email is verified."""

DEFAULT_TIMEOUT = 2.0
"""Seconds: the deadline of every call to UserHarbor (and of the key set fetch)."""

# Session tokens are `uhs_` + base64url; anything else is refused without asking UserHarbor.
_PLAUSIBLE_TOKEN = re.compile(r"uhs_[A-Za-z0-9_-]{1,500}")
_BEARER = re.compile(r"Bearer +(.*)", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class AuthenticatedUser:
    """The user a valid session belongs to, as route handlers see it. No token is ever on it."""

    account_id: str
    """The account id (User.id, a UUIDv7): the foreign key for your own records."""
    session_id: str
    """The session's public id, as ListSessions shows it."""
    username: str
    email_verified: bool


@dataclass(frozen=True)
class Authentication:
    """What a check decided: ``refusal`` to raise, else go on with ``user`` (None: anonymous)."""

    user: AuthenticatedUser | None = None
    set_cookies: tuple[str, ...] = ()
    refusal: Problem | None = None


@dataclass(frozen=True)
class _Session:
    token: str
    bearer: bool
    assertion: str | None = field(default=None, repr=False)


class Integration:
    """UserHarbor sessions for a web backend, configured once (keyword arguments; bad values
    raise ValueError or TypeError at start-up):

    :param url: UserHarbor, like ``http://127.0.0.1:50051`` (gRPC; the key set from
        ``<url>/.well-known/jwks.json``).
    :param api_key: this backend's key, sent as ``authorization: Bearer``; empty or None sends
        none. It needs the ``client-ip`` scope for the end user's IP to count.
    :param timeout: seconds, 0.1 to 60: the deadline of every call and of the key set fetch.
    :param issuer, audience, leeway: for the verifier (ASSERTION_ISSUER, ASSERTION_AUDIENCE).
    :param allowed_origins: exact origins, besides the app's own, that may send unsafe cookie
        requests.
    :param cookie_names: ``{"session"|"assertion"|"device": name}``, each optional.
    :param device_cookie_max_age: seconds; match the server's DEVICE_TOKEN_TTL.
    :param insecure_dev_cookies: plain-http development only: drops Secure, and the default
        names lose their ``__Host-`` prefix.
    :param bearer_assertions_max: bearer tokens whose latest assertion is remembered (LRU).
    """

    def __init__(
        self,
        *,
        url: str | None,
        api_key: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        issuer: str = "userharbor",
        audience: str | None = None,
        leeway: float = 5.0,
        allowed_origins: Iterable[str] = (),
        cookie_names: Mapping[str, str] | None = None,
        device_cookie_max_age: int = DEVICE_COOKIE_MAX_AGE,
        insecure_dev_cookies: bool = False,
        bearer_assertions_max: int = 10_000,
    ) -> None:
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0.1 <= timeout <= 60:
            raise ValueError("timeout must be 0.1 to 60 seconds")
        self.timeout = float(timeout)
        self.allowed_origins = frozenset(_exact_origin(origin) for origin in allowed_origins)
        self.cookies = CookiePolicy(
            names=cookie_names, device_max_age=device_cookie_max_age, insecure_dev_cookies=insecure_dev_cookies
        )
        self._bearer_assertions = BearerAssertions(bearer_assertions_max)
        self._channel, channel = open_channel(url or "", api_key or "", self.timeout)
        base = (url or "").rstrip("/")
        self.client = AccountServiceStub(channel)  # type: ignore[no-untyped-call]
        """AccountService with this backend's API key and the deadline, for the app's own calls."""
        try:
            self.verifier = SessionVerifier(
                fetch_keys=http_key_fetcher(f"{base}/.well-known/jwks.json", timeout=self.timeout),
                issuer=issuer,
                audience=audience,
                leeway=leeway,
                client=self.client,
            )
        except (TypeError, ValueError):
            self._channel.close()
            raise

    def close(self) -> None:
        """Closes the channel to UserHarbor."""
        self._channel.close()

    def session_token_of(self, facts: RequestFacts) -> str | None:
        """The request's session token (bearer first, else the session cookie), for the app's own calls."""
        session = self._session_of(facts)
        return (session.token or None) if session else None

    def authenticate(self, facts: RequestFacts, need: Need, *, strict: bool = False) -> Authentication:
        """Runs a route's check. Errors that are not UserHarbor's propagate."""
        session = self._session_of(facts)
        if session is None:
            return Authentication() if need == "optional" else Authentication(refusal=invalid_session())
        if not session.bearer and self._cross_site(facts):
            return Authentication(refusal=cross_site())
        try:
            result = self._check(session, strict)
            # The assertion may predate the verification: ask once before refusing.
            if need == "verified-email" and result and not result.user.email_verified and not result.from_server:
                result = self._check(session, True)
        except grpc.RpcError as error:
            problem = problem_from_error(error)
            if problem is None:  # pragma: no cover (every RpcError of a stub maps)
                raise
            return Authentication(refusal=problem)
        if result is None:
            cleared = self._forget(session)
            if need == "optional":
                return Authentication(set_cookies=cleared)
            return Authentication(refusal=invalid_session().with_cookies(cleared))
        kept = self._keep(session, result)
        if need == "verified-email" and not result.user.email_verified:
            return Authentication(refusal=email_not_verified().with_cookies(kept))
        claims = result.user
        user = AuthenticatedUser(claims.account_id, claims.session_id, claims.username, claims.email_verified)
        return Authentication(user=user, set_cookies=kept)

    def login(self, facts: RequestFacts, body: bytes | None) -> Answer:
        """POST login: ``body`` is the raw request body, None if it could not be read (too large)."""
        if self._cross_site(facts):
            return cross_site().answer()
        credentials = read_login_body(body, facts.headers.get("content-type"))
        if isinstance(credentials, Problem):
            return credentials.answer()
        username, password = credentials
        device = self.cookies.read(facts.cookies).get("device", "")
        try:
            answer = self.client.Login(
                accounts_pb2.LoginRequest(
                    username=username, password=password, client=client_context_of(facts, device)
                ),
                timeout=self.timeout,
            )
        except grpc.RpcError as error:
            return _answer_for(error)
        expires_at = (
            answer.expire_time.ToDatetime(tzinfo=timezone.utc)
            if answer.HasField("expire_time")
            else datetime.now(timezone.utc)
        )
        set_cookies = [
            self.cookies.set("session", answer.session_token, expires_at.timestamp() - time.time()),
            self._assertion_cookie(answer.session_assertion, answer.session_token)
            if answer.session_assertion
            else self.cookies.clear("assertion"),
        ]
        # The rotated device token replaces the one sent (UserHarbor retired that one).
        if answer.device_token:
            set_cookies.append(self.cookies.set("device", answer.device_token, self.cookies.device_max_age))
        user = answer.user
        return Answer(
            200,
            {"content-type": "application/json", "cache-control": "no-store"},
            set_cookies,
            {
                "user": {
                    "id": user.id,
                    "username": user.username,
                    "email": user.email,
                    "emailVerified": user.email_verified,
                },
                "expiresAt": expires_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            },
        )

    def logout(self, facts: RequestFacts) -> Answer:
        """POST logout: 204 (idempotent), clearing the session and assertion cookies."""
        session = self._session_of(facts)
        if not (session and session.bearer) and self._cross_site(facts):
            return cross_site().answer()
        if session and _PLAUSIBLE_TOKEN.fullmatch(session.token):
            try:
                self.client.Logout(accounts_pb2.LogoutRequest(session_token=session.token), timeout=self.timeout)
            except grpc.RpcError as error:
                return _answer_for(error)  # cookies kept: the session still lives, so a retry can end it
        if session and session.bearer:
            return Answer(204, {}, self._forget(session))
        return Answer(204, {}, (self.cookies.clear("session"), self.cookies.clear("assertion")))

    def _session_of(self, facts: RequestFacts) -> _Session | None:
        bearer = _BEARER.fullmatch(facts.headers.get("authorization") or "")
        if bearer:
            return _Session(bearer.group(1).strip(), bearer=True)
        jar = self.cookies.read(facts.cookies)
        if "session" not in jar:
            return None
        # The assertion counts only with the session cookie it was issued with.
        return _Session(jar["session"], bearer=False, assertion=bound_assertion(jar.get("assertion"), jar["session"]))

    def _cross_site(self, facts: RequestFacts) -> bool:
        return is_cross_site_refused(
            method=facts.method,
            sec_fetch_site=facts.headers.get("sec-fetch-site"),
            origin=facts.headers.get("origin"),
            own_origin=facts.origin,
            allowed_origins=self.allowed_origins,
        )

    def _check(self, session: _Session, strict: bool) -> CheckResult | None:
        """verifier.check, for a token that can be a session token at all."""
        if not _PLAUSIBLE_TOKEN.fullmatch(session.token):
            return None
        assertion = self._bearer_assertions.get(session.token) if session.bearer else session.assertion
        return self.verifier.check(session.token, assertion, strict=strict, timeout=self.timeout)

    def _keep(self, session: _Session, result: CheckResult) -> tuple[str, ...]:
        """Keeps a new assertion: a cookie for cookie requests, the map for bearer ones."""
        if not result.from_server:
            return ()
        if session.bearer:
            self._bearer_assertions.set(session.token, result.assertion)
            return ()
        return (self._assertion_cookie(result.assertion, session.token),)

    def _assertion_cookie(self, assertion: str, session_token: str) -> str:
        """The assertion cookie, bound to its session token, living until the assertion's ``exp``."""
        return self.cookies.set("assertion", bind_assertion(assertion, session_token), _seconds_until_exp(assertion))

    def _forget(self, session: _Session) -> tuple[str, ...]:
        """Forgets a session UserHarbor says is over."""
        if session.bearer:
            self._bearer_assertions.delete(session.token)
            return ()
        return (self.cookies.clear("session"), self.cookies.clear("assertion"))


def _answer_for(error: grpc.RpcError) -> Answer:
    problem = problem_from_error(error)
    if problem is None:  # pragma: no cover (every RpcError of a stub maps)
        raise error
    return problem.answer()


def _exact_origin(origin: str) -> str:
    normal = normalize_origin(origin)
    if normal is None or normal != origin.rstrip("/").lower():
        raise ValueError(f"allowed_origins: {origin} is not an exact origin like https://host:port")
    return normal


def _seconds_until_exp(assertion: str) -> float:
    """Seconds left until the assertion's ``exp`` (it came from UserHarbor over our own channel)."""
    exp = jwt.decode(assertion, options={"verify_signature": False}).get("exp")
    return exp - time.time() if isinstance(exp, (int, float)) else 0.0
