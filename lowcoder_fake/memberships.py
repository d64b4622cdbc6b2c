"""A user's active orgs and current org, derived as Lowcoder derives them (no aiohttp).

Lowcoder marks one membership "current"; when that membership goes (the org
was deleted, the user left or was removed), the user's first remaining ACTIVE
org takes its place. The fake keeps the mark as ``User.current_org_id`` and
moves it as soon as the membership goes.
"""

from __future__ import annotations

from lowcoder_fake.fake import LowcoderFake
from lowcoder_fake.models import Membership, User

__all__ = ["active_memberships", "current_membership", "settle_current_org"]


def active_memberships(fake: LowcoderFake, user_id: str) -> list[Membership]:
    """The user's memberships of ACTIVE orgs, in the order they were made (``getAllActiveOrgs``).

    In ENTERPRISE mode Lowcoder keeps only one of them: the membership of the
    oldest of those orgs (``orgIds.subList(0, 1)`` in ``OrgMemberServiceImpl``).
    """
    memberships = fake.store.active_memberships_of_user(user_id)
    if fake.workspace_mode == "ENTERPRISE" and len(memberships) > 1:
        age = {org.id: index for index, org in enumerate(fake.store.orgs())}
        return [min(memberships, key=lambda membership: age.get(membership.org_id, len(age)))]
    return memberships


def current_membership(fake: LowcoderFake, user: User) -> Membership | None:
    """The user's membership of their current org: the marked one, else the first active one."""
    memberships = active_memberships(fake, user.id)
    marked = next((m for m in memberships if m.org_id == user.current_org_id), None)
    return marked or (memberships[0] if memberships else None)


def settle_current_org(fake: LowcoderFake, user_id: str) -> None:
    """Move a user's current org that is no longer one of their active orgs to the first that is (or none)."""
    user = fake.store.user(user_id)
    if user is None:
        return
    memberships = active_memberships(fake, user_id)
    if any(m.org_id == user.current_org_id for m in memberships):
        return
    fake.store.update_user(user_id, current_org_id=memberships[0].org_id if memberships else None)
