"""Version parsing and the version table (reference §1)."""

from __future__ import annotations

import pytest

from lowcoder_fake.errors import FakeError
from lowcoder_fake.versions import Behaviours, parse_version


@pytest.mark.parametrize("text", ["2.0.0", "2.0.1", "2.1.4", "2.1.6", "2.4.0", "2.7.6", "2.7.99", "v2.3.0"])
def test_accepted_versions(text: str) -> None:
    assert str(parse_version(text)) == text.lstrip("v")


@pytest.mark.parametrize("text", ["1.9.9", "2.8.0", "3.0.0", "2.1", "2", "", "x.y.z", "2.1.6.1", "2.1.6-rc1"])
def test_refused_versions_list_what_is_accepted(text: str) -> None:
    with pytest.raises(FakeError, match=r"2\.0\.0 to 2\.7\.x"):
        parse_version(text)


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (
            "2.1.6",
            {"not_authorized_status": 500, "cookie_max_age_seconds": 2592000, "default_workspace_mode": "ENTERPRISE"},
        ),
        ("2.3.0", {"default_workspace_mode": "SAAS", "cookie_max_age_seconds": 2592000}),
        (
            "2.4.0",
            {"cookie_max_age_seconds": 86400, "max_body_bytes": 256 * 1024, "unknown_route_is_server_error": True},
        ),
        ("2.4.1", {"max_body_bytes": 20 * 1024 * 1024, "root_and_status_health": True}),
        ("2.5.0", {"not_authorized_status": 500, "members_paged": True}),
        ("2.5.1", {"not_authorized_status": 401, "super_admin_is_admin": False}),
        ("2.5.2", {"super_admin_is_admin": True, "org_slug": True}),
        ("2.6.9", {"update_accepts_state": False, "get_organization": True}),
        ("2.7.0", {"update_accepts_state": True, "api_key_list_masks_tokens": True}),
        ("2.1.2", {"api_keys": False}),
        ("2.1.3", {"api_keys": True, "api_key_answer_has_id": False}),
        ("2.1.5", {"api_key_answer_has_id": True}),
    ],
)
def test_version_table_thresholds(version: str, expected: dict[str, object]) -> None:
    behaviours = Behaviours.of(version)
    for name, value in expected.items():
        assert getattr(behaviours, name) == value, name


def test_admin_roles_follow_the_version() -> None:
    assert Behaviours.of("2.4.0").admin_roles() == {"admin"}
    assert Behaviours.of("2.5.2").admin_roles() == {"admin", "super_admin"}
