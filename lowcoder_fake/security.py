"""Which calls need credentials, and who is calling (reference §3 and §5).

Lowcoder's security filter runs before routing: a protected path answers
401 with an empty body to an anonymous caller whether a route exists or not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, NamedTuple

from lowcoder_fake import jwt
from lowcoder_fake.fake import LowcoderFake
from lowcoder_fake.models import User
from lowcoder_fake.versions import Behaviours

__all__ = ["Credentials", "first_cookie", "identify", "is_public"]


@dataclass(frozen=True, slots=True)
class _PublicRule:
    method: str
    pattern: re.Pattern[str]


_BOTH_PREFIXES: Final = r"/api(?:/v1)?"


def _rule(method: str, path: str, prefix: str = _BOTH_PREFIXES) -> _PublicRule:
    """A rule for ``path`` under ``prefix``; ``*`` is one segment, ``**`` any rest."""
    body = re.escape(path).replace(r"\*\*", ".*").replace(r"\*", "[^/]+")
    return _PublicRule(method, re.compile(rf"^{prefix}{body}$"))


#: Public paths of 2.1.6 (reference §5; the sign-in list read from Lowcoder's SecurityConfig).
_PUBLIC_RULES: Final = (
    *(
        _rule("POST", path, prefix="/api/auth")
        for path in (
            "/otp/send",
            "/phone/login",
            "/ldap/login",
            "/tp/login/**",
            "/callback/tp/login/**",
            "/form/login",
            "/logout",
            "/jwt/login",
            "/cas/login",
        )
    ),
    _rule("GET", "/users/me"),
    _rule("GET", "/users/currentUser"),
    _rule("GET", "/configs"),
    _rule("GET", "/configs/deploymentId"),
    _rule("HEAD", "/state/healthCheck"),
    _rule("GET", "/organizations/*/datasourceTypes"),
    _rule("GET", "/invitation/**"),
    _rule("GET", "/applications/*/view"),
    _rule("GET", "/groups/list"),
    _rule("POST", "/query/execute"),
    _rule("GET", "/datasources/jsDatasourcePlugins"),
    _rule("GET", "/materials/**"),
    _rule("GET", "/misc/github-star"),
    _rule("GET", "/docs/**"),
)

_STATUS_PAGES: Final = _rule("GET", "/**", prefix="/api/status")


def _under_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def is_public(method: str, path: str, behaviours: Behaviours) -> bool:
    """True when Lowcoder lets an anonymous caller through to routing."""
    if not _under_api(path):
        return True
    rules = _PUBLIC_RULES + ((_STATUS_PAGES,) if behaviours.root_and_status_health else ())
    return any(rule.method == method and rule.pattern.match(path) for rule in rules)


class Credentials(NamedTuple):
    """Who a call comes from, and by which means (a tuple: one is made for every call).

    ``dead_api_key``: a well-signed API key that is deleted (or whose user is
    gone). Lowcoder's filter then never passes the call on, and the client
    gets HTTP 200 with an empty body, on any path.
    """

    user: User | None
    session_token: str | None = None
    api_key: bool = False
    dead_api_key: bool = False


_ANONYMOUS: Final = Credentials(None)
_BEARER: Final = "Bearer "


def first_cookie(cookie_headers: Iterable[str], name: str) -> str | None:
    """The first value of cookie ``name`` over all ``Cookie`` headers, as Spring reads it."""
    for header in cookie_headers:
        value = _cookie_in(header, name)
        if value is not None:
            return value
    return None


@lru_cache(maxsize=256)  # at most 256 headers of 8 KB (Netty's limit) kept
def _cookie_in(header: str, name: str) -> str | None:
    """The first value of cookie ``name`` in one ``Cookie`` header (a client sends the same header again and again)."""
    for pair in header.split(";"):
        key, sep, value = pair.partition("=")
        if sep and key.strip() == name:
            return value.strip().strip('"')
    return None


def identify(cookie_headers: Iterable[str], authorization: str | None, fake: LowcoderFake) -> Credentials:
    """The caller: by the session cookie; without one (from 2.1.3) by ``Authorization: Bearer``.

    A cookie, even an invalid one, wins over the header. A badly signed key
    counts as no credentials.
    """
    token = first_cookie(cookie_headers, fake.config.cookie_name)
    if token:
        user = fake.store.session_user(token)
        return Credentials(user, token if user is not None else None)
    if not fake.behaviours.api_keys or authorization is None or not authorization.startswith(_BEARER):
        return _ANONYMOUS
    claims = jwt.verified_claims(authorization[len(_BEARER) :], fake.api_key_secret)
    if claims is None:
        return _ANONYMOUS
    user_id = claims.get("userId")
    user = fake.store.user(user_id) if isinstance(user_id, str) else None
    if user is None or not fake.store.has_api_key_token(user.id, authorization[len(_BEARER) :]):
        return Credentials(None, dead_api_key=True)
    return Credentials(user, api_key=True)
