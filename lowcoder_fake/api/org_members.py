"""``/api/organizations/{orgId}``: members — list, role, leave, remove (reference §4).

Facts beyond the reference were read from Lowcoder's source (``OrgApiServiceImpl``,
``OrgMemberServiceImpl``) at its tags.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, TypeVar

from aiohttp import web

from lowcoder_fake.api.http import caller, envelope_response, fake_of, json_object_body, text_field
from lowcoder_fake.api.organizations import require_admin, require_member, resolve_org_id
from lowcoder_fake.api.params import int_param, text_param
from lowcoder_fake.api.routing import OperationTable
from lowcoder_fake.envelope import LowcoderError
from lowcoder_fake.fake import LowcoderFake
from lowcoder_fake.memberships import current_membership, settle_current_org
from lowcoder_fake.models import Membership

__all__ = ["routes"]

routes = OperationTable()

ROLE_REASON: Final = "updateRoleRequest' : OrganizationController.updateRoleForMember"
REMOVE_REASON: Final = "userId' : OrganizationController.removeUserFromOrg"
MEMBERS_HANDLER: Final = "OrganizationController.getOrgMembers"

#: Lowcoder's ``default.maxDeveloperCount`` (BizThresholdChecker).
MAX_DEVELOPERS: Final = 100

_T = TypeVar("_T")


def _int32(value: int) -> int:
    """Java ``int`` arithmetic: wrap around at 32 bits."""
    return (value + 2**31) % 2**32 - 2**31


def _sub_list(items: Sequence[_T], start: int, end: int) -> list[_T]:
    """Java's ``List.subList``: an index outside the list, or start after end, fails (500/5000)."""
    if start < 0 or end > len(items) or start > end:
        raise LowcoderError.named("INTERNAL_SERVER_ERROR")
    return list(items[start:end])


def _page_request(items: Sequence[_T], page: int, size: int) -> list[_T]:
    """Spring Data's ``PageRequest.of(page, size)`` over the members: a negative page or a size
    under 1 fails (500/5000)."""
    if page < 0 or size < 1:
        raise LowcoderError.named("INTERNAL_SERVER_ERROR")
    return list(items[page * size : (page + 1) * size])


def _member_view(fake: LowcoderFake, membership: Membership) -> dict[str, Any] | None:
    user = fake.store.user(membership.user_id)
    if user is None:  # Lowcoder leaves out a member whose user is gone
        return None
    return {
        "userId": user.id,
        "name": user.name,
        "avatarUrl": None,  # form users have no avatar
        "role": membership.role,
        "joinTime": membership.join_time,
        "rawUserInfos": {"EMAIL": {"email": user.email}},
    }


@routes.route("GET", "/organizations/{orgId}/members", "listOrganizationMembers")
async def list_organization_members(request: web.Request) -> web.StreamResponse:
    """The org's members (in the order they joined), to a member.

    ``visitorRole`` is the caller's role in their *current* org. Paging by version:
    before 2.5.0 ``page`` (0-based) / ``count``; 2.5.0 ``pageNum`` (0-based, and a
    page past the first fails: a real bug) / ``pageSize``, ``total`` = the page's size;
    from 2.5.1 ``pageNum`` (1-based) / ``pageSize`` (0 = all), ``total`` = all members.
    Before 2.5.1 a bad page fails before the membership check (Lowcoder builds its
    ``PageRequest`` first).
    """
    fake = fake_of(request)
    user = caller(request)
    behaviours = fake.behaviours
    page_name, size_name = ("pageNum", "pageSize") if behaviours.members_paged else ("page", "count")
    one_based = behaviours.members_page_one_based
    page = int_param(request, page_name, 1 if one_based else 0, f"{page_name}' : {MEMBERS_HANDLER}")
    size = int_param(request, size_name, 1000, f"{size_name}' : {MEMBERS_HANDLER}")
    org_id = resolve_org_id(fake, request.match_info["orgId"])
    members = fake.store.members_of_org(org_id)
    fetched = members if one_based else _page_request(members, page, size)
    require_member(fake, user, org_id)
    if one_based:
        total = len(fetched)
        end = total if size == 0 else min(_int32(page * size), total)
        shown = _sub_list(fetched, _int32((page - 1) * size), end)
    elif behaviours.members_paged:
        total = len(fetched)
        shown = _sub_list(fetched, _int32(page * size), min(_int32(page * size + size), total))
    else:
        shown = fetched
    current = current_membership(fake, user)
    if current is None:
        raise LowcoderError.named("UNABLE_TO_FIND_VALID_ORG")
    views = [view for view in (_member_view(fake, membership) for membership in shown) if view is not None]
    data: dict[str, Any] = {"visitorRole": current.role, "members": views}
    if behaviours.members_paged:
        data.update({"total": total, "pageNum": page, "pageSize": size})
    return envelope_response(data)


