"""Cross-site request refusal (OWASP: verify the origin with standard headers), on top of
SameSite=Lax cookies. Applies to unsafe methods of requests that are not bearer-authenticated:
cookie requests, and the login handler."""

from __future__ import annotations

from collections.abc import Container
from urllib.parse import urlsplit

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_origin(value: str) -> str | None:
    """``scheme://host[:port]`` of ``value`` (lower case, default port dropped), or None if it
    is no http(s) origin (``null``, junk)."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    if ":" in host:  # IPv6, which urlsplit gives without brackets
        host = f"[{host}]"
    return f"{scheme}://{host}" if port in (None, _DEFAULT_PORTS[scheme]) else f"{scheme}://{host}:{port}"


def is_cross_site_refused(
    *,
    method: str,
    sec_fetch_site: str | None,
    origin: str | None,
    own_origin: str,
    allowed_origins: Container[str],
) -> bool:
    """True when the request must be refused as cross-site:

    - safe methods: never;
    - ``Sec-Fetch-Site: same-origin | none``: allowed; any other value (``same-site``,
      ``cross-site``): allowed only from an allowed ``Origin``;
    - no ``Sec-Fetch-Site``: an ``Origin`` must be allowed; none at all (non-browser clients,
      old browsers) is allowed.

    Allowed: the app's own origin and ``allowed_origins`` (normalised).
    """
    if method.upper() in SAFE_METHODS:
        return False
    site = sec_fetch_site.strip().lower() if sec_fetch_site is not None else None
    if site in ("same-origin", "none"):
        return False
    if site is None and origin is None:
        return False
    normal = normalize_origin(origin) if origin is not None else None
    if normal is None:
        return True  # `Origin: null`, or junk
    return normal != normalize_origin(own_origin) and normal not in allowed_origins
