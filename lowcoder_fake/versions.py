"""Lowcoder versions and the behaviours each one has.

Every threshold below comes from the version table of the reference
(LOWCODER_BEHAVIOUR.md §1). A behaviour is a property of :class:`Behaviours`,
true from the version in its threshold on; code elsewhere asks the property,
never compares version numbers itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Final

from lowcoder_fake.errors import FakeError

__all__ = ["DEFAULT_VERSION", "Behaviours", "Version", "parse_version"]

DEFAULT_VERSION: Final = "2.1.6"

#: Oldest and newest minor line the fake models (any patch of these is accepted).
OLDEST: Final = (2, 0, 0)
NEWEST_MINOR: Final = (2, 7)

_VERSION_RE: Final = re.compile(r"^v?(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")

ACCEPTED_TEXT: Final = "any version from 2.0.0 to 2.7.x, written X.Y.Z (for example 2.1.6 or 2.7.6)"


@dataclass(frozen=True, slots=True, order=True)
class Version:
    """A Lowcoder version, comparable with ``<``."""

    major: int
    minor: int
    patch: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    def at_least(self, text: str) -> bool:
        """True when this version is ``text`` (``"X.Y.Z"``) or newer."""
        return (self.major, self.minor, self.patch) >= _threshold(text)


_ADMIN_ONLY: Final = frozenset({"admin"})
_ADMIN_AND_SUPER_ADMIN: Final = frozenset({"admin", "super_admin"})


@cache
def _threshold(text: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in text.split("."))
    return major, minor, patch


def parse_version(text: str) -> Version:
    """Parse and range-check a Lowcoder version, or raise :class:`FakeError`."""
    match = _VERSION_RE.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise FakeError(f"lowcoder-fake: malformed Lowcoder version {text!r}; accepted: {ACCEPTED_TEXT}")
    version = Version(*(int(group) for group in match.groups()))
    if (version.major, version.minor, version.patch) < OLDEST or (version.major, version.minor) > NEWEST_MINOR:
        raise FakeError(f"lowcoder-fake: unsupported Lowcoder version {text!r}; accepted: {ACCEPTED_TEXT}")
    return version


@dataclass(frozen=True)
class Behaviours:
    """What a given Lowcoder version does, as named yes/no facts and values.

    Each fact is worked out once per instance (they are read on every call)."""

    version: Version

    @classmethod
    def of(cls, text: str) -> Behaviours:
        """The behaviours of the version written ``text``."""
        return cls(parse_version(text))

    # 2.1.0
    @cached_property
    def configs_accept_org_id(self) -> bool:
        return self.version.at_least("2.1.0")

    @cached_property
    def global_email_auth_config(self) -> bool:
        return self.version.at_least("2.1.0")

    @cached_property
    def register_allowed_without_admin(self) -> bool:
        return self.version.at_least("2.1.0")

    # 2.1.3 / 2.1.5
    @cached_property
    def api_keys(self) -> bool:
        return self.version.at_least("2.1.3")

    @cached_property
    def api_key_answer_has_id(self) -> bool:
        return self.version.at_least("2.1.5")

    @cached_property
    def default_api_key_secret(self) -> str:
        """The image's default ``auth.api-key.secret`` (the 2.7.x value from 2.7.0 is approximate)."""
        if self.version.at_least("2.7.0"):
            return "5a41b090758b39b226603177ef48d73ae9839dd458ccb7e66f7e7cc028d5a50b"
        return "123456789101112131415123456789101112131415123456789101112131415123456789101112131415"

    # 2.3.0
    @cached_property
    def default_workspace_mode(self) -> str:
        return "SAAS" if self.version.at_least("2.3.0") else "ENTERPRISE"

    # 2.4.0
    @cached_property
    def super_admin_role_exists(self) -> bool:
        return self.version.at_least("2.4.0")

    @cached_property
    def unknown_route_is_server_error(self) -> bool:
        """From 2.4.0 an unknown route answers 500/5000 instead of 404 (*derived*)."""
        return self.version.at_least("2.4.0")

    @cached_property
    def cookie_max_age_seconds(self) -> int:
        return 86400 if self.version.at_least("2.4.0") else 2592000

    @cached_property
    def max_body_bytes(self) -> int:
        """Spring's request-body buffer: 256 KiB in 2.4.0 alone, else 20 MB."""
        if (self.version.major, self.version.minor, self.version.patch) == (2, 4, 0):
            return 256 * 1024
        return 20 * 1024 * 1024

    # 2.4.1
    @cached_property
    def root_and_status_health(self) -> bool:
        return self.version.at_least("2.4.1")

    # 2.4.2 / 2.4.4
    @cached_property
    def org_gid(self) -> bool:
        return self.version.at_least("2.4.2")

    @cached_property
    def org_path_accepts_gid(self) -> bool:
        return self.version.at_least("2.4.4")

    @cached_property
    def org_email_disabled_flag(self) -> bool:
        """Orgs show ``isEmailDisabled`` (false) after ``contactPhoneNumber`` (read from Lowcoder's source)."""
        return self.version.at_least("2.4.11")

    @cached_property
    def new_org_password_reset_template(self) -> str | None:
        """The ``PASSWORD_RESET_EMAIL_TEMPLATE`` common setting a created org starts with
        (none before 2.4.0; the "Regards" lines dropped in 2.4.6; read from Lowcoder's source)."""
        if not self.version.at_least("2.4.0"):
            return None
        ending = "</p>" if self.version.at_least("2.4.6") else "Regards,<br/>The Lowcoder Team</p>"
        return (
            "<p>Hi, %s<br/>Here is the link to reset your password: %s<br/>"
            "Please note that the link will expire after 12 hours.<br/><br/>" + ending
        )

    # 2.5.x
    @cached_property
    def members_paged(self) -> bool:
        """Members are paged by ``pageNum``/``pageSize`` (before: ``page``/``count``)."""
        return self.version.at_least("2.5.0")

    @cached_property
    def members_page_one_based(self) -> bool:
        """``pageNum`` counts from 1 and ``total`` is the member count (2.5.0 alone: from 0,
        and the page size; read from Lowcoder's source: 2.5.1 already has the 2.6 code)."""
        return self.version.at_least("2.5.1")

    @cached_property
    def not_authorized_status(self) -> int:
        return 401 if self.version.at_least("2.5.1") else 500

    @cached_property
    def super_admin_is_admin(self) -> bool:
        return self.version.at_least("2.5.2")

    @cached_property
    def org_slug(self) -> bool:
        return self.version.at_least("2.5.2")

    @cached_property
    def unknown_gid_answers_empty(self) -> bool:
        """From 2.5.2 a nonexistent id in gid form answers 200 with an empty body (*derived*)."""
        return self.version.at_least("2.5.2")

    # 2.6.x
    @cached_property
    def org_path_accepts_slug(self) -> bool:
        return self.version.at_least("2.6.0")

    @cached_property
    def get_organization(self) -> bool:
        return self.version.at_least("2.6.4")

    @cached_property
    def get_organization_with_deleted(self) -> bool:
        """``GET /organizations/{orgId}?withDeleted=true`` also finds a soft-deleted org."""
        return self.version.at_least("2.7.0")

    # 2.7.0
    @cached_property
    def update_accepts_state(self) -> bool:
        return self.version.at_least("2.7.0")

    @cached_property
    def api_key_list_masks_tokens(self) -> bool:
        return self.version.at_least("2.7.0")

    @cached_property
    def lowcoder_api_datasource_type(self) -> bool:
        """``datasourceTypes`` lists ``lowcoderApi`` (commented out of Lowcoder's list in 2.7.0)."""
        return not self.version.at_least("2.7.0")

    # 2.7.3
    @cached_property
    def create_org_answer_has_times(self) -> bool:
        """The create-org answer carries ``createdAt``/``updatedAt`` (decimal epoch seconds)."""
        return self.version.at_least("2.7.3")

    def admin_roles(self) -> frozenset[str]:
        """Org roles that pass the admin check."""
        return _ADMIN_AND_SUPER_ADMIN if self.super_admin_is_admin else _ADMIN_ONLY

    def known_roles(self) -> tuple[str, ...]:
        """Org roles that exist; any other role string is stored as ``member``."""
        return ("admin", "member", "super_admin") if self.super_admin_role_exists else ("admin", "member")
