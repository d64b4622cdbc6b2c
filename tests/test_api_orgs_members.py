"""Org members: list, role, leave, remove — reference §4, refined from Lowcoder's source
(OrganizationController, OrgApiServiceImpl, OrgMemberServiceImpl at the tags)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from lowcoder_http import (
    ADMIN_EMAIL,
    INTERNAL,
    MEMBER_EMAIL,
    NOT_AUTHORIZED,
    OTHER_ADMIN_EMAIL,
    TRUE,
    UNKNOWN_ORG_ID,
    compact,
    not_authorized_status,
    put_update,
    users_me,
)
from orgs_support import (
    FALSE,
    LAST_ADMIN,
    NO_VALID_ORG,
    TOO_MANY_DEVELOPERS,
    add_org,
    add_user,
    bad_parameter,
    call,
    current_org,
    ok,
    roles,
    state,
    user_id,
)

ROLE_REASON = "updateRoleRequest' : OrganizationController.updateRoleForMember"
REMOVE_REASON = "userId' : OrganizationController.removeUserFromOrg"


def members_reason(name: str) -> str:
    return f"{name}' : OrganizationController.getOrgMembers"


def member_view(r: Any, email: str, org_id: str) -> dict[str, Any]:
    """One member as Lowcoder lists it, key for key (OrgMemberListView.OrgMemberView)."""
    user = r.fake.store.user_by_email(email)
    membership = r.fake.store.membership(org_id, user.id)
    return {
        "userId": user.id,
        "name": user.name,
        "avatarUrl": None,
        "role": membership.role,
        "joinTime": membership.join_time,
        "rawUserInfos": {"EMAIL": {"email": email}},
    }


def listed(text: str) -> list[str]:
    return [member["userId"] for member in json.loads(text)["data"]["members"]]


# -- GET /organizations/{orgId}/members ---------------------------------------------------


@pytest.mark.parametrize("version", ["2.0.1", "2.1.6", "2.4.12"])
@pytest.mark.parametrize(("email", "role"), [(ADMIN_EMAIL, "admin"), (MEMBER_EMAIL, "member")])
@pytest.mark.parametrize("prefix", ["/api", "/api/v1"])
async def test_members_list_before_2_5_0(make_fake: Any, version: str, email: str, role: str, prefix: str) -> None:
    r = await make_fake(version)
    org = r.first_org_id
    expected = {"visitorRole": role, "members": [member_view(r, ADMIN_EMAIL, org), member_view(r, MEMBER_EMAIL, org)]}
    assert await call(r, "GET", f"/organizations/{org}/members", email=email, prefix=prefix) == (200, ok(expected))


async def test_members_list_text_is_exact(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    admin, member = (r.fake.store.user_by_email(email) for email in (ADMIN_EMAIL, MEMBER_EMAIL))
    joined = [m.join_time for m in r.fake.store.members_of_org(r.first_org_id)]
    assert await call(r, "GET", f"/organizations/{r.first_org_id}/members") == (
        200,
        '{"code":1,"message":"","data":{"visitorRole":"admin","members":['
        f'{{"userId":"{admin.id}","name":"Michelle Garcia","avatarUrl":null,"role":"admin","joinTime":{joined[0]},'
        '"rawUserInfos":{"EMAIL":{"email":"admin@example.com"}}},'
        f'{{"userId":"{member.id}","name":"William Jones","avatarUrl":null,"role":"member","joinTime":{joined[1]},'
        '"rawUserInfos":{"EMAIL":{"email":"member@example.com"}}}]},"success":true}',
    )


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_visitor_role_is_the_role_in_the_current_org(make_fake: Any, version: str) -> None:
    r = await make_fake(version, workspace_mode="SAAS")
    second = r.fake.store.orgs()[1].id
    add_user(r, "multi@example.com", {second: "admin", r.first_org_id: "member"})  # current: second
    status, text = await call(r, "GET", f"/organizations/{r.first_org_id}/members", email="multi@example.com")
    assert status == 200
    data = json.loads(text)["data"]
    assert data["visitorRole"] == "admin"
    assert data["members"][-1]["role"] == "member"


async def test_members_list_without_a_current_org(make_fake: Any) -> None:
    """A member of an org set DELETED (2.7.0's update) and of no other: no current org (5105)."""
    r = await make_fake("2.7.6")
    r.fake.store.update_org(r.first_org_id, state="DELETED")
    assert await call(r, "GET", f"/organizations/{r.first_org_id}/members") == (500, NO_VALID_ORG)


@pytest.mark.parametrize("version", ["2.1.6", "2.5.0", "2.7.6"])
@pytest.mark.parametrize("who", ["non-member", "nonexistent org"])
async def test_members_list_needs_a_member(make_fake: Any, version: str, who: str) -> None:
    r = await make_fake(version)
    email, org_id = {
        "non-member": (OTHER_ADMIN_EMAIL, r.first_org_id),
        "nonexistent org": (ADMIN_EMAIL, UNKNOWN_ORG_ID),
    }[who]
    assert await call(r, "GET", f"/organizations/{org_id}/members", email=email) == (
        not_authorized_status(version),
        NOT_AUTHORIZED,
    )
    assert await call(r, "GET", f"/organizations/{org_id}/members", email=None) == (401, "")


def many_members(r: Any, count: int) -> list[str]:
    """Add members to the first org until it has ``count``; its member ids in order."""
    for index in range(count - 2):
        add_user(r, f"m{index}@example.com", {r.first_org_id: "member"})
    return [m.user_id for m in r.fake.store.members_of_org(r.first_org_id)]


@pytest.mark.parametrize(
    ("params", "slice_"),
    [
        ({}, slice(0, 5)),
        ({"page": "0", "count": "2"}, slice(0, 2)),
        ({"page": "1", "count": "2"}, slice(2, 4)),
        ({"page": "2", "count": "2"}, slice(4, 5)),
        ({"page": "9", "count": "2"}, slice(5, 5)),
        ({"page": "", "count": " 3 "}, slice(0, 3)),
        ({"page": "0x1", "count": "#2"}, slice(2, 4)),
        ({"pageNum": "1", "pageSize": "1"}, slice(0, 5)),  # 2.5 names mean nothing yet
    ],
)
async def test_members_paging_before_2_5_0(make_fake: Any, params: dict[str, str], slice_: slice) -> None:
    r = await make_fake("2.1.6")
    ids = many_members(r, 5)
    status, text = await call(r, "GET", f"/organizations/{r.first_org_id}/members", params=params)
    assert status == 200
    assert list(json.loads(text)["data"]) == ["visitorRole", "members"]
    assert listed(text) == ids[slice_]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"page": "-1"}, (500, INTERNAL)),
        ({"count": "0"}, (500, INTERNAL)),
        ({"count": "-5"}, (500, INTERNAL)),
        ({"page": "x"}, (500, bad_parameter(members_reason("page")))),
        ({"page": "1.0"}, (500, bad_parameter(members_reason("page")))),
        ({"count": "2147483648"}, (500, bad_parameter(members_reason("count")))),
        ({"count": "1_000"}, (500, bad_parameter(members_reason("count")))),
    ],
)
@pytest.mark.parametrize("email", [ADMIN_EMAIL, OTHER_ADMIN_EMAIL])
async def test_members_bad_paging_before_2_5_0_fails_before_the_member_check(
    make_fake: Any, params: dict[str, str], expected: tuple[int, str], email: str
) -> None:
    r = await make_fake("2.1.6")
    assert await call(r, "GET", f"/organizations/{r.first_org_id}/members", params=params, email=email) == expected


