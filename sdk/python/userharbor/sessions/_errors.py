"""Why an assertion was refused: one exception class per reason, under SessionAssertionError."""

from __future__ import annotations

from typing import ClassVar, Literal

Code = Literal["expired", "bad_signature", "unknown_key", "wrong_issuer", "wrong_audience", "malformed"]


class SessionAssertionError(Exception):
    """An assertion this verifier will not vouch for; ``code`` says why (a stable string).

    ``check()`` treats it as "ask the server"; ``verify()`` callers decide (usually: 401,
    or call VerifySession).
    """

    code: ClassVar[Code]


class ExpiredAssertionError(SessionAssertionError):
    """``exp`` has passed, beyond the leeway."""

    code = "expired"


class BadSignatureError(SessionAssertionError):
    """The signature does not match the named key (tampered header or payload, another key)."""

    code = "bad_signature"


class UnknownKeyError(SessionAssertionError):
    """No published key has the ``kid``, even after a refetch."""

    code = "unknown_key"


class WrongIssuerError(SessionAssertionError):
    """``iss`` is not the configured issuer."""

    code = "wrong_issuer"


class WrongAudienceError(SessionAssertionError):
    """``aud`` is missing or not the configured audience (when one is required)."""

    code = "wrong_audience"


class MalformedAssertionError(SessionAssertionError):
    """Not a compact JWS, ``alg`` not EdDSA, no ``kid``, or a required claim missing or mistyped."""

    code = "malformed"


class KeySetUnavailableError(Exception):
    """The key set could not be fetched and no earlier copy is held: nothing is known about
    the assertion. ``check()`` asks the server instead."""