@routes.route("PUT", "/organizations/{orgId}/role", "updateOrganizationMemberRole")
async def update_organization_member_role(request: web.Request) -> web.StreamResponse:
    """``{"userId", "role"}``, to an admin; always ``true`` (a non-member target changes nothing).

    A role the version does not know (or a null one) becomes ``member``. Making someone
    ``admin`` past 100 admins is EXCEED_MAX_DEVELOPER_COUNT (Lowcoder also counts its
    developers group, which the fake does not model).
    """
    fake = fake_of(request)
    user = caller(request)
    body = json_object_body(request, ROLE_REASON)
    target = text_field(body, "userId", ROLE_REASON)
    role = text_field(body, "role", ROLE_REASON)
    org_id = resolve_org_id(fake, request.match_info["orgId"])
    require_admin(fake, user, org_id)
    stored_role = role if role in fake.behaviours.known_roles() else "member"
    if stored_role == "admin":
        developers = {m.user_id for m in fake.store.members_of_org(org_id) if m.role == "admin"} | {target}
        if len(developers) > MAX_DEVELOPERS:
            raise LowcoderError.named("EXCEED_MAX_DEVELOPER_COUNT")
    if target is not None:
        fake.store.set_role(org_id, target, stored_role)
    return envelope_response(True)


@routes.route("DELETE", "/organizations/{orgId}/leave", "leaveOrganization")
async def leave_organization(request: web.Request) -> web.StreamResponse:
    """The caller leaves: ``true``, or ``false`` when not a member (no membership check).

    The only ``admin`` (``super_admin`` does not count) cannot leave (5102).
    """
    fake = fake_of(request)
    user = caller(request)
    org_id = resolve_org_id(fake, request.match_info["orgId"])
    admins = [m.user_id for m in fake.store.members_of_org(org_id) if m.role == "admin"]
    if admins == [user.id]:
        raise LowcoderError.named("LAST_ADMIN_CANNOT_LEAVE_ORG")
    left = fake.store.remove_member(org_id, user.id)
    settle_current_org(fake, user.id)
    return envelope_response(left)


@routes.route("DELETE", "/organizations/{orgId}/remove", "removeOrganizationMember")
async def remove_organization_member(request: web.Request) -> web.StreamResponse:
    """``?userId=``, to an admin: ``true``, or ``false`` for a non-member; removing oneself is allowed.

    Not modelled: in ENTERPRISE mode Lowcoder also marks the removed user deleted.
    """
    fake = fake_of(request)
    user = caller(request)
    target = text_param(request, "userId")
    if target is None:
        raise LowcoderError.named("INVALID_PARAMETER", REMOVE_REASON)
    org_id = resolve_org_id(fake, request.match_info["orgId"])
    require_admin(fake, user, org_id)
    removed = fake.store.remove_member(org_id, target)
    settle_current_org(fake, target)
    return envelope_response(removed)
