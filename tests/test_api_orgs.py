"""The org endpoints besides update and members: create, read, delete, switch, settings,
data source types — reference §4, refined from Lowcoder's source (see orgs_support)."""

from __future__ import annotations

import json
import re
import time
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
    UNSUPPORTED,
    error,
    not_authorized_status,
    users_me,
)
from orgs_support import (
    FALSE,
    INVALID_ORG_ID,
    LAST_ADMIN,
    ORG_NOT_ACTIVE,
    ORGANIZATION_NOT_FOUND,
    TOO_MANY_ORGS,
    UNKNOWN_GID,
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

CREATE_REASON = "organization' : OrganizationController.create"
SETTINGS_REASON = "request' : OrganizationController.updateOrgCommonSettings"
#: The PASSWORD_RESET_EMAIL_TEMPLATE a new org gets (OrganizationServiceImpl / OrganizationService).
TEMPLATE_2_4_0 = (
    "<p>Hi, %s<br/>Here is the link to reset your password: %s<br/>"
    "Please note that the link will expire after 12 hours.<br/><br/>Regards,<br/>The Lowcoder Team</p>"
)
TEMPLATE_2_4_6 = (
    "<p>Hi, %s<br/>Here is the link to reset your password: %s<br/>"
    "Please note that the link will expire after 12 hours.<br/><br/></p>"
)


def new_orgs(r: Any, before: list[Any]) -> list[Any]:
    known = {org.id for org in before}
    return [org for org in r.fake.store.orgs() if org.id not in known]


# -- POST /organizations ---------------------------------------------------------------


@pytest.mark.parametrize(("version", "mode"), [("2.1.6", "SAAS"), ("2.3.0", None), ("2.7.2", None)])
@pytest.mark.parametrize("prefix", ["/api", "/api/v1"])
async def test_create_makes_the_caller_admin_of_a_new_org(
    make_fake: Any, version: str, mode: str | None, prefix: str
) -> None:
    r = await make_fake(version, workspace_mode=mode)
    before = r.fake.store.orgs()
    current = current_org(r, ADMIN_EMAIL)
    status, text = await call(r, "POST", "/organizations", {"name": "Acme", "contactEmail": "a@acme.io"}, prefix=prefix)
    (org,) = new_orgs(r, before)
    assert (status, text) == (200, ok({"orgId": org.id, "orgName": "Acme"}))
    assert re.fullmatch(r"[0-9a-f]{24}", org.id)
    assert (org.name, org.contact_email, org.contact_name, org.state) == ("Acme", "a@acme.io", None, "ACTIVE")
    assert org.created_by == user_id(r, ADMIN_EMAIL)
    assert org.is_auto_generated is False
    assert org.logo_url == ""
    assert abs(org.create_time - time.time() * 1000) < 60_000
    assert roles(r, org.id) == {ADMIN_EMAIL: "admin"}
    assert current_org(r, ADMIN_EMAIL) == current  # the caller's current org stays
    me = await users_me(r, r.session_headers(ADMIN_EMAIL))
    assert [entry["role"] for entry in me["orgAndRoles"] if entry["org"]["id"] == org.id] == ["admin"]


async def test_create_answer_has_created_and_updated_at_from_2_7_3(make_fake: Any) -> None:
    """OrgView gained getCreatedAt/getUpdatedAt in 2.7.3: a Java Instant, decimal seconds with 9 digits."""
    r = await make_fake("2.7.3")
    before = r.fake.store.orgs()
    started = time.time()
    status, text = await call(r, "POST", "/organizations", {"name": "Acme"})
    (org,) = new_orgs(r, before)
    assert status == 200
    match = re.fullmatch(
        r'\{"code":1,"message":"","data":\{"orgId":"([0-9a-f]{24})","orgName":"Acme",'
        r'"createdAt":(\d+\.\d{9}),"updatedAt":(\d+\.\d{9})\},"success":true\}',
        text,
    )
    assert match is not None, text
    assert match.group(1) == org.id
    assert match.group(2) == match.group(3)
    seconds = float(match.group(2))
    assert started - 1 <= seconds <= time.time() + 1
    assert int(match.group(2).replace(".", "")[:-6]) == org.create_time  # the same instant, in ms


async def test_create_answer_before_2_7_3_has_no_times(make_fake: Any) -> None:
    r = await make_fake("2.7.2")
    status, text = await call(r, "POST", "/organizations", {"name": "Acme"})
    assert status == 200
    assert list(json.loads(text)["data"]) == ["orgId", "orgName"]


@pytest.mark.parametrize("version", ["2.1.6", "2.2.1"])
async def test_create_in_enterprise_mode_is_unsupported(make_fake: Any, version: str) -> None:
    r = await make_fake(version)  # ENTERPRISE by default up to 2.2.x
    before = state(r)
    assert await call(r, "POST", "/organizations", {"name": "Acme"}) == (400, UNSUPPORTED)
    assert state(r) == before


async def test_create_in_enterprise_mode_at_2_7_6(make_fake: Any) -> None:
    r = await make_fake("2.7.6", workspace_mode="ENTERPRISE")
    before = state(r)
    assert await call(r, "POST", "/organizations", {"name": "Acme"}) == (400, UNSUPPORTED)
    assert state(r) == before


@pytest.mark.parametrize("given_id", [UNKNOWN_ORG_ID, "x", 5])
async def test_create_with_an_id_is_invalid(make_fake: Any, given_id: Any) -> None:
    """OrganizationServiceImpl.create: INVALID_PARAMETER with the INVALID_PARAMETER message key."""
    r = await make_fake("2.1.6", workspace_mode="SAAS")
    before = state(r)
    expected = error(5002, "Invalid parameter found: organization, please check and try again.")
    assert await call(r, "POST", "/organizations", {"name": "Acme", "id": given_id}) == (500, expected)
    assert state(r) == before


@pytest.mark.parametrize("given_id", ["", "   ", None])
async def test_create_with_a_blank_id_creates(make_fake: Any, given_id: Any) -> None:
    r = await make_fake("2.1.6", workspace_mode="SAAS")
    before = r.fake.store.orgs()
    status, _ = await call(r, "POST", "/organizations", {"name": "Acme", "id": given_id})
    assert status == 200
    assert len(new_orgs(r, before)) == 1


@pytest.mark.parametrize(
    ("body", "name"),
    [({}, None), ({"name": None}, None), ({"name": ""}, ""), ({"name": "  "}, "  "), ({"name": 42}, "42")],
)
async def test_create_does_not_validate_the_name(make_fake: Any, body: dict[str, Any], name: str | None) -> None:
    r = await make_fake("2.7.6")
    before = r.fake.store.orgs()
    status, text = await call(r, "POST", "/organizations", body)
    (org,) = new_orgs(r, before)
    assert status == 200
    assert json.loads(text)["data"]["orgName"] == name
    assert org.name == name


@pytest.mark.parametrize(
    "raw",
    [
        b"{broken",
        b"",
        b"[]",
        b'"Acme"',
        b'{"name":{}}',
        b'{"name":["Acme"]}',
        b'{"contactName":{}}',
        b'{"id":{}}',
        b'{"commonSettings":"x"}',
        b'{"commonSettings":[]}',
        b'{"state":"ARCHIVED"}',
        b'{"isAutoGeneratedOrganization":"maybe"}',
    ],
    ids=repr,
)
async def test_create_with_a_bad_body_is_5002(make_fake: Any, raw: bytes) -> None:
    r = await make_fake("2.7.6")
    before = state(r)
    assert await call(r, "POST", "/organizations", raw) == (500, bad_parameter(CREATE_REASON))
    assert state(r) == before


async def test_create_with_a_text_body_is_5000(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    before = state(r)
    assert await call(r, "POST", "/organizations", {"name": "A"}, content_type="text/plain") == (500, INTERNAL)
    assert state(r) == before


async def test_create_body_is_decoded_before_the_mode_is_checked(make_fake: Any) -> None:
    r = await make_fake("2.1.6")  # ENTERPRISE
    assert await call(r, "POST", "/organizations", b"{broken") == (500, bad_parameter(CREATE_REASON))


async def test_create_anonymous_is_401_empty(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    before = state(r)
    assert await call(r, "POST", "/organizations", {"name": "A"}, email=None) == (401, "")
    assert state(r) == before


async def test_create_takes_the_organization_fields_and_ignores_the_rest(make_fake: Any) -> None:
    r = await make_fake("2.1.6", workspace_mode="SAAS")
    before = r.fake.store.orgs()
    body = {
        "name": "Acme",
        "contactName": "C",
        "contactEmail": "E",
        "contactPhoneNumber": 123,
        "source": "S",
        "thirdPartyCompanyId": "T",
        "state": "DELETED",
        "createdBy": "someone-else",
        "logoUrl": "/x.png",
        "createTime": 1,
        "unknown": {"deep": [1]},
        "isAutoGeneratedOrganization": True,
    }
    status, _ = await call(r, "POST", "/organizations", body)
    (org,) = new_orgs(r, before)
    assert status == 200
    assert (org.contact_name, org.contact_email, org.contact_phone_number) == ("C", "E", "123")
    assert (org.source, org.third_party_company_id) == ("S", "T")
    assert org.state == "ACTIVE"
    assert org.created_by == user_id(r, ADMIN_EMAIL)
    assert org.logo_url == ""
    assert org.is_auto_generated is True


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2.1.6", {"theme": "dark", "n": 1.5}),
        ("2.3.1", {"theme": "dark", "n": 1.5}),
        ("2.4.0", {"PASSWORD_RESET_EMAIL_TEMPLATE": TEMPLATE_2_4_0}),
        ("2.4.5", {"PASSWORD_RESET_EMAIL_TEMPLATE": TEMPLATE_2_4_0}),
        ("2.4.6", {"PASSWORD_RESET_EMAIL_TEMPLATE": TEMPLATE_2_4_6}),
        ("2.7.6", {"PASSWORD_RESET_EMAIL_TEMPLATE": TEMPLATE_2_4_6}),
    ],
)
async def test_create_common_settings_by_version(make_fake: Any, version: str, expected: dict[str, Any]) -> None:
    """Before 2.4.0 the body's commonSettings are kept; from 2.4.0 the password-reset template replaces them."""
    r = await make_fake(version, workspace_mode="SAAS")
    before = r.fake.store.orgs()
    status, text = await call(r, "POST", "/organizations", {"name": "A", "commonSettings": {"theme": "dark", "n": 1.5}})
    assert status == 200, text
    (org,) = new_orgs(r, before)
    assert dict(org.common_settings) == expected
    assert await call(r, "GET", f"/organizations/{org.id}/common-settings") == (200, ok(expected))


async def test_create_refused_at_100_active_orgs(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    admin = user_id(r, ADMIN_EMAIL)
    for index in range(98):  # with the seeded one: 99
        r.fake.store.set_member(add_org(r, f"org {index}"), admin, "member")
    assert (await call(r, "POST", "/organizations", {"name": "The 100th"}))[0] == 200
    before = state(r)
    assert await call(r, "POST", "/organizations", {"name": "The 101st"}) == (500, TOO_MANY_ORGS)
    assert state(r) == before


async def test_deleted_orgs_do_not_count_towards_the_limit(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    admin = user_id(r, ADMIN_EMAIL)
    for index in range(99):
        org_id = add_org(r, f"org {index}")
        r.fake.store.set_member(org_id, admin, "member")
        r.fake.store.update_org(org_id, state="DELETED")
    assert (await call(r, "POST", "/organizations", {"name": "Fine"}))[0] == 200


# -- GET /organizations/{orgId} (2.6.4) ------------------------------------------------


@pytest.mark.parametrize("version", ["2.1.6", "2.6.3"])
async def test_get_organization_before_2_6_4_is_a_wrong_method(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    assert await call(r, "GET", f"/organizations/{r.first_org_id}") == (500, INTERNAL)


@pytest.mark.parametrize("version", ["2.6.4", "2.7.6"])
@pytest.mark.parametrize("email", [ADMIN_EMAIL, MEMBER_EMAIL, OTHER_ADMIN_EMAIL])
async def test_get_organization_answers_any_signed_in_user(make_fake: Any, version: str, email: str) -> None:
    """OrganizationController.getOrganization checks no membership."""
    r = await make_fake(version)
    me = await users_me(r, r.session_headers(ADMIN_EMAIL))
    shown = me["orgAndRoles"][0]["org"]
    assert await call(r, "GET", f"/organizations/{r.first_org_id}", email=email) == (200, ok(shown))


async def test_get_organization_by_gid_and_slug(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    r.fake.store.update_org(r.first_org_id, slug="acme")
    org = r.fake.store.org(r.first_org_id)
    by_id = await call(r, "GET", f"/organizations/{org.id}")
    assert by_id[0] == 200
    assert await call(r, "GET", f"/organizations/{org.gid}") == by_id
    assert await call(r, "GET", "/organizations/acme") == by_id


async def test_get_organization_errors(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    assert await call(r, "GET", f"/organizations/{UNKNOWN_ORG_ID}") == (500, ORG_NOT_ACTIVE)
    assert await call(r, "GET", f"/organizations/{UNKNOWN_GID}") == (400, ORGANIZATION_NOT_FOUND)
    assert await call(r, "GET", f"/organizations/{r.first_org_id}", email=None) == (401, "")


@pytest.mark.parametrize(
    ("version", "with_deleted", "found"),
    [
        ("2.6.4", "true", False),
        ("2.7.0", None, False),
        ("2.7.0", "false", False),
        ("2.7.0", "true", True),
        ("2.7.6", "TRUE", True),
        ("2.7.6", "yes", True),
        ("2.7.6", "1", True),
    ],
)
async def test_get_a_deleted_organization(make_fake: Any, version: str, with_deleted: str | None, found: bool) -> None:
    r = await make_fake(version)
    r.fake.store.update_org(r.first_org_id, state="DELETED")
    params = {"withDeleted": with_deleted} if with_deleted is not None else None
    status, text = await call(r, "GET", f"/organizations/{r.first_org_id}", params=params)
    if found:
        assert status == 200
        assert json.loads(text)["data"]["state"] == "DELETED"
    else:
        assert (status, text) == (500, ORG_NOT_ACTIVE)


async def test_get_organization_with_a_bad_with_deleted_is_5002(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    expected = bad_parameter("withDeleted' : OrganizationController.getOrganization")
    assert await call(r, "GET", f"/organizations/{r.first_org_id}", params={"withDeleted": "maybe"}) == (
        500,
        expected,
    )


# -- DELETE /organizations/{orgId} -----------------------------------------------------------


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize("prefix", ["/api", "/api/v1"])
async def test_admin_deletes_the_org(make_fake: Any, version: str, prefix: str) -> None:
    r = await make_fake(version)
    others = r.fake.store.orgs()[1:]
    assert await call(r, "DELETE", f"/organizations/{r.first_org_id}", prefix=prefix) == (200, TRUE)
    org = r.fake.store.org(r.first_org_id)
    assert org.state == "DELETED"
    assert roles(r, r.first_org_id) == {}
    assert r.fake.store.orgs()[1:] == others
    for email in (ADMIN_EMAIL, MEMBER_EMAIL):  # their only org: no current org left
        assert current_org(r, email) is None
        assert (await users_me(r, r.session_headers(email)))["orgAndRoles"] == []


@pytest.mark.parametrize("version", ["2.1.6", "2.5.0", "2.5.1", "2.7.6"])
@pytest.mark.parametrize("who", ["member", "non-member", "nonexistent org"])
async def test_delete_needs_an_admin(make_fake: Any, version: str, who: str) -> None:
    r = await make_fake(version)
    email, org_id = {
        "member": (MEMBER_EMAIL, r.first_org_id),
        "non-member": (OTHER_ADMIN_EMAIL, r.first_org_id),
        "nonexistent org": (ADMIN_EMAIL, UNKNOWN_ORG_ID),
    }[who]
    before = state(r)
    assert await call(r, "DELETE", f"/organizations/{org_id}", email=email) == (
        not_authorized_status(version),
        NOT_AUTHORIZED,
    )
    assert state(r) == before


async def test_after_delete_the_org_is_gone_for_every_call(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    org_id = r.first_org_id
    assert await call(r, "DELETE", f"/organizations/{org_id}") == (200, TRUE)
    for email in (ADMIN_EMAIL, MEMBER_EMAIL):
        assert await call(r, "PUT", f"/organizations/{org_id}/update", {"orgName": "X"}, email=email) == (
            500,
            NOT_AUTHORIZED,
        )
        assert await call(r, "GET", f"/organizations/{org_id}/members", email=email) == (500, NOT_AUTHORIZED)
        assert await call(r, "GET", f"/organizations/{org_id}/common-settings", email=email) == (500, NOT_AUTHORIZED)
        assert await call(r, "DELETE", f"/organizations/{org_id}", email=email) == (500, NOT_AUTHORIZED)
        assert await call(r, "PUT", f"/organizations/switchOrganization/{org_id}", email=email) == (
            500,
            INVALID_ORG_ID,
        )
        assert await call(r, "DELETE", f"/organizations/{org_id}/leave", email=email) == (200, FALSE)


async def test_delete_moves_members_to_their_next_active_org(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    second, third = (org.id for org in r.fake.store.orgs()[1:3])
    add_user(r, "multi@example.com", {r.first_org_id: "member", second: "member", third: "member"})
    r.fake.store.update_org(second, state="DELETED")
    assert current_org(r, "multi@example.com") == r.first_org_id
    assert await call(r, "DELETE", f"/organizations/{r.first_org_id}") == (200, TRUE)
    assert current_org(r, "multi@example.com") == third
    me = await users_me(r, r.session_headers("multi@example.com"))
    assert me["currentOrgId"] == third


# -- PUT /organizations/switchOrganization/{orgId} ----------------------------------------------


@pytest.mark.parametrize("prefix", ["/api", "/api/v1"])
async def test_switch_to_another_of_ones_orgs(make_fake: Any, prefix: str) -> None:
    r = await make_fake("2.7.6")
    second = r.fake.store.orgs()[1].id
    add_user(r, "multi@example.com", {r.first_org_id: "member", second: "admin"})
    path = f"/organizations/switchOrganization/{second}"
    assert await call(r, "PUT", path, email="multi@example.com", prefix=prefix) == (200, TRUE)
    assert current_org(r, "multi@example.com") == second
    assert (await users_me(r, r.session_headers("multi@example.com")))["currentOrgId"] == second
    # switching to the current org again is fine too
    assert await call(r, "PUT", path, email="multi@example.com", prefix=prefix) == (200, TRUE)


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize("target", ["other org", "nonexistent", "deleted"])
async def test_switch_to_an_org_that_is_not_ones_own_is_invalid(make_fake: Any, version: str, target: str) -> None:
    r = await make_fake(version)
    if target == "deleted":
        r.fake.store.update_org(r.first_org_id, state="DELETED")
    org_id = {"other org": r.fake.store.orgs()[1].id, "nonexistent": UNKNOWN_ORG_ID, "deleted": r.first_org_id}[target]
    before = state(r)
    assert await call(r, "PUT", f"/organizations/switchOrganization/{org_id}") == (500, INVALID_ORG_ID)
    assert state(r) == before


async def test_switch_in_enterprise_mode_sees_only_the_oldest_org(make_fake: Any) -> None:
    """OrgMemberServiceImpl.getAllActiveOrgs keeps one org (the oldest) in ENTERPRISE mode."""
    r = await make_fake("2.1.6")  # ENTERPRISE
    second = r.fake.store.orgs()[1].id
    add_user(r, "multi@example.com", {second: "member", r.first_org_id: "member"})
    assert await call(r, "PUT", f"/organizations/switchOrganization/{second}", email="multi@example.com") == (
        500,
        INVALID_ORG_ID,
    )
    assert await call(r, "PUT", f"/organizations/switchOrganization/{r.first_org_id}", email="multi@example.com") == (
        200,
        TRUE,
    )
    assert current_org(r, "multi@example.com") == r.first_org_id


async def test_switch_by_gid(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    second = r.fake.store.orgs()[1]
    add_user(r, "multi@example.com", {r.first_org_id: "member", second.id: "member"})
    assert await call(r, "PUT", f"/organizations/switchOrganization/{second.gid}", email="multi@example.com") == (
        200,
        TRUE,
    )
    assert current_org(r, "multi@example.com") == second.id


# -- common settings ------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_settings_round_trip(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    path = f"/organizations/{r.first_org_id}/common-settings"
    assert await call(r, "GET", path, email=MEMBER_EMAIL) == (200, ok({}))
    started = time.time() * 1000
    assert await call(r, "PUT", path, {"key": "branding", "value": {"logo": "x", "n": [1, True, None]}}) == (
        200,
        TRUE,
    )
    status, text = await call(r, "GET", path, email=MEMBER_EMAIL)
    data = json.loads(text)["data"]
    assert status == 200
    assert list(data) == ["branding", "branding_updateTime"]
    assert data["branding"] == {"logo": "x", "n": [1, True, None]}
    assert started - 1000 <= data["branding_updateTime"] <= time.time() * 1000 + 1000
    assert dict(r.fake.store.org(r.first_org_id).common_settings) == data


@pytest.mark.parametrize(
    ("raw_value", "shown"),
    [("1", "1"), ("-7", "-7"), ("1.5", "1.5"), ("true", "true"), ("null", "null"), ('"text"', '"text"')],
)
async def test_settings_values_are_any_json(make_fake: Any, raw_value: str, shown: str) -> None:
    r = await make_fake("2.1.6")
    path = f"/organizations/{r.first_org_id}/common-settings"
    assert await call(r, "PUT", path, ('{"key":"k","value":' + raw_value + "}").encode()) == (200, TRUE)
    _, text = await call(r, "GET", path)
    assert text.startswith('{"code":1,"message":"","data":{"k":' + shown + ',"k_updateTime":')


async def test_settings_a_second_put_replaces_the_value_in_place(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    path = f"/organizations/{r.first_org_id}/common-settings"
    for key, value in (("a", 1), ("b", 2), ("a", 3)):
        assert await call(r, "PUT", path, {"key": key, "value": value}) == (200, TRUE)
    settings = dict(r.fake.store.org(r.first_org_id).common_settings)
    assert list(settings) == ["a", "a_updateTime", "b", "b_updateTime"]
    assert (settings["a"], settings["b"]) == (3, 2)


async def test_settings_a_null_key_is_stored_as_null(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    path = f"/organizations/{r.first_org_id}/common-settings"
    assert await call(r, "PUT", path, {"value": "v"}) == (200, TRUE)
    assert list(r.fake.store.org(r.first_org_id).common_settings) == ["null", "null_updateTime"]


async def test_settings_a_dotted_key_is_a_nested_path(make_fake: Any) -> None:
    """Lowcoder $sets ``commonSettings.<key>``: MongoDB reads the dots as a path."""
    r = await make_fake("2.1.6")
    path = f"/organizations/{r.first_org_id}/common-settings"
    assert await call(r, "PUT", path, {"key": "a.b", "value": 1}) == (200, TRUE)
    settings = dict(r.fake.store.org(r.first_org_id).common_settings)
    assert list(settings) == ["a"]
    assert list(settings["a"]) == ["b", "b_updateTime"]
    assert settings["a"]["b"] == 1


@pytest.mark.parametrize("key", ["", "a.", ".a", "a..b", "$set"])
async def test_settings_a_key_mongodb_refuses_is_5000(make_fake: Any, key: str) -> None:
    """*Derived*: MongoDB refuses an empty or $-prefixed path segment; Lowcoder answers 500/5000."""
    r = await make_fake("2.1.6")
    before = state(r)
    path = f"/organizations/{r.first_org_id}/common-settings"
    assert await call(r, "PUT", path, {"key": key, "value": 1}) == (500, INTERNAL)
    assert state(r) == before


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_settings_permissions(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    status = not_authorized_status(version)
    path = f"/organizations/{r.first_org_id}/common-settings"
    before = state(r)
    assert await call(r, "PUT", path, {"key": "k", "value": 1}, email=MEMBER_EMAIL) == (status, NOT_AUTHORIZED)
    assert await call(r, "PUT", path, {"key": "k", "value": 1}, email=OTHER_ADMIN_EMAIL) == (status, NOT_AUTHORIZED)
    assert await call(r, "GET", path, email=OTHER_ADMIN_EMAIL) == (status, NOT_AUTHORIZED)
    unknown = f"/organizations/{UNKNOWN_ORG_ID}/common-settings"
    assert await call(r, "GET", unknown) == (status, NOT_AUTHORIZED)
    assert await call(r, "PUT", unknown, {"key": "k", "value": 1}) == (status, NOT_AUTHORIZED)
    assert await call(r, "GET", path, email=None) == (401, "")
    assert state(r) == before


async def test_settings_of_a_deleted_org_that_kept_its_members(make_fake: Any) -> None:
    """2.7.0's update can set state DELETED; members stay, but getById finds no ACTIVE org."""
    r = await make_fake("2.7.6")
    r.fake.store.update_org(r.first_org_id, state="DELETED")
    assert await call(r, "GET", f"/organizations/{r.first_org_id}/common-settings") == (500, ORG_NOT_ACTIVE)


@pytest.mark.parametrize("raw", [b"{broken", b"", b"[]", b'{"key":{}}', b'{"key":["a"]}'], ids=repr)
async def test_settings_bad_body_is_5002_before_the_admin_check(make_fake: Any, raw: bytes) -> None:
    r = await make_fake("2.7.6")
    before = state(r)
    path = f"/organizations/{r.first_org_id}/common-settings"
    for email in (ADMIN_EMAIL, MEMBER_EMAIL):
        assert await call(r, "PUT", path, raw, email=email) == (500, bad_parameter(SETTINGS_REASON))
    assert state(r) == before


# -- GET /organizations/{orgId}/datasourceTypes ------------------------------------------------------

DATASOURCE_TYPES = [
    ("postgres", "PostgreSQL", True),
    ("restApi", "REST API", False),
    ("mongodb", "MongoDB", True),
    ("mysql", "MySQL", True),
    ("lowcoderApi", "Lowcoder API", False),
    ("es", "Elasticsearch", False),
    ("redis", "Redis", False),
    ("mssql", "Microsoft SQL Server", True),
    ("oracle", "Oracle", True),
    ("mariadb", "MariaDB", True),
    ("smtp", "SMTP", False),
    ("clickHouse", "ClickHouse", True),
    ("snowflake", "Snowflake", True),
    ("googleSheets", "Google Sheets", False),
    ("graphql", "GraphQL", False),
]


def datasource_list(with_lowcoder_api: bool) -> list[dict[str, Any]]:
    return [
        {"version": "default", "hasStructureInfo": structure, "definition": None, "id": type_id, "name": name}
        for type_id, name, structure in DATASOURCE_TYPES
        if with_lowcoder_api or type_id != "lowcoderApi"
    ]


@pytest.mark.parametrize(
    ("version", "with_lowcoder_api"),
    [("2.0.1", True), ("2.1.6", True), ("2.6.5", True), ("2.7.0", False), ("2.7.6", False)],
)
@pytest.mark.parametrize("email", [None, MEMBER_EMAIL])
@pytest.mark.parametrize("org_id", ["62edc503a5aec7978306d03b", "anything-at-all"])
@pytest.mark.parametrize("prefix", ["/api", "/api/v1"])
async def test_datasource_types_are_public_and_ignore_the_org(
    make_fake: Any, version: str, with_lowcoder_api: bool, email: str | None, org_id: str, prefix: str
) -> None:
    r = await make_fake(version)
    assert await call(r, "GET", f"/organizations/{org_id}/datasourceTypes", email=email, prefix=prefix) == (
        200,
        ok(datasource_list(with_lowcoder_api)),
    )


async def test_datasource_types_are_journaled_by_name(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    await call(r, "GET", "/organizations/x/datasourceTypes", email=None)
    (entry,) = r.fake.journal.calls()
    assert entry.operation == "getOrganizationDatasourceTypes"
    assert entry.status == 200


# -- a whole flow --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("version", "mode"), [("2.1.6", "SAAS"), ("2.7.6", None)])
async def test_flow_create_add_promote_list_leave_delete(make_fake: Any, version: str, mode: str | None) -> None:
    r = await make_fake(version, workspace_mode=mode)
    refused = (not_authorized_status(version), NOT_AUTHORIZED)
    admin_current = current_org(r, ADMIN_EMAIL)

    status, text = await call(r, "POST", "/organizations", {"name": "Team"})
    assert status == 200
    org_id = json.loads(text)["data"]["orgId"]

    resp = await r.client.post(
        "/__fake__/users", json={"email": "new@example.com", "password": "Pw-12345", "orgs": {org_id: "member"}}
    )
    assert resp.status == 201, await resp.text()
    new_id = (await resp.json())["id"]
    new = "new@example.com"
    assert await call(r, "PUT", f"/organizations/{org_id}/update", {"orgName": "X"}, email=new) == refused

    assert await call(r, "PUT", f"/organizations/{org_id}/role", {"userId": new_id, "role": "admin"}) == (200, TRUE)
    assert roles(r, org_id) == {ADMIN_EMAIL: "admin", new: "admin"}
    assert await call(r, "PUT", f"/organizations/{org_id}/update", {"orgName": "Team 2"}, email=new) == (200, TRUE)

    status, text = await call(r, "GET", f"/organizations/{org_id}/members", email=new)
    assert status == 200
    data = json.loads(text)["data"]
    assert data["visitorRole"] == "admin"  # the new user's current org is this one
    assert [(m["userId"], m["role"]) for m in data["members"]] == [
        (user_id(r, ADMIN_EMAIL), "admin"),
        (new_id, "admin"),
    ]

    assert await call(r, "DELETE", f"/organizations/{org_id}/leave", email=new) == (200, TRUE)
    assert roles(r, org_id) == {ADMIN_EMAIL: "admin"}
    assert current_org(r, new) is None

    assert await call(r, "DELETE", f"/organizations/{org_id}/leave") == (500, LAST_ADMIN)
    assert await call(r, "DELETE", f"/organizations/{org_id}") == (200, TRUE)
    assert r.fake.store.org(org_id).state == "DELETED"
    assert current_org(r, ADMIN_EMAIL) == admin_current
    assert await call(r, "GET", f"/organizations/{org_id}/members") == refused
    assert await call(r, "PUT", f"/organizations/{org_id}/update", {"orgName": "Y"}) == refused
    assert await call(r, "DELETE", f"/organizations/{org_id}") == refused

    names = [call.operation for call in r.fake.journal.calls()]
    assert names[:3] == ["createOrganization", "updateOrganization", "updateOrganizationMemberRole"]
    assert "leaveOrganization" in names and "deleteOrganization" in names
