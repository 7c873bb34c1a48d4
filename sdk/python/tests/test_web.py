"""userharbor.web's decision tables, without a server: CSRF, origins, cookie attributes (incl.
the development flag), login bodies, the ClientContext, the bearer map, option checks."""

from __future__ import annotations

import pytest
from userharbor.web import (
    DEVICE_COOKIE_MAX_AGE,
    LOGIN_BODY_MAX_BYTES,
    BearerAssertions,
    CookiePolicy,
    FieldError,
    Integration,
    Problem,
    RequestFacts,
    bind_assertion,
    bound_assertion,
    client_context_of,
    is_cross_site_refused,
    normalize_origin,
    read_login_body,
)

OWN = "https://app.example"
PARTNER = "https://partner.example"


class TestCrossSite:
    @pytest.mark.parametrize(
        ("method", "site", "origin", "refused"),
        [
            # Safe methods are never refused, whatever the headers say.
            ("GET", "cross-site", "https://evil.example", False),
            ("HEAD", "cross-site", "https://evil.example", False),
            ("OPTIONS", "cross-site", None, False),
            # Sec-Fetch-Site same-origin or none (typed into the address bar): allowed.
            ("POST", "same-origin", "https://evil.example", False),
            ("POST", "none", None, False),
            ("DELETE", " Same-Origin ", None, False),
            # Any other value only with an allowed Origin.
            ("POST", "cross-site", "https://evil.example", True),
            ("POST", "cross-site", None, True),
            ("POST", "same-site", "https://sibling.app.example", True),
            ("POST", "same-site", OWN, False),
            ("POST", "cross-site", PARTNER, False),
            ("PUT", "some-future-value", "https://evil.example", True),
            # No Sec-Fetch-Site: Origin decides; none at all (curl, old browsers) passes.
            ("POST", None, None, False),
            ("POST", None, "https://evil.example", True),
            ("POST", None, OWN, False),
            ("POST", None, "https://APP.example:443", False),  # normalised
            ("POST", None, "http://app.example", True),  # another scheme is another origin
            ("POST", None, "https://app.example:8443", True),
            ("PATCH", None, "null", True),
            ("POST", None, "junk", True),
        ],
    )
    def test_decision_table(self, method: str, site: str | None, origin: str | None, refused: bool) -> None:
        assert (
            is_cross_site_refused(
                method=method,
                sec_fetch_site=site,
                origin=origin,
                own_origin=OWN,
                allowed_origins={PARTNER},
            )
            is refused
        )

    @pytest.mark.parametrize(
        ("value", "normal"),
        [
            ("https://App.Example", "https://app.example"),
            ("https://app.example:443", "https://app.example"),
            ("http://app.example:80/", "http://app.example"),
            ("http://app.example:8080", "http://app.example:8080"),
            ("http://[::1]:3000", "http://[::1]:3000"),
            ("https://bücher.example", "https://xn--bcher-kva.example"),
            ("null", None),
            ("ftp://app.example", None),
            ("https://", None),
            ("https://app.example:99999", None),
        ],
    )
    def test_origins_normalise(self, value: str, normal: str | None) -> None:
        assert normalize_origin(value) == normal


class TestCookies:
    def test_default_attributes_and_names(self) -> None:
        policy = CookiePolicy()
        assert policy.set("session", "uhs_abc", 99.9) == (
            "__Host-uh_session=uhs_abc; HttpOnly; Max-Age=99; Path=/; SameSite=Lax; Secure"
        )
        assert policy.set("device", "uhd_x", DEVICE_COOKIE_MAX_AGE).startswith("__Host-uh_device=uhd_x; ")
        # Cleared: an empty value (not `""`), Max-Age=0, the same attributes.
        assert policy.clear("assertion") == "__Host-uh_assertion=; HttpOnly; Max-Age=0; Path=/; SameSite=Lax; Secure"
        assert policy.set("assertion", "a.b.c", -5).split("; ")[2] == "Max-Age=0"  # past exp
        assert "Domain" not in policy.set("session", "uhs_abc", 1)

    def test_development_flag_drops_secure_and_the_prefix(self) -> None:
        policy = CookiePolicy(insecure_dev_cookies=True)
        assert policy.set("session", "uhs_abc", 10) == "uh_session=uhs_abc; HttpOnly; Max-Age=10; Path=/; SameSite=Lax"
        assert policy.read({"uh_session": "uhs_abc", "__Host-uh_session": "uhs_other"}) == {"session": "uhs_abc"}

    def test_reads_only_its_own_non_empty_cookies(self) -> None:
        policy = CookiePolicy(names={"session": "sid"})
        jar = {"sid": "uhs_1", "__Host-uh_assertion": "", "__Host-uh_device": "uhd_2", "other": "x"}
        assert policy.read(jar) == {"session": "uhs_1", "device": "uhd_2"}

    @pytest.mark.parametrize(
        ("options", "error"),
        [
            ({"insecure_dev_cookies": True, "names": {"session": "__Host-s"}}, ValueError),
            ({"insecure_dev_cookies": True, "names": {"device": "__secure-d"}}, ValueError),
            ({"names": {"session": "same", "assertion": "same"}}, ValueError),
            ({"names": {"session": "not a token"}}, ValueError),
            ({"names": {"sessoin": "x"}}, TypeError),
            ({"device_max_age": 0}, ValueError),
        ],
    )
    def test_bad_options_fail_at_start_up(self, options: dict[str, object], error: type[Exception]) -> None:
        with pytest.raises(error):
            CookiePolicy(**options)  # type: ignore[arg-type]

    def test_a_value_that_would_need_quoting_is_refused(self) -> None:
        with pytest.raises(ValueError, match="not a plain cookie value"):
            CookiePolicy().set("session", 'uhs_"; Domain=evil', 10)


