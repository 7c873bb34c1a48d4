"""Check UserHarbor sessions in a Python backend without a network hop per request.

Login (and VerifySession with ``issue_assertion``) returns a session assertion: a short-lived
JWS signed with Ed25519 by the service. ``SessionVerifier`` verifies it locally against the
published key set (with PyJWT), caches what it verified, and asks VerifySession only when the
assertion is missing, expired or not verifiable. See README.md.
"""

from ._errors import (
    BadSignatureError,
    Code,
    ExpiredAssertionError,
    KeySetUnavailableError,
    MalformedAssertionError,
    SessionAssertionError,
    UnknownKeyError,
    WrongAudienceError,
    WrongIssuerError,
)
from ._keys import REFETCH_COOLDOWN, KeyFetcher, SessionKeysCaller, http_key_fetcher, rpc_key_fetcher
from ._verifier import (
    MAX_LEEWAY,
    CheckResult,
    SessionClaims,
    SessionVerifier,
    VerifierStats,
    VerifySessionCaller,
)

__all__ = [
    "MAX_LEEWAY",
    "REFETCH_COOLDOWN",
    "BadSignatureError",
    "CheckResult",
    "Code",
    "ExpiredAssertionError",
    "KeyFetcher",
    "KeySetUnavailableError",
    "MalformedAssertionError",
    "SessionAssertionError",
    "SessionClaims",
    "SessionKeysCaller",
    "SessionVerifier",
    "UnknownKeyError",
    "VerifierStats",
    "VerifySessionCaller",
    "WrongAudienceError",
    "WrongIssuerError",
    "http_key_fetcher",
    "rpc_key_fetcher",
]
