"""LowcoderFake settings refused at start, and the Python twins of the control API."""

from __future__ import annotations

import pytest

from lowcoder_fake import FakeConfig, FakeError, LowcoderFake, generate_data_set


@pytest.mark.parametrize("name", ["bad name", "x;y", "a\r\nX-Evil: 1", ""])
def test_a_cookie_name_that_cannot_be_sent_is_refused(name: str) -> None:
    with pytest.raises(FakeError, match="cookie name"):
        LowcoderFake(FakeConfig(cookie_name=name))


def test_unknown_workspace_mode_is_refused() -> None:
    with pytest.raises(FakeError, match="workspace mode"):
        LowcoderFake(FakeConfig(workspace_mode="CLOUD"))


def test_generated_users_sign_in_with_the_documented_passwords() -> None:
    data = generate_data_set(5)
    passwords = {roles[user.current_org_id or ""]: user.password for user, roles in data.users}
    assert passwords == {"admin": "Admin-Password-1", "member": "Member-Password-1"}


def test_data_set_roles_unknown_to_the_version_become_member() -> None:
    fake = LowcoderFake(FakeConfig(lowcoder_version="2.1.6"))
    org = fake.add_org({"name": "Roles"})
    user = fake.add_user({"email": "r@x.test", "password": "p", "orgs": {org.id: "super_admin"}})
    membership = fake.store.membership(org.id, user.id)
    assert membership is not None and membership.role == "member"
