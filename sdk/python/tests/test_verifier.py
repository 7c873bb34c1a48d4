"""The Python verifier against a real server: what the server signs verifies; each kind of bad
assertion gets its typed error; key fetches and VerifySession calls are counted."""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import datetime, timezone
from typing import Any

import pytest
from conftest import Clock, Env, b64, code_of, split
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from userharbor.sessions import (
    REFETCH_COOLDOWN,
    BadSignatureError,
    ExpiredAssertionError,
    KeySetUnavailableError,
    SessionAssertionError,
    SessionClaims,
    SessionVerifier,
    WrongAudienceError,
    WrongIssuerError,
    rpc_key_fetcher,
)
from userharbor.v1 import accounts_pb2 as pb

import jwt


class TestVerify:
    def test_returns_the_claims_of_a_server_issued_assertion_fetching_the_key_set_once(self, env: Env) -> None:
        s = env.new_session()
        v = env.verifier()
        exp = split(s.assertion)[1]["exp"]
        assert v.verify(s.assertion) == SessionClaims(
            account_id=s.account_id,
            session_id=s.session_id,
            username=s.username,
            email_verified=False,
            expires_at=datetime.fromtimestamp(exp, tz=timezone.utc),
        )
        v.verify(env.new_session().assertion)
        assert env.fetches == 1

    def test_the_shared_assertion(self, env: Env) -> None:
        """The assertion every language verifies (test/sdk/verifiers.test.ts compares the claims)."""
        assertion, out = os.environ.get("UH_SHARED_ASSERTION"), os.environ.get("UH_SHARED_CLAIMS_OUT")
        if not assertion or not out:
            pytest.skip("UH_SHARED_ASSERTION / UH_SHARED_CLAIMS_OUT not set")
        c = env.verifier().verify(assertion)
        with open(out, "w", encoding="utf-8") as file:
            json.dump(
                {
                    "accountId": c.account_id,
                    "sessionId": c.session_id,
                    "username": c.username,
                    "emailVerified": c.email_verified,
                    "expiresAt": int(c.expires_at.timestamp()),
                },
                file,
            )

    def test_works_from_the_url_alone_and_from_get_session_keys(self, env: Env) -> None:
        s = env.new_session()
        by_url = SessionVerifier(jwks_url=f"{env.url}/.well-known/jwks.json", issuer="userharbor")
        by_rpc = SessionVerifier(fetch_keys=rpc_key_fetcher(env.accounts), issuer="userharbor")
        assert by_url.verify(s.assertion).session_id == s.session_id
        assert by_rpc.verify(s.assertion).session_id == s.session_id
        assert env.calls_to("GetSessionKeys") == 1

    def test_refuses_each_kind_of_bad_assertion_with_its_typed_error(self, env: Env) -> None:
        s = env.new_session()
        v = env.verifier()
        header, payload, (raw_header, raw_payload, signature) = split(s.assertion)
        published = json.loads(env.accounts.GetSessionKeys(pb.GetSessionKeysRequest()).jwks_json)
        other_kid = next(k["kid"] for k in published["keys"] if k["kid"] != header["kid"])
        forged = jwt.encode(payload, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": header["kid"]})
        no_kid = {k: value for k, value in header.items() if k != "kid"}

        cases = [
            ("the real one", s.assertion, "verified"),
            ("a tampered payload", f"{raw_header}.{b64({**payload, 'username': 'admin'})}.{signature}", "bad_signature"),
            ("signed by another key under our kid", forged, "bad_signature"),
            ("another published kid", f"{b64({**header, 'kid': other_kid})}.{raw_payload}.{signature}", "bad_signature"),
            ("a kid nobody published", f"{b64({**header, 'kid': 'no-such-key'})}.{raw_payload}.{signature}", "unknown_key"),
            ("alg none", f"{b64({'alg': 'none', 'kid': header['kid']})}.{raw_payload}.", "malformed"),
            ("no kid", f"{b64(no_kid)}.{raw_payload}.{signature}", "malformed"),
            ("not a JWS", "not-a-jws", "malformed"),
            ("empty", "", "malformed"),
            ("three dots of junk", "a.b.c", "malformed"),
        ]
        assert [(name, code_of(v.verify, a)) for name, a, _ in cases] == [(name, code) for name, _, code in cases]

        with pytest.raises(WrongIssuerError) as wrong_issuer:
            env.verifier(issuer="https://someone-else.example").verify(s.assertion)
        assert wrong_issuer.value.code == "wrong_issuer"
        with pytest.raises(WrongAudienceError):
            env.verifier(audience="shop-backend").verify(s.assertion)
        # One base class for every refusal, and the JOSE library's error as the cause.
        with pytest.raises(SessionAssertionError) as tampered:
            v.verify(f"{raw_header}.{b64({**payload, 'username': 'admin'})}.{signature}")
        assert isinstance(tampered.value, BadSignatureError)
        assert isinstance(tampered.value.__cause__, jwt.InvalidSignatureError)

    def test_refuses_an_expired_assertion_even_a_cached_one_within_five_seconds_of_leeway(self, env: Env) -> None:
        s = env.new_session()
        v = env.verifier()
        exp = v.verify(s.assertion).expires_at.timestamp()
        env.clock.advance(env.clock.until(exp) + 4)  # 4 s late: within the leeway
        assert code_of(v.verify, s.assertion) == "verified"
        env.clock.advance(2)  # 6 s late
        with pytest.raises(ExpiredAssertionError):
            v.verify(s.assertion)
        env.clock.offset = 0
        env.clock.advance(env.clock.until(exp) + 1)
        assert code_of(env.verifier(leeway=0).verify, s.assertion) == "expired"

    def test_refetches_for_an_unknown_kid_at_most_once_per_30_s(self, env: Env) -> None:
        s = env.new_session()
        v = env.verifier()
        v.verify(s.assertion)
        _, _, (_, raw_payload, signature) = split(s.assertion)

        def garbage(n: int) -> str:
            return f"{b64({'alg': 'EdDSA', 'kid': f'garbage-{n}'})}.{raw_payload}.{signature}"

        assert {code_of(v.verify, garbage(n)) for n in range(50)} == {"unknown_key"}
        assert env.fetches == 1  # fetched just now: no refetch yet
        env.clock.advance(REFETCH_COOLDOWN)
        assert {code_of(v.verify, garbage(n)) for n in range(50, 100)} == {"unknown_key"}
        assert env.fetches == 2  # one refetch for the whole burst
        assert v.stats.key_fetches == 2

    def test_refreshes_the_held_key_set_on_its_schedule(self, env: Env) -> None:
        s = env.new_session()
        v = env.verifier(refresh_interval=60, cache_size=0)
        v.verify(s.assertion)
        env.clock.advance(59)
        v.verify(s.assertion)
        assert env.fetches == 1
        env.clock.advance(1)
        v.verify(s.assertion)  # answered from the held set while the refresh runs
        deadline = time.monotonic() + 5
        while env.fetches != 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert env.fetches == 2

    def test_concurrent_verifies_share_one_key_fetch(self, env: Env) -> None:
        s = env.new_session()
        v = env.verifier(cache_size=0)
        failures: list[BaseException] = []

        def verify() -> None:
            try:
                v.verify(s.assertion)
            except BaseException as error:  # noqa: BLE001
                failures.append(error)

        threads = [threading.Thread(target=verify) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert env.fetches == 1


def test_without_a_key_set_it_says_so_and_retries_only_after_the_cooldown() -> None:
    fetches = []
    clock = Clock()

    def refused() -> Any:
        fetches.append(1)
        raise ConnectionRefusedError("connection refused")

    v = SessionVerifier(fetch_keys=refused, issuer="userharbor", clock=clock)
    assertion = f"{b64({'alg': 'EdDSA', 'kid': 'k'})}.{b64({})}.c2ln"
    for _ in range(3):
        with pytest.raises(KeySetUnavailableError):
            v.verify(assertion)
    clock.advance(REFETCH_COOLDOWN)
    with pytest.raises(KeySetUnavailableError):
        v.verify(assertion)
    assert len(fetches) == 2


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"leeway": 6}, ValueError),
        ({"refresh_interval": 29}, ValueError),
        ({"refresh_interval": 31 * 60}, ValueError),
        ({"cache_size": -1}, ValueError),
        ({"jwks_url": None}, TypeError),
        ({"fetch_keys": lambda: {"keys": []}}, TypeError),
        ({"issuer": ""}, TypeError),
    ],
)
def test_refuses_bad_options(options: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        SessionVerifier(**{"jwks_url": "http://127.0.0.1:9/.well-known/jwks.json", "issuer": "userharbor", **options})


class TestCheck:
    def test_makes_no_server_call_while_the_assertion_is_fresh_and_a_repeat_verifies_no_signature(
        self, env: Env
    ) -> None:
        s = env.new_session()
        v = env.verifier()
        first = v.check(s.token, s.assertion)
        assert first is not None and not first.from_server and first.assertion == s.assertion
        assert (first.user.account_id, first.user.session_id) == (s.account_id, s.session_id)
        checks = v.stats.signature_checks
        for _ in range(20):
            again = v.check(s.token, s.assertion)
            assert again is not None and again.user is first.user  # the cached claims object itself
        assert v.stats.signature_checks == checks
        assert v.stats.cache_hits == 20
        assert env.calls_to("VerifySession") == 0

    def test_makes_exactly_one_verify_session_when_the_assertion_is_stale(self, env: Env) -> None:
        s = env.new_session()
        v = env.verifier()
        env.clock.advance(env.clock.until(split(s.assertion)[1]["exp"]) + 6)  # past exp and the leeway
        renewed = v.check(s.token, s.assertion)
        assert env.calls_to("VerifySession") == 1
        assert renewed is not None and renewed.from_server and renewed.user.session_id == s.session_id
        # The server's clock did not move: back on it, the new assertion answers with no call.
        env.clock.offset = 0
        again = v.check(s.token, renewed.assertion)
        assert again is not None and not again.from_server
        assert env.calls_to("VerifySession") == 1
        # No assertion at all, or a forged one: one call each, never a local yes.
        no_assertion = v.check(s.token)
        assert no_assertion is not None and no_assertion.from_server
        forged = v.check(s.token, renewed.assertion[:-4] + "AAAA")
        assert forged is not None and forged.from_server
        assert env.calls_to("VerifySession") == 3 == v.stats.server_calls

    def test_strict_reports_a_revoked_session_at_once_while_check_keeps_the_documented_lag(self, env: Env) -> None:
        s = env.new_session()
        v = env.verifier()
        env.accounts.Logout(pb.LogoutRequest(session_token=s.token))
        assert v.check(s.token, s.assertion, strict=True) is None
        assert env.calls_to("VerifySession") == 1
        lagging = v.check(s.token, s.assertion)
        assert lagging is not None and not lagging.from_server
        env.clock.advance(306)
        assert v.check(s.token, s.assertion) is None
        assert env.calls_to("VerifySession") == 2

    def test_no_token_and_no_usable_assertion_asks_nobody(self, env: Env) -> None:
        v = env.verifier()
        assert v.check("") is None
        assert v.check("", "not-a-jws") is None
        assert env.calls_to("VerifySession") == 0
        assert v.check("uhs_" + "A" * 43) is None
        assert env.calls_to("VerifySession") == 1

    def test_keeps_at_most_cache_size_verified_assertions_and_none_with_the_cache_off(self, env: Env) -> None:
        sessions = [env.new_session() for _ in range(3)]
        v = env.verifier(cache_size=2)
        for s in sessions:
            v.verify(s.assertion)
        v.verify(sessions[2].assertion)  # still held
        assert v.stats.signature_checks == 3
        v.verify(sessions[0].assertion)  # evicted: verified again
        assert v.stats.signature_checks == 4
        off = env.verifier(cache_size=0)
        for _ in range(3):
            off.verify(sessions[0].assertion)
        assert (off.stats.signature_checks, off.stats.cache_hits) == (3, 0)
