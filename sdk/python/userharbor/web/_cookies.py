"""The integration's three cookies: names, attributes, reading and writing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from http.cookies import CookieError, Morsel
from typing import Literal

CookieKind = Literal["session", "assertion", "device"]
KINDS: tuple[CookieKind, ...] = ("session", "assertion", "device")


@dataclass(frozen=True)
class CookieNames:
    session: str
    assertion: str
    device: str

    def of(self, kind: CookieKind) -> str:
        name: str = getattr(self, kind)
        return name


SECURE_COOKIE_NAMES = CookieNames("__Host-uh_session", "__Host-uh_assertion", "__Host-uh_device")
"""Default names: ``__Host-`` makes browsers insist on Secure, Path=/ and no Domain."""
DEV_COOKIE_NAMES = CookieNames("uh_session", "uh_assertion", "uh_device")
"""Default names under ``insecure_dev_cookies`` (browsers refuse ``__Host-`` cookies without Secure)."""
DEVICE_COOKIE_MAX_AGE = 180 * 24 * 3600
"""The device cookie's lifetime in seconds: UserHarbor's DEVICE_TOKEN_TTL default, 180 days."""

# RFC 6265 cookie-name (a token) and cookie-value octets. Values come from UserHarbor (base64url
# tokens, compact JWS), so they never need quoting.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VALUE = re.compile(r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*")
_PREFIXED = re.compile(r"__(host|secure)-", re.IGNORECASE)


class CookiePolicy:
    """Names and attributes of the integration's cookies: ``HttpOnly; Secure; SameSite=Lax;
    Path=/``, no Domain. Reads them from the request's cookies and writes whole Set-Cookie
    values (with the standard library's ``http.cookies.Morsel``, as Starlette does)."""

    def __init__(
        self,
        *,
        names: Mapping[str, str] | None = None,
        device_max_age: int = DEVICE_COOKIE_MAX_AGE,
        insecure_dev_cookies: bool = False,
    ) -> None:
        self.secure = not insecure_dev_cookies
        defaults = SECURE_COOKIE_NAMES if self.secure else DEV_COOKIE_NAMES
        chosen = dict(names or {})
        unknown = set(chosen) - set(KINDS)
        if unknown:
            raise TypeError(f"cookie_names: unknown cookie kinds {sorted(unknown)} (session, assertion, device)")
        self.names = CookieNames(*(chosen.get(kind, defaults.of(kind)) for kind in KINDS))
        if isinstance(device_max_age, bool) or not isinstance(device_max_age, int) or device_max_age <= 0:
            raise ValueError("device_cookie_max_age must be a whole number of seconds > 0")
        self.device_max_age = device_max_age
        all_names = [self.names.of(kind) for kind in KINDS]
        if len(set(all_names)) != len(all_names):
            raise ValueError("cookie names must differ")
        for name in all_names:
            if not _TOKEN.fullmatch(name):
                raise ValueError(f"cookie {name!r}: not a cookie name (an RFC 6265 token)")
            if not self.secure and _PREFIXED.match(name):
                raise ValueError(f"cookie {name}: browsers refuse that prefix without Secure")

    def read(self, cookies: Mapping[str, str]) -> dict[CookieKind, str]:
        """The integration's cookies among the request's (absent or empty ones left out)."""
        found: dict[CookieKind, str] = {}
        for kind in KINDS:
            value = cookies.get(self.names.of(kind))
            if value:
                found[kind] = value
        return found

    def set(self, kind: CookieKind, value: str, max_age: float) -> str:
        """A Set-Cookie value that stores ``value`` for ``max_age`` seconds (floored, >= 0)."""
        return self._morsel(kind, value, max(0, int(max_age // 1)))

    def clear(self, kind: CookieKind) -> str:
        """A Set-Cookie value that deletes the cookie (same attributes, empty, Max-Age=0)."""
        return self._morsel(kind, "", 0)

    def _morsel(self, kind: CookieKind, value: str, max_age: int) -> str:
        if not _VALUE.fullmatch(value):
            raise ValueError(f"{kind} cookie: the value is not a plain cookie value")
        morsel: Morsel[str] = Morsel()
        try:
            # The value as it is (coded_value too): a plain value needs no quoting, and an empty
            # one must stay empty (`name=`), not become `name=""`.
            morsel.set(self.names.of(kind), value, value)
        except CookieError as error:  # pragma: no cover (names are checked above)
            raise ValueError(str(error)) from error
        morsel["path"] = "/"
        morsel["max-age"] = max_age
        morsel["httponly"] = True
        morsel["secure"] = self.secure
        morsel["samesite"] = "Lax"
        return morsel.OutputString()


def bind_assertion(assertion: str, session_token: str) -> str:
    """The assertion cookie's value: ``<assertion>~<tag>``, the tag being the base64url SHA-256
    of the session token it was issued with. An assertion is a bearer credential for its
    lifetime, bound to no token by its signature; the tag binds the cookie to its session
    cookie, so an assertion cookie that leaked alone cannot be paired with a made-up session
    cookie: without the real token it is ignored and UserHarbor decides."""
    return f"{assertion}~{_tag_of(session_token)}"


def bound_assertion(cookie_value: str | None, session_token: str) -> str | None:
    """The assertion of an assertion cookie, if its tag is this session token's; else None."""
    assertion, tilde, tag = (cookie_value or "").rpartition("~")
    if not tilde or not hmac.compare_digest(tag.encode(), _tag_of(session_token).encode()):
        return None
    return assertion


def _tag_of(session_token: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(session_token.encode()).digest()).rstrip(b"=").decode()
