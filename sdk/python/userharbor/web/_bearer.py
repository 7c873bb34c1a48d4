"""The latest assertion of each bearer token, so API clients are checked locally too."""

from __future__ import annotations

import hashlib
import threading

from cachetools import LRUCache


class BearerAssertions:
    """API clients send only ``Authorization: Bearer <session token>``: no cookie keeps their
    assertion. This map does, keyed by the token's SHA-256 (no raw token in memory), bounded,
    least recently used first out. An assertion is found only by the token it was issued for.
    Thread-safe."""

    def __init__(self, max_entries: int) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ValueError("bearer_assertions_max must be a whole number >= 1")
        self._by_token_hash: LRUCache[bytes, str] = LRUCache(max_entries)
        self._lock = threading.Lock()

    def get(self, session_token: str) -> str | None:
        with self._lock:
            return self._by_token_hash.get(_hash(session_token))

    def set(self, session_token: str, assertion: str) -> None:
        with self._lock:
            self._by_token_hash[_hash(session_token)] = assertion

    def delete(self, session_token: str) -> None:
        with self._lock:
            self._by_token_hash.pop(_hash(session_token), None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._by_token_hash)


def _hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()
