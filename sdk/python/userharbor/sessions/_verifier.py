"""SessionVerifier: verify() a session assertion locally, check() a session with the fewest server calls."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol

import jwt
from cachetools import LRUCache
from userharbor.v1 import accounts_pb2

from ._errors import (
    BadSignatureError,
    ExpiredAssertionError,
    KeySetUnavailableError,
    MalformedAssertionError,
    SessionAssertionError,
    UnknownKeyError,
    WrongAudienceError,
    WrongIssuerError,
)
from ._keys import KeyCache, KeyFetcher, http_key_fetcher

MAX_LEEWAY = 5.0
"""The most clock skew (seconds) a verifier forgives on ``exp``."""


@dataclass(frozen=True)
class SessionClaims:
    """Who a valid assertion (or VerifySession) says the caller is."""

    account_id: str
    """``sub``: the account id (User.id), the foreign key for your own records."""
    session_id: str
    """``sid``: the session's public id (ListSessions' Session.id)."""
    username: str
    email_verified: bool
    expires_at: datetime
    """``exp`` (UTC): when the assertion stops being accepted."""


@dataclass(frozen=True)
class CheckResult:
    user: SessionClaims
    assertion: str
    """The assertion to keep for next time (a cookie, a cache): the one given, or a new one."""
    from_server: bool
    """True when VerifySession answered (and issued ``assertion``)."""


@dataclass(frozen=True)
class VerifierStats:
    key_fetches: int
    """Key set fetches started."""
    server_calls: int
    """VerifySession calls made by check()."""
    cache_hits: int
    """verify() answers served from the cache of verified assertions."""
    signature_checks: int


class VerifySessionCaller(Protocol):
    """What check() calls: the VerifySession of an ``AccountServiceStub`` (grpcio), or any
    object with one, e.g. a wrapper adding metadata (the API key), a deadline or a counter."""

    def VerifySession(  # noqa: N802 (the stub's name)
        self,
        request: accounts_pb2.VerifySessionRequest,
        /,
        *,
        timeout: float | None = ...,
        metadata: Sequence[tuple[str, str]] | None = ...,
    ) -> accounts_pb2.VerifySessionResponse: ...


class SessionVerifier:
    """Verifies UserHarbor session assertions. Thread-safe: make one per process.

    :param issuer: the ``iss`` to require (the server's ASSERTION_ISSUER, default "userharbor").
    :param jwks_url: ``<service URL>/.well-known/jwks.json``; or
    :param fetch_keys: any other KeyFetcher, e.g. ``rpc_key_fetcher(stub)``. Exactly one of the two.
    :param audience: the ``aud`` to require, when the server sets ASSERTION_AUDIENCE.
    :param leeway: seconds of clock skew forgiven on ``exp``, 0 to 5.
    :param refresh_interval: age (seconds) at which the held key set is refreshed in the
        background, 30 to 1800.
    :param cache_size: verified assertions kept (least recently used go first), each until its
        ``exp``; 0 turns the cache off.
    :param client: what check() calls (VerifySession), e.g. an ``AccountServiceStub``.
    :param clock: the time in epoch seconds (tests inject one).
    """

    def __init__(
        self,
        *,
        issuer: str,
        jwks_url: str | None = None,
        fetch_keys: KeyFetcher | None = None,
        audience: str | None = None,
        leeway: float = MAX_LEEWAY,
        refresh_interval: float = 600.0,
        cache_size: int = 10_000,
        client: VerifySessionCaller | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if (jwks_url is None) == (fetch_keys is None):
            raise TypeError("SessionVerifier needs exactly one of jwks_url and fetch_keys")
        if not issuer:
            raise TypeError("SessionVerifier needs the issuer")
        if not 0 <= leeway <= MAX_LEEWAY:
            raise ValueError(f"leeway must be 0 to {MAX_LEEWAY:.0f} seconds")
        # Under 30 s would fetch more often than the refetch cooldown allows; over 30 min, a
        # verifier could still hold a set from before the next key was published (it is
        # published one rotation period, at least 1 h, before it signs; caches may add 10 min).
        if not 30 <= refresh_interval <= 1800:
            raise ValueError("refresh_interval must be 30 to 1800 seconds")
        if cache_size < 0:
            raise ValueError("cache_size must be >= 0")
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway
        self._client = client
        self._clock = clock
        self._keys = KeyCache(fetch_keys or http_key_fetcher(jwks_url or ""), refresh_interval, clock)
        self._cache: LRUCache[str, SessionClaims] | None = LRUCache(cache_size) if cache_size else None
        self._lock = threading.Lock()  # the cache and the counters
        self._server_calls = self._cache_hits = self._signature_checks = 0

    @property
    def stats(self) -> VerifierStats:
        with self._lock:
            return VerifierStats(self._keys.fetches, self._server_calls, self._cache_hits, self._signature_checks)

    def verify(self, assertion: str) -> SessionClaims:
        """The claims of a valid assertion.

        :raises SessionAssertionError: one of its subclasses, saying why not (``.code``).
        :raises KeySetUnavailableError: no key set could be fetched yet.
        """
        if self._cache is not None:
            with self._lock:
                hit = self._cache.get(assertion)
                if hit is not None:
                    if self._live(hit):
                        self._cache_hits += 1
                        return hit
                    del self._cache[assertion]
        kid = _kid_of(assertion)
        key = self._keys.key(kid)
        if key is None:
            raise UnknownKeyError(f"no published key has kid {kid}")
        with self._lock:
            self._signature_checks += 1
        try:
            payload = jwt.decode(
                assertion,
                key,
                algorithms=["EdDSA"],
                issuer=self._issuer,
                audience=self._audience,
                # exp is checked below on the injectable clock (PyJWT reads the system clock).
                options={
                    "require": ["iss", "sub", "iat", "exp"],
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                    "verify_aud": self._audience is not None,
                },
            )
        except jwt.PyJWTError as error:
            raise _refusal(error) from error
        claims = _claims_of(payload)
        if not self._live(claims):
            raise ExpiredAssertionError("the assertion has expired")
        if self._cache is not None:
            with self._lock:
                self._cache[assertion] = claims
        return claims

    def check(
        self,
        session_token: str,
        assertion: str | None = None,
        *,
        strict: bool = False,
        timeout: float | None = None,
        metadata: Sequence[tuple[str, str]] | None = None,
    ) -> CheckResult | None:
        """The session's user, or None when the session is not valid (or there is no token).

        Without ``strict``, a valid ``assertion`` answers alone: no network call. Otherwise
        (no assertion, expired, unknown key, forged, key set unreachable) one VerifySession
        with issue_assertion; its new assertion comes back (``from_server=True``) for the
        caller to keep. ``strict=True`` always asks the server, so a revoked session is
        refused at once. ``timeout`` and ``metadata`` go to that call; its errors
        (``grpc.RpcError``) propagate.
        """
        if not strict and assertion:
            try:
                return CheckResult(self.verify(assertion), assertion, from_server=False)
            except (SessionAssertionError, KeySetUnavailableError):
                pass  # expired, unknown, forged or unverifiable: the server decides instead
        if not session_token:
            return None
        if self._client is None:
            raise TypeError("check() needs the client (VerifySession)")
        with self._lock:
            self._server_calls += 1
        answer = self._client.VerifySession(
            accounts_pb2.VerifySessionRequest(session_token=session_token, issue_assertion=True),
            timeout=timeout,
            metadata=metadata,
        )
        if not answer.valid:
            return None
        if not answer.session_assertion:
            raise RuntimeError("VerifySession answered valid without an assertion: is the server older?")
        # Straight from the server over the caller's own channel: trusted like `valid` itself.
        try:
            payload = jwt.decode(answer.session_assertion, options={"verify_signature": False})
        except jwt.PyJWTError as error:
            raise MalformedAssertionError("VerifySession's assertion is not a JWT") from error
        user = _claims_of(payload)
        if self._cache is not None:
            with self._lock:
                self._cache[answer.session_assertion] = user
        return CheckResult(user, answer.session_assertion, from_server=True)

    def _live(self, claims: SessionClaims) -> bool:
        """PyJWT's (and jose's) rule: expired once exp <= now - leeway."""
        return claims.expires_at.timestamp() > self._clock() - self._leeway


def _kid_of(assertion: str) -> str:
    try:
        header = jwt.get_unverified_header(assertion)
    except jwt.PyJWTError as error:
        raise MalformedAssertionError("not a compact JWS") from error
    if header.get("alg") != "EdDSA":
        raise MalformedAssertionError(f"alg {header.get('alg')!r} is not EdDSA")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise MalformedAssertionError("no kid in the header")
    return kid


def _refusal(error: jwt.PyJWTError) -> SessionAssertionError:
    """PyJWT's refusal as the SessionAssertionError subclass with a stable code."""
    if isinstance(error, jwt.InvalidSignatureError):  # before DecodeError: it is one
        return BadSignatureError("the signature does not match")
    if isinstance(error, jwt.InvalidIssuerError) or (
        isinstance(error, jwt.MissingRequiredClaimError) and error.claim == "iss"
    ):
        return WrongIssuerError("unexpected iss")
    if isinstance(error, jwt.InvalidAudienceError) or (
        isinstance(error, jwt.MissingRequiredClaimError) and error.claim == "aud"
    ):
        return WrongAudienceError("unexpected aud")
    return MalformedAssertionError(str(error))


def _claims_of(payload: dict[str, Any]) -> SessionClaims:
    """The claims UserHarbor signs; MalformedAssertionError if any is missing or mistyped."""
    sub, sid, username = payload.get("sub"), payload.get("sid"), payload.get("username")
    email_verified, exp = payload.get("email_verified"), payload.get("exp")
    if not (
        isinstance(sub, str)
        and isinstance(sid, str)
        and isinstance(username, str)
        and isinstance(email_verified, bool)
        and isinstance(exp, int)
        and not isinstance(exp, bool)
    ):
        raise MalformedAssertionError("missing or mistyped claims")
    return SessionClaims(sub, sid, username, email_verified, datetime.fromtimestamp(exp, tz=timezone.utc))
