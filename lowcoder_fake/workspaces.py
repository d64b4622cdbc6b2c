"""Where a newly registered user lands, by workspace mode (reference §3)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Final

from lowcoder_fake.fake import LowcoderFake
from lowcoder_fake.models import Org, User, new_gid, new_object_id

__all__ = ["EMAIL_AUTH_CONFIG", "place_new_user"]

#: The EMAIL auth config an auto-created ENTERPRISE org carries.
EMAIL_AUTH_CONFIG: Final[MappingProxyType[str, Any]] = MappingProxyType(
    {
        "authType": "FORM",
        "id": "EMAIL",
        "source": "EMAIL",
        "sourceName": "EMAIL",
        "enable": True,
        "enableRegister": True,
    }
)


def place_new_user(fake: LowcoderFake, user: User) -> User:
    """Give a new user its org: SAAS, a personal workspace it administers; ENTERPRISE,
    membership of the first ACTIVE org (a new org it administers when there is none)."""
    if fake.workspace_mode == "ENTERPRISE":
        org = fake.store.first_active_org()
        if org is not None:
            fake.store.set_member(org.id, user.id, "member")
            return fake.store.update_user(user.id, current_org_id=org.id)
        org = _new_org(user, auth_configs=(EMAIL_AUTH_CONFIG,))
    else:
        org = _new_org(user, auth_configs=())
    fake.store.add_org(org)
    fake.store.set_member(org.id, user.id, "admin")
    return fake.store.update_user(user.id, current_org_id=org.id)


def _new_org(user: User, auth_configs: tuple[MappingProxyType[str, Any], ...]) -> Org:
    return Org(
        id=new_object_id(),
        name=f"{user.name}'s workspace",
        gid=new_gid(),
        created_by=user.id,
        is_auto_generated=True,
        auth_configs=auth_configs,
    )