@pytest.mark.parametrize(
    ("params", "expected_ids", "total", "page", "size"),
    [
        ({}, slice(0, 5), 5, 0, 1000),
        ({"pageNum": "0", "pageSize": "2"}, slice(0, 2), 2, 0, 2),
        ({"pageNum": "1", "pageSize": "2"}, slice(0, 0), 2, 1, 2),  # subList(2, 2) of a full second page
        ({"page": "1", "count": "1"}, slice(0, 5), 5, 0, 1000),  # the old names mean nothing now
    ],
)
async def test_members_paging_at_2_5_0(
    make_fake: Any, params: dict[str, str], expected_ids: slice, total: int, page: int, size: int
) -> None:
    r = await make_fake("2.5.0")
    ids = many_members(r, 5)
    status, text = await call(r, "GET", f"/organizations/{r.first_org_id}/members", params=params)
    assert status == 200
    data = json.loads(text)["data"]
    assert list(data) == ["visitorRole", "members", "total", "pageNum", "pageSize"]
    assert (data["total"], data["pageNum"], data["pageSize"]) == (total, page, size)
    assert listed(text) == ids[expected_ids]


@pytest.mark.parametrize(
    "params",
    [{"pageNum": "1"}, {"pageNum": "2", "pageSize": "2"}, {"pageNum": "-1"}, {"pageSize": "0"}],
)
async def test_members_paging_at_2_5_0_fails_past_the_first_page(make_fake: Any, params: dict[str, str]) -> None:
    """2.5.0 pages twice (query, then subList of that page): past the first page it fails (a real bug)."""
    r = await make_fake("2.5.0")
    many_members(r, 5)
    assert await call(r, "GET", f"/organizations/{r.first_org_id}/members", params=params) == (500, INTERNAL)


