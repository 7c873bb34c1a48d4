"""What the integration reads from a request: the facts a framework adapter fills in, the
ClientContext UserHarbor acts for, and the login body."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from userharbor.v1 import accounts_pb2

from ._problems import FieldError, Problem, invalid_request

USER_AGENT_MAX = 512
"""The longest User-Agent passed on (UserHarbor keeps no more)."""
LOGIN_BODY_MAX_BYTES = 8 * 1024
"""The largest login body read: a username or email and a password fit many times over."""


@dataclass(frozen=True)
class RequestFacts:
    """The parts of a request the integration decides on, read by a framework adapter."""

    method: str
    headers: Mapping[str, str]
    """Looked up by lower-case name (the first value, if repeated): Starlette's Headers will do."""
    cookies: Mapping[str, str]
    """The request's cookies, as the framework parsed them."""
    ip: str
    """The client's address from the framework's proxy-aware setting (never a raw X-Forwarded-For)."""
    origin: str
    """``scheme://host[:port]`` the client addressed, from the same proxy-aware setting."""


def plain_ip(ip: str) -> str:
    """The address to send as ClientContext.ip: ``::ffff:192.0.2.1`` (an IPv4 client on a
    dual-stack socket) as ``192.0.2.1``; an IP address as it is; anything else (a Unix socket,
    a test client's name, junk a trusted proxy forwarded) as empty, so UserHarbor counts the
    connection's address instead of refusing the call (INVALID_CLIENT_CONTEXT)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return ip


def client_context_of(facts: RequestFacts, device_token: str = "") -> accounts_pb2.ClientContext:
    """The end user UserHarbor is asked to act for: the framework's proxy-aware client address
    (UserHarbor believes it only from an API key with the ``client-ip`` scope), the User-Agent,
    and the device cookie."""
    return accounts_pb2.ClientContext(
        ip=plain_ip(facts.ip),
        user_agent=(facts.headers.get("user-agent") or "")[:USER_AGENT_MAX],
        device_token=device_token,
    )


_JSON_TYPE = re.compile(r"application/([\w.+-]+\+)?json\s*(;|$)", re.IGNORECASE)


def read_login_body(body: bytes | None, content_type: str | None) -> tuple[str, str] | Problem:
    """``(username, password)`` from ``{"username": ..., "password": ...}`` with a JSON content
    type; ``body`` None means it could not be read (too large). Anything else is a Problem
    (400 INVALID_REQUEST), naming the fields when it is about them."""
    if body is None:
        return invalid_request("Unreadable body.")
    if not _JSON_TYPE.match(content_type or ""):
        return invalid_request("Send JSON (Content-Type: application/json).")
    try:
        value = json.loads(body)
    except ValueError:  # also invalid UTF-8
        return invalid_request("The body is not valid JSON.")
    if not isinstance(value, dict):
        return invalid_request('Send a JSON object {"username": ..., "password": ...}.')
    username, password = value.get("username"), value.get("password")
    errors = [
        FieldError(field, "a non-empty string is required")
        for field, given in (("username", username), ("password", password))
        if not isinstance(given, str) or given == ""
    ]
    if errors:
        return invalid_request("Username and password are required.", errors)
    assert isinstance(username, str) and isinstance(password, str)
    return username, password
