"""The gRPC channel to UserHarbor: this backend's API key and a default deadline on every call."""

from __future__ import annotations

import re
from collections.abc import Callable
from collections import namedtuple
from typing import Any

import grpc

# A channel that lost UserHarbor retries at most this often, so answers recover within seconds
# of UserHarbor coming back (gRPC's default backoff grows to 120 s).
_CHANNEL_OPTIONS = [("grpc.max_reconnect_backoff_ms", 5_000)]


def parse_url(url: str | None) -> tuple[str, bool]:
    """``(host:port, tls)`` from UserHarbor's ``http(s)://host:port``; ValueError otherwise."""
    match = re.fullmatch(r"(https?)://([^/?#\s]+)/*", url or "")
    if not match:
        raise ValueError(f"url must be UserHarbor's http(s)://host:port, got {url!r}")
    scheme, authority = match.groups()
    tls = scheme == "https"
    has_port = ":" in authority.rsplit("]", 1)[-1]  # past an IPv6 literal's brackets
    return (authority if has_port else f"{authority}:{443 if tls else 80}"), tls


class _CallDetails(
    namedtuple("_CallDetails", ["method", "timeout", "metadata", "credentials", "wait_for_ready", "compression"]),
    grpc.ClientCallDetails,
):
    pass


class _Defaults(grpc.UnaryUnaryClientInterceptor):
    """Adds ``authorization: Bearer <api key>`` (if any) and the default deadline (if the call
    has none) to every unary call."""

    def __init__(self, api_key: str, timeout: float) -> None:
        self._metadata = [("authorization", f"Bearer {api_key}")] if api_key else []
        self._timeout = timeout

    def intercept_unary_unary(self, continuation: Callable[[Any, Any], Any], details: Any, request: Any) -> Any:
        metadata = [*(details.metadata or []), *self._metadata]
        return continuation(
            _CallDetails(
                details.method,
                self._timeout if details.timeout is None else details.timeout,
                metadata,
                details.credentials,
                details.wait_for_ready,
                details.compression,
            ),
            request,
        )


def open_channel(url: str, api_key: str, timeout: float) -> tuple[grpc.Channel, grpc.Channel]:
    """``(raw, with_defaults)``: close the raw channel; call through the other."""
    target, tls = parse_url(url)
    raw = (
        grpc.secure_channel(target, grpc.ssl_channel_credentials(), options=_CHANNEL_OPTIONS)
        if tls
        else grpc.insecure_channel(target, options=_CHANNEL_OPTIONS)
    )
    return raw, grpc.intercept_channel(raw, _Defaults(api_key, timeout))