@pytest.mark.parametrize("version", ["2.5.1", "2.6.0", "2.6.5", "2.7.6"])
@pytest.mark.parametrize(
    ("params", "expected_ids", "page", "size"),
    [
        ({}, slice(0, 5), 1, 1000),
        ({"pageNum": "1", "pageSize": "2"}, slice(0, 2), 1, 2),
        ({"pageNum": "2", "pageSize": "2"}, slice(2, 4), 2, 2),
        ({"pageNum": "3", "pageSize": "2"}, slice(4, 5), 3, 2),
        ({"pageNum": "6", "pageSize": "1"}, slice(5, 5), 6, 1),
        ({"pageSize": "0"}, slice(0, 5), 1, 0),
        ({"pageNum": "7", "pageSize": "0"}, slice(0, 5), 7, 0),
        ({"pageNum": "0", "pageSize": "0"}, slice(0, 5), 0, 0),
    ],
)
async def test_members_paging_from_2_5_1(
    make_fake: Any, version: str, params: dict[str, str], expected_ids: slice, page: int, size: int
) -> None:
    r = await make_fake(version)
    ids = many_members(r, 5)
    status, text = await call(r, "GET", f"/organizations/{r.first_org_id}/members", params=params)
    assert status == 200, text
    data = json.loads(text)["data"]
    assert list(data) == ["visitorRole", "members", "total", "pageNum", "pageSize"]
    assert (data["visitorRole"], data["total"], data["pageNum"], data["pageSize"]) == ("admin", 5, page, size)
    assert listed(text) == ids[expected_ids]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"pageNum": "0"}, (500, INTERNAL)),
        ({"pageNum": "-1", "pageSize": "2"}, (500, INTERNAL)),
        ({"pageNum": "4", "pageSize": "2"}, (500, INTERNAL)),
        ({"pageNum": "2"}, (500, INTERNAL)),
        ({"pageSize": "-1"}, (500, INTERNAL)),
        ({"pageNum": "two"}, (500, bad_parameter(members_reason("pageNum")))),
        ({"pageSize": "1e3"}, (500, bad_parameter(members_reason("pageSize")))),
    ],
)
async def test_members_bad_paging_from_2_5_1(make_fake: Any, params: dict[str, str], expected: tuple[int, str]) -> None:
    r = await make_fake("2.7.6")
    many_members(r, 5)
    assert await call(r, "GET", f"/organizations/{r.first_org_id}/members", params=params) == expected


