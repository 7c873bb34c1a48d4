"""The key set: fetched once, refreshed on a schedule and for an unknown kid, at most once per 30 s."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from jwt import PyJWK
from jwt.exceptions import PyJWKError
from userharbor.v1 import accounts_pb2

from ._errors import KeySetUnavailableError

KeyFetcher = Callable[[], Mapping[str, Any]]
"""Returns the service's current JWK Set (the parsed JSON of /.well-known/jwks.json)."""

REFETCH_COOLDOWN = 30.0
"""Seconds between two fetches that something asked for (an unknown kid, a scheduled
refresh, a failed fetch being retried), so assertions with garbage kids, or a key server
that is down, cannot make the verifier hammer it."""


def http_key_fetcher(url: str, timeout: float = 5.0) -> KeyFetcher:
    """A KeyFetcher that GETs ``url`` (the service's /.well-known/jwks.json)."""

    def fetch() -> Mapping[str, Any]:
        request = urllib.request.Request(url, headers={"Accept": "application/jwk-set+json, application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the caller's URL)
            document: Mapping[str, Any] = json.load(response)
            return document

    return fetch


class SessionKeysCaller(Protocol):
    """The GetSessionKeys half of ``AccountServiceStub`` (grpcio)."""

    def GetSessionKeys(  # noqa: N802 (the stub's name)
        self, request: accounts_pb2.GetSessionKeysRequest, /
    ) -> accounts_pb2.GetSessionKeysResponse: ...


def rpc_key_fetcher(stub: Any) -> KeyFetcher:
    """A KeyFetcher over GetSessionKeys, for backends that reach UserHarbor only over gRPC.

    ``stub`` is an ``AccountServiceStub`` (or anything with its ``GetSessionKeys``).
    """

    def fetch() -> Mapping[str, Any]:
        response = stub.GetSessionKeys(accounts_pb2.GetSessionKeysRequest())
        document: Mapping[str, Any] = json.loads(response.jwks_json)
        return document

    return fetch


class _Held:
    def __init__(self, keys: dict[str, PyJWK], fetched_at: float) -> None:
        self.keys = keys
        self.fetched_at = fetched_at


class _Fetch:
    """One fetch that every caller arriving meanwhile waits for."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.held: _Held | None = None
        self.error: KeySetUnavailableError | None = None


class KeyCache:
    """The key set, fetched once and then kept: refreshed in a background thread once it is
    ``refresh_interval`` old (verification goes on with the copy held meanwhile), refetched
    at once for a kid it does not hold, every fetch at most once per REFETCH_COOLDOWN.
    Thread-safe; concurrent callers share one fetch."""

    def __init__(self, fetch: KeyFetcher, refresh_interval: float, clock: Callable[[], float]) -> None:
        self._fetch = fetch
        self._refresh_interval = refresh_interval
        self._clock = clock
        self._lock = threading.Lock()
        self._held: _Held | None = None
        self._in_flight: _Fetch | None = None
        self._last_attempt: float | None = None
        self.fetches = 0

    def key(self, kid: str) -> PyJWK | None:
        """The key named ``kid``, or None when the set (after any refetch allowed) has none.

        Raises KeySetUnavailableError when no set could be fetched yet."""
        run: _Fetch | None = None
        with self._lock:
            held, wait = self._held, self._in_flight
            if held is None:
                if wait is None:
                    if not self._may_fetch():
                        raise KeySetUnavailableError(
                            f"the last key set fetch failed; retrying after {REFETCH_COOLDOWN:.0f} s"
                        )
                    wait = run = self._start()
            elif kid not in held.keys:
                # A key the set did not have when fetched may have been published since.
                if wait is None and self._may_fetch():
                    wait = run = self._start()
            else:
                wait = None
                if self._clock() - held.fetched_at >= self._refresh_interval and self._in_flight is None and self._may_fetch():
                    background = self._start()
                    threading.Thread(target=self._run, args=(background,), daemon=True).start()
        if run is not None:
            self._run(run)
        if wait is None:
            return held.keys.get(kid) if held else None
        wait.done.wait()
        if wait.held is not None:
            return wait.held.keys.get(kid)
        if held is None:
            assert wait.error is not None
            raise wait.error
        return held.keys.get(kid)  # keep using what we had

    def _may_fetch(self) -> bool:
        return self._last_attempt is None or self._clock() - self._last_attempt >= REFETCH_COOLDOWN

    def _start(self) -> _Fetch:
        """Claims the next fetch; the lock must be held."""
        self._last_attempt = self._clock()
        self.fetches += 1
        self._in_flight = _Fetch()
        return self._in_flight

    def _run(self, call: _Fetch) -> None:
        try:
            call.held = _Held(_ed25519_keys(self._fetch()), self._clock())
        except KeySetUnavailableError as error:
            call.error = error
        except Exception as error:  # noqa: BLE001 (any failure of the fetcher means the same)
            call.error = KeySetUnavailableError(f"fetching the key set failed: {error!r}")
            call.error.__cause__ = error
        finally:  # even on KeyboardInterrupt: nobody may wait for this fetch forever
            if call.held is None and call.error is None:
                call.error = KeySetUnavailableError("fetching the key set was interrupted")
            with self._lock:
                if call.held is not None:
                    self._held = call.held
                self._in_flight = None
            call.done.set()


def _ed25519_keys(document: Mapping[str, Any]) -> dict[str, PyJWK]:
    """The Ed25519 signature keys of a JWK Set, by kid; anything else in it is ignored."""
    keys = document.get("keys") if isinstance(document, Mapping) else None
    if not isinstance(keys, list):
        raise KeySetUnavailableError('the key set is not a JWK Set ({"keys": [...]})')
    usable: dict[str, PyJWK] = {}
    for jwk in keys:
        if not (
            isinstance(jwk, Mapping)
            and jwk.get("kty") == "OKP"
            and jwk.get("crv") == "Ed25519"
            and isinstance(jwk.get("kid"), str)
            and jwk.get("use", "sig") == "sig"
        ):
            continue
        try:
            usable[jwk["kid"]] = PyJWK(dict(jwk), algorithm="EdDSA")
        except PyJWKError:
            continue
    return usable
