"""UserHarbor sessions for any web framework: the framework-independent core of the
integrations (``userharbor.fastapi``). It follows docs/integrations.md: sessions from a bearer
token or cookies, checked by the session-assertion verifier, CSRF by origin, the end user's
ClientContext, mountable login and logout, UserHarbor's errors as RFC 9457 problems.

An adapter fills ``RequestFacts`` from its framework's request and writes the ``Answer`` (or
raises the ``Problem``) it gets back. Synchronous, like the grpcio stubs: asyncio frameworks
run it in a worker thread. See sdk/python/README.md.
"""

from ._bearer import BearerAssertions
from ._cookies import (
    DEV_COOKIE_NAMES,
    DEVICE_COOKIE_MAX_AGE,
    SECURE_COOKIE_NAMES,
    CookieNames,
    CookiePolicy,
    bind_assertion,
    bound_assertion,
)
from ._csrf import is_cross_site_refused, normalize_origin
from ._integration import DEFAULT_TIMEOUT, AuthenticatedUser, Authentication, Integration, Need
from ._problems import PROBLEM_JSON, Answer, FieldError, Problem, problem_from_error
from ._requests import LOGIN_BODY_MAX_BYTES, USER_AGENT_MAX, RequestFacts, client_context_of, read_login_body

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEVICE_COOKIE_MAX_AGE",
    "DEV_COOKIE_NAMES",
    "LOGIN_BODY_MAX_BYTES",
    "PROBLEM_JSON",
    "SECURE_COOKIE_NAMES",
    "USER_AGENT_MAX",
    "Answer",
    "AuthenticatedUser",
    "Authentication",
    "BearerAssertions",
    "CookieNames",
    "CookiePolicy",
    "FieldError",
    "Integration",
    "Need",
    "Problem",
    "RequestFacts",
    "bind_assertion",
    "bound_assertion",
    "client_context_of",
    "is_cross_site_refused",
    "normalize_origin",
    "problem_from_error",
    "read_login_body",
]