async def test_members_paging_from_2_5_1_is_checked_after_the_member_check(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    path = f"/organizations/{r.first_org_id}/members"
    assert await call(r, "GET", path, params={"pageNum": "0"}, email=OTHER_ADMIN_EMAIL) == (401, NOT_AUTHORIZED)
    assert await call(r, "GET", path, params={"pageNum": "x"}, email=OTHER_ADMIN_EMAIL) == (
        500,
        bad_parameter(members_reason("pageNum")),
    )


async def test_members_by_gid(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    org = r.fake.store.org(r.first_org_id)
    assert await call(r, "GET", f"/organizations/{org.gid}/members") == await call(
        r, "GET", f"/organizations/{org.id}/members"
    )


# -- PUT /organizations/{orgId}/role ----------------------------------------------------------


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize("prefix", ["/api", "/api/v1"])
async def test_admin_promotes_a_member(make_fake: Any, version: str, prefix: str) -> None:
    r = await make_fake(version)
    body = {"userId": user_id(r, MEMBER_EMAIL), "role": "admin"}
    joined = r.fake.store.membership(r.first_org_id, user_id(r, MEMBER_EMAIL)).join_time
    assert await call(r, "PUT", f"/organizations/{r.first_org_id}/role", body, prefix=prefix) == (200, TRUE)
    assert roles(r, r.first_org_id) == {ADMIN_EMAIL: "admin", MEMBER_EMAIL: "admin"}
    assert r.fake.store.membership(r.first_org_id, user_id(r, MEMBER_EMAIL)).join_time == joined
    assert await put_update(r, r.first_org_id, {"orgName": "Now allowed"}, email=MEMBER_EMAIL) == (200, TRUE)


@pytest.mark.parametrize(
    ("version", "role", "stored"),
    [
        ("2.1.6", "member", "member"),
        ("2.1.6", "ADMIN", "member"),
        ("2.1.6", "owner", "member"),
        ("2.1.6", "", "member"),
        ("2.1.6", None, "member"),
        ("2.1.6", "super_admin", "member"),
        ("2.3.1", "super_admin", "member"),
        ("2.4.0", "super_admin", "super_admin"),
        ("2.7.6", "super_admin", "super_admin"),
        ("2.7.6", "Super_Admin", "member"),
    ],
)
async def test_role_strings(make_fake: Any, version: str, role: str | None, stored: str) -> None:
    r = await make_fake(version)
    other = r.fake.store.orgs()[1].id
    target = add_user(r, "target@example.com", {other: "member", r.first_org_id: "admin"})
    assert await call(r, "PUT", f"/organizations/{r.first_org_id}/role", {"userId": target, "role": role}) == (
        200,
        TRUE,
    )
    assert roles(r, r.first_org_id)["target@example.com"] == stored


async def test_role_for_a_non_member_is_true_and_changes_nothing(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    before = state(r)
    for target in (user_id(r, OTHER_ADMIN_EMAIL), "nobody", None):
        assert await call(r, "PUT", f"/organizations/{r.first_org_id}/role", {"userId": target, "role": "admin"}) == (
            200,
            TRUE,
        )
    assert state(r) == before


async def test_the_last_admin_may_demote_themselves(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    body = {"userId": user_id(r, ADMIN_EMAIL), "role": "member"}
    assert await call(r, "PUT", f"/organizations/{r.first_org_id}/role", body) == (200, TRUE)
    assert roles(r, r.first_org_id) == {ADMIN_EMAIL: "member", MEMBER_EMAIL: "member"}


@pytest.mark.parametrize("version", ["2.1.6", "2.5.1", "2.7.6"])
@pytest.mark.parametrize("who", ["member", "non-member", "nonexistent org"])
async def test_role_needs_an_admin(make_fake: Any, version: str, who: str) -> None:
    r = await make_fake(version)
    email, org_id = {
        "member": (MEMBER_EMAIL, r.first_org_id),
        "non-member": (OTHER_ADMIN_EMAIL, r.first_org_id),
        "nonexistent org": (ADMIN_EMAIL, UNKNOWN_ORG_ID),
    }[who]
    before = state(r)
    body = {"userId": user_id(r, MEMBER_EMAIL), "role": "admin"}
    assert await call(r, "PUT", f"/organizations/{org_id}/role", body, email=email) == (
        not_authorized_status(version),
        NOT_AUTHORIZED,
    )
    assert state(r) == before


@pytest.mark.parametrize(("version", "allowed"), [("2.5.1", False), ("2.5.2", True), ("2.7.6", True)])
async def test_super_admin_may_change_roles_from_2_5_2(make_fake: Any, version: str, allowed: bool) -> None:
    r = await make_fake(version)
    r.fake.store.set_role(r.first_org_id, user_id(r, MEMBER_EMAIL), "super_admin")
    body = {"userId": user_id(r, ADMIN_EMAIL), "role": "member"}
    expected = (200, TRUE) if allowed else (401, NOT_AUTHORIZED)
    assert await call(r, "PUT", f"/organizations/{r.first_org_id}/role", body, email=MEMBER_EMAIL) == expected


@pytest.mark.parametrize("raw", [b"{broken", b"", b"[]", b'{"userId":{}}', b'{"role":["admin"]}'], ids=repr)
async def test_role_bad_body_is_5002_before_the_admin_check(make_fake: Any, raw: bytes) -> None:
    r = await make_fake("2.7.6")
    before = state(r)
    for email in (ADMIN_EMAIL, MEMBER_EMAIL):
        assert await call(r, "PUT", f"/organizations/{r.first_org_id}/role", raw, email=email) == (
            500,
            bad_parameter(ROLE_REASON),
        )
    assert state(r) == before


async def test_role_admin_beyond_100_developers(make_fake: Any) -> None:
    """BizThresholdChecker.checkMaxDeveloperCount: admins plus the target may not exceed 100."""
    r = await make_fake("2.7.6")
    for index in range(99):  # with the seeded admin: 100 admins
        add_user(r, f"a{index}@example.com", {r.first_org_id: "admin"})
    target = user_id(r, MEMBER_EMAIL)
    before = state(r)
    path = f"/organizations/{r.first_org_id}/role"
    assert await call(r, "PUT", path, {"userId": target, "role": "admin"}) == (500, TOO_MANY_DEVELOPERS)
    assert state(r) == before
    assert await call(r, "PUT", path, {"userId": user_id(r, "a0@example.com"), "role": "admin"}) == (200, TRUE)
    assert await call(r, "PUT", path, {"userId": target, "role": "super_admin"}) == (200, TRUE)


# -- DELETE /organizations/{orgId}/leave ------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize("prefix", ["/api", "/api/v1"])
async def test_member_leaves(make_fake: Any, version: str, prefix: str) -> None:
    r = await make_fake(version)
    path = f"/organizations/{r.first_org_id}/leave"
    assert await call(r, "DELETE", path, email=MEMBER_EMAIL, prefix=prefix) == (200, TRUE)
    assert roles(r, r.first_org_id) == {ADMIN_EMAIL: "admin"}
    assert current_org(r, MEMBER_EMAIL) is None
    me = await users_me(r, r.session_headers(MEMBER_EMAIL))
    assert (me["orgAndRoles"], me["currentOrgId"]) == ([], None)
    assert await call(r, "DELETE", path, email=MEMBER_EMAIL, prefix=prefix) == (200, FALSE)


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_the_last_admin_cannot_leave(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    before = state(r)
    assert await call(r, "DELETE", f"/organizations/{r.first_org_id}/leave") == (500, LAST_ADMIN)
    assert state(r) == before


async def test_an_admin_with_another_admin_leaves(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    r.fake.store.set_role(r.first_org_id, user_id(r, MEMBER_EMAIL), "admin")
    assert await call(r, "DELETE", f"/organizations/{r.first_org_id}/leave") == (200, TRUE)
    assert roles(r, r.first_org_id) == {MEMBER_EMAIL: "admin"}
    assert await call(r, "DELETE", f"/organizations/{r.first_org_id}/leave", email=MEMBER_EMAIL) == (500, LAST_ADMIN)


async def test_super_admins_do_not_count_as_admins_for_leaving(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    r.fake.store.set_role(r.first_org_id, user_id(r, MEMBER_EMAIL), "super_admin")
    assert await call(r, "DELETE", f"/organizations/{r.first_org_id}/leave") == (500, LAST_ADMIN)
    assert await call(r, "DELETE", f"/organizations/{r.first_org_id}/leave", email=MEMBER_EMAIL) == (200, TRUE)


@pytest.mark.parametrize("org", ["other", "nonexistent"])
async def test_leaving_an_org_one_is_not_in_is_false(make_fake: Any, org: str) -> None:
    r = await make_fake("2.7.6")
    org_id = r.fake.store.orgs()[1].id if org == "other" else UNKNOWN_ORG_ID
    before = state(r)
    assert await call(r, "DELETE", f"/organizations/{org_id}/leave", email=MEMBER_EMAIL) == (200, FALSE)
    assert state(r) == before


async def test_leaving_the_current_org_moves_to_the_next(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    second = r.fake.store.orgs()[1].id
    add_user(r, "multi@example.com", {r.first_org_id: "member", second: "member"})
    assert await call(r, "DELETE", f"/organizations/{r.first_org_id}/leave", email="multi@example.com") == (200, TRUE)
    assert current_org(r, "multi@example.com") == second


async def test_leaving_another_org_keeps_the_current_one(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    second = r.fake.store.orgs()[1].id
    add_user(r, "multi@example.com", {r.first_org_id: "member", second: "member"})
    assert await call(r, "DELETE", f"/organizations/{second}/leave", email="multi@example.com") == (200, TRUE)
    assert current_org(r, "multi@example.com") == r.first_org_id


# -- DELETE /organizations/{orgId}/remove?userId= ------------------------------------------------------


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize("prefix", ["/api", "/api/v1"])
async def test_admin_removes_a_member(make_fake: Any, version: str, prefix: str) -> None:
    r = await make_fake(version)
    path = f"/organizations/{r.first_org_id}/remove"
    params = {"userId": user_id(r, MEMBER_EMAIL)}
    assert await call(r, "DELETE", path, params=params, prefix=prefix) == (200, TRUE)
    assert roles(r, r.first_org_id) == {ADMIN_EMAIL: "admin"}
    assert current_org(r, MEMBER_EMAIL) is None
    assert await call(r, "DELETE", path, params=params, prefix=prefix) == (200, FALSE)


@pytest.mark.parametrize("target", ["other-org admin", "nobody", ""])
async def test_removing_a_non_member_is_false(make_fake: Any, target: str) -> None:
    r = await make_fake("2.1.6")
    user = user_id(r, OTHER_ADMIN_EMAIL) if target == "other-org admin" else target
    before = state(r)
    assert await call(r, "DELETE", f"/organizations/{r.first_org_id}/remove", params={"userId": user}) == (200, FALSE)
    assert state(r) == before


async def test_the_last_admin_may_remove_themselves(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    params = {"userId": user_id(r, ADMIN_EMAIL)}
    assert await call(r, "DELETE", f"/organizations/{r.first_org_id}/remove", params=params) == (200, TRUE)
    assert roles(r, r.first_org_id) == {MEMBER_EMAIL: "member"}
    assert current_org(r, ADMIN_EMAIL) is None


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize("email", [ADMIN_EMAIL, MEMBER_EMAIL])
async def test_remove_without_user_id_is_5002_before_the_admin_check(make_fake: Any, version: str, email: str) -> None:
    r = await make_fake(version)
    before = state(r)
    assert await call(r, "DELETE", f"/organizations/{r.first_org_id}/remove", email=email) == (
        500,
        bad_parameter(REMOVE_REASON),
    )
    assert state(r) == before


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize("who", ["member", "non-member", "nonexistent org"])
async def test_remove_needs_an_admin(make_fake: Any, version: str, who: str) -> None:
    r = await make_fake(version)
    email, org_id = {
        "member": (MEMBER_EMAIL, r.first_org_id),
        "non-member": (OTHER_ADMIN_EMAIL, r.first_org_id),
        "nonexistent org": (ADMIN_EMAIL, UNKNOWN_ORG_ID),
    }[who]
    before = state(r)
    params = {"userId": user_id(r, ADMIN_EMAIL)}
    assert await call(r, "DELETE", f"/organizations/{org_id}/remove", params=params, email=email) == (
        not_authorized_status(version),
        NOT_AUTHORIZED,
    )
    assert state(r) == before


async def test_remove_moves_the_removed_users_current_org(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    other = add_org(r, "Other")
    target = add_user(r, "multi@example.com", {r.first_org_id: "member", other: "member"})
    assert await call(r, "DELETE", f"/organizations/{r.first_org_id}/remove", params={"userId": target}) == (200, TRUE)
    assert current_org(r, "multi@example.com") == other


async def test_member_calls_are_journaled_by_name(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    org = r.first_org_id
    await call(r, "GET", f"/organizations/{org}/members")
    await call(r, "PUT", f"/organizations/{org}/role", {"userId": "x", "role": "member"})
    await call(r, "DELETE", f"/organizations/{org}/leave", email=MEMBER_EMAIL)
    await call(r, "DELETE", f"/organizations/{org}/remove", params={"userId": "x"})
    assert [(c.operation, c.status) for c in r.fake.journal.calls()] == [
        ("listOrganizationMembers", 200),
        ("updateOrganizationMemberRole", 200),
        ("leaveOrganization", 200),
        ("removeOrganizationMember", 200),
    ]
    assert compact(r.fake.journal.calls()[3].query) == '{"userId":"x"}'
