"""The records the fake keeps: organizations, users, memberships, sessions.

Records are frozen; the store replaces a record to change it, so a record
handed out is a snapshot that never changes under its reader.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

__all__ = [
    "ORG_STATES",
    "ApiKey",
    "Membership",
    "Org",
    "User",
    "is_object_id",
    "new_gid",
    "new_object_id",
    "now_ms",
]

ORG_STATES: Final = ("ACTIVE", "DELETED")

_OBJECT_ID_RE: Final = re.compile(r"^[0-9a-f]{24}$")


def now_ms() -> int:
    """The current time in epoch milliseconds, as Lowcoder stores times."""
    return time.time_ns() // 1_000_000


def new_object_id() -> str:
    """A MongoDB-style ObjectId: 4 bytes of seconds, 8 random bytes, as 24 hex digits."""
    return int(time.time()).to_bytes(4, "big").hex() + os.urandom(8).hex()


def is_object_id(text: str) -> bool:
    """True for 24 lower-case hex digits."""
    return bool(_OBJECT_ID_RE.match(text))


def new_gid() -> str:
    """A time-ordered UUID (version 7), as Lowcoder gives orgs from 2.4.2."""
    value = (now_ms() & (2**48 - 1)) << 80 | int.from_bytes(os.urandom(10), "big") & (2**80 - 1)
    value = value & ~(0xF << 76) | 0x7 << 76  # version 7
    value = value & ~(0x3 << 62) | 0x2 << 62  # RFC 4122 variant
    return str(uuid.UUID(int=value))


@dataclass(frozen=True, slots=True)
class Org:
    """An organization (Lowcoder calls it a workspace)."""

    id: str
    name: str | None
    gid: str
    slug: str | None = None
    created_by: str | None = None
    is_auto_generated: bool = False
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone_number: str | None = None
    source: str | None = None
    third_party_company_id: str | None = None
    state: str = "ACTIVE"
    common_settings: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    logo_url: str = ""
    create_time: int = field(default_factory=now_ms)
    auth_configs: tuple[MappingProxyType[str, Any], ...] = ()

    @property
    def active(self) -> bool:
        return self.state == "ACTIVE"


@dataclass(frozen=True, slots=True)
class User:
    """A user who signs in with email and password."""

    id: str
    email: str
    password: str
    name: str
    create_time: int = field(default_factory=now_ms)
    current_org_id: str | None = None

    def __repr__(self) -> str:  # keeps the password out of logs and reports
        return f"User(id={self.id!r}, email={self.email!r}, name={self.name!r}, current_org_id={self.current_org_id!r})"


@dataclass(frozen=True, slots=True)
class Membership:
    """A user's role in an org."""

    org_id: str
    user_id: str
    role: str
    join_time: int = field(default_factory=now_ms)


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A user's API key: a signed token the user sends as ``Authorization: Bearer``."""

    id: str
    user_id: str
    name: str | None
    description: str | None
    token: str

    def __repr__(self) -> str:  # keeps the token out of logs and reports
        return f"ApiKey(id={self.id!r}, user_id={self.user_id!r}, name={self.name!r})"
