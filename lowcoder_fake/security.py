"""Which calls need credentials, and who is calling (reference §3 and §5).

Lowcoder's security filter runs before routing: a protected path answers
401 with an empty body to an anonymous caller whether a route exists or not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from lowcoder_fake.models import User
from lowcoder_fake.store import Store
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


@dataclass(frozen=True, slots=True)
class Credentials:
    """Who a call comes from, and by which means."""

    user: User | None
    session_token: str | None


def first_cookie(cookie_headers: Iterable[str], name: str) -> str | None:
    """The first value of cookie ``name`` over all ``Cookie`` headers, as Spring reads it."""
    for header in cookie_headers:
        for pair in header.split(";"):
            key, sep, value = pair.partition("=")
            if sep and key.strip() == name:
                return value.strip().strip('"')
    return None


def identify(cookie_headers: Iterable[str], cookie_name: str, store: Store) -> Credentials:
    """The caller named by the session cookie (the only place Lowcoder reads a session token)."""
    token = first_cookie(cookie_headers, cookie_name)
    if not token:
        return Credentials(None, None)
    user = store.session_user(token)
    return Credentials(user, token if user is not None else None)