class TestAssertionCookie:
    def test_bound_to_the_session_token_it_was_issued_with(self) -> None:
        value = bind_assertion("h.p.s", "uhs_mine")
        # The tag: base64url (no padding) SHA-256 of the token, as the TypeScript core writes it.
        assert value == "h.p.s~" + "cGaaqfhF3RcGa-yBCxpzGa7Xq7GtCBxutQC_eQBftYE"
        assert bound_assertion(value, "uhs_mine") == "h.p.s"
        for cookie, token in (
            (value, "uhs_other"),
            ("h.p.s", "uhs_mine"),
            ("", "uhs_mine"),
            (None, "uhs_mine"),
            (value + "x", "uhs_mine"),
        ):
            assert bound_assertion(cookie, token) is None


class TestLoginBody:
    @pytest.mark.parametrize(
        ("body", "content_type", "detail", "fields"),
        [
            (b'{"username": "a",', "application/json", "The body is not valid JSON.", []),
            (b'{"username":"a","password":"b"}', "text/plain", "Send JSON (Content-Type: application/json).", []),
            (b'{"username":"a","password":"b"}', None, "Send JSON (Content-Type: application/json).", []),
            (b"[1, 2]", "application/json", 'Send a JSON object {"username": ..., "password": ...}.', []),
            (b'{"username": "a"}', "application/json", "Username and password are required.", ["password"]),
            (
                b'{"username": "", "password": 5}',
                "application/json",
                "Username and password are required.",
                ["username", "password"],
            ),
            (b"\xff\xfe", "application/json", "The body is not valid JSON.", []),
            (None, "application/json", "Unreadable body.", []),
        ],
    )
    def test_malformed_bodies_are_400_invalid_request(
        self, body: bytes | None, content_type: str | None, detail: str, fields: list[str]
    ) -> None:
        problem = read_login_body(body, content_type)
        assert isinstance(problem, Problem)
        assert (problem.status, problem.code, problem.detail) == (400, "INVALID_REQUEST", detail)
        assert [e.field for e in problem.errors] == fields
        assert all(e == FieldError(e.field, "a non-empty string is required") for e in problem.errors)

    @pytest.mark.parametrize(
        "content_type", ["application/json", "application/json; charset=utf-8", "Application/problem+JSON"]
    )
    def test_credentials_from_any_json_type(self, content_type: str) -> None:
        assert read_login_body(b'{"username": "ada", "password": "pw", "x": 1}', content_type) == ("ada", "pw")

    def test_the_limit_is_8_kib(self) -> None:
        assert LOGIN_BODY_MAX_BYTES == 8192


class TestClientContext:
    def facts(self, ip: str, user_agent: str | None) -> RequestFacts:
        headers = {"user-agent": user_agent} if user_agent is not None else {}
        return RequestFacts(method="POST", headers=headers, cookies={}, ip=ip, origin=OWN)

    def test_ip_user_agent_and_device(self) -> None:
        context = client_context_of(self.facts("::ffff:192.0.2.1", "a" * 600), "uhd_1")
        assert (context.ip, len(context.user_agent), context.device_token) == ("192.0.2.1", 512, "uhd_1")
        assert client_context_of(self.facts("2001:db8::1", None)).ip == "2001:db8::1"
        assert client_context_of(self.facts("", None)).user_agent == ""

    @pytest.mark.parametrize("address", ["testclient", "203.0.113.7, 10.0.0.1", "unix:/run/app.sock", ""])
    def test_an_address_that_is_no_ip_is_sent_empty(self, address: str) -> None:
        assert client_context_of(self.facts(address, None)).ip == ""


class TestBearerAssertions:
    def test_bounded_and_found_only_by_its_token(self) -> None:
        assertions = BearerAssertions(2)
        assertions.set("uhs_a", "A")
        assertions.set("uhs_b", "B")
        assert assertions.get("uhs_a") == "A"  # now the most recently used
        assertions.set("uhs_c", "C")
        assert (assertions.get("uhs_b"), assertions.get("uhs_c"), len(assertions)) == (None, "C", 2)
        assertions.delete("uhs_a")
        assert assertions.get("uhs_a") is None
        assert "uhs_c" not in repr(vars(assertions))  # keyed by hash, no raw token kept
        with pytest.raises(ValueError):
            BearerAssertions(0)


class TestOptions:
    @pytest.mark.parametrize(
        "options",
        [
            {"url": None},
            {"url": "127.0.0.1:50051"},
            {"url": "http://127.0.0.1:50051/path"},
            {"url": "http://127.0.0.1:1", "timeout": 0.05},
            {"url": "http://127.0.0.1:1", "timeout": 61},
            {"url": "http://127.0.0.1:1", "allowed_origins": ["https://app.example/path"]},
            {"url": "http://127.0.0.1:1", "allowed_origins": ["app.example"]},
            {"url": "http://127.0.0.1:1", "bearer_assertions_max": 0},
            {"url": "http://127.0.0.1:1", "leeway": 6},
        ],
    )
    def test_bad_options_fail_at_start_up(self, options: dict[str, object]) -> None:
        with pytest.raises(ValueError):
            Integration(**options)  # type: ignore[arg-type]

    def test_allowed_origins_are_exact_and_normalised(self) -> None:
        integration = Integration(url="http://127.0.0.1:1/", allowed_origins=["https://Partner.example"])
        try:
            assert integration.allowed_origins == frozenset({"https://partner.example"})
        finally:
            integration.close()


def test_the_user_carries_no_token() -> None:
    from userharbor.web import AuthenticatedUser

    assert list(AuthenticatedUser.__dataclass_fields__) == ["account_id", "session_id", "username", "email_verified"]
