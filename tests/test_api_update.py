"""PUT /api/organizations/{orgId}/update — reference §4 (and §1, §2 where versions differ)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

import pytest
from lowcoder_http import (
    ADMIN_EMAIL,
    BAD_UPDATE_BODY,
    INTERNAL,
    MEMBER_EMAIL,
    NOT_AUTHORIZED,
    OPENAPI,
    OTHER_ADMIN_EMAIL,
    TRUE,
    UNKNOWN_ORG_ID,
    not_authorized_status,
    org_json_2_1_6,
    org_snapshot,
    put_update,
    users_me,
)

#: Update-body field → the stored org's attribute.
FIELDS = {
    "orgName": "name",
    "contactName": "contact_name",
    "contactEmail": "contact_email",
    "contactPhoneNumber": "contact_phone_number",
}


def stored(r: Any) -> Any:
    return r.fake.store.org(r.first_org_id)


# -- the admin's update ------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.0.1", "2.1.4", "2.1.6", "2.4.0", "2.5.2", "2.7.6"])
@pytest.mark.parametrize("prefix", ["/api", "/api/v1"])
async def test_admin_renames_the_org(make_fake: Any, version: str, prefix: str) -> None:
    r = await make_fake(version)
    before = org_snapshot(r)
    assert await put_update(r, r.first_org_id, {"orgName": "Acme"}, prefix=prefix) == (200, TRUE)
    after = org_snapshot(r)
    assert after[0] == replace(before[0], name="Acme")
    assert after[1:] == before[1:]


async def test_update_answers_with_json_content_type(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    resp = await r.client.put(
        f"/api/organizations/{r.first_org_id}/update",
        json={"orgName": "Acme"},
        headers=r.session_headers(ADMIN_EMAIL),
    )
    assert resp.status == 200
    assert resp.content_type == "application/json"
    assert await resp.text() == TRUE


async def test_a_second_update_of_another_field_leaves_the_name_alone(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    assert await put_update(r, r.first_org_id, {"orgName": "Acme"}) == (200, TRUE)
    assert await put_update(r, r.first_org_id, {"contactEmail": "x@y.z"}) == (200, TRUE)
    org = stored(r)
    assert org.name == "Acme"
    assert org.contact_email == "x@y.z"


@pytest.mark.parametrize(("field", "attribute"), FIELDS.items())
@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_each_field_changes_only_its_own_value(make_fake: Any, version: str, field: str, attribute: str) -> None:
    r = await make_fake(version)
    before = stored(r)
    assert await put_update(r, r.first_org_id, {field: "new value"}) == (200, TRUE)
    assert stored(r) == replace(before, **{attribute: "new value"})


async def test_all_fields_at_once(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    before = stored(r)
    body = {"orgName": "N", "contactName": "C", "contactEmail": "E", "contactPhoneNumber": "P"}
    assert await put_update(r, r.first_org_id, body) == (200, TRUE)
    assert stored(r) == replace(before, name="N", contact_name="C", contact_email="E", contact_phone_number="P")


async def test_update_fields_are_those_of_the_openapi_schema(make_fake: Any) -> None:
    """The server's own OpenAPI export names the same four string fields."""
    if not OPENAPI.exists():
        pytest.skip("the reference OpenAPI export is absent")
    schema = json.loads(OPENAPI.read_text(encoding="utf-8"))["components"]["schemas"]["UpdateOrgRequest"]
    assert set(schema["properties"]) == set(FIELDS)
    r = await make_fake("2.1.6")
    for field in schema["properties"]:
        assert schema["properties"][field]["type"] == "string"
        assert await put_update(r, r.first_org_id, {field: f"via {field}"}) == (200, TRUE)
        assert getattr(stored(r), FIELDS[field]) == f"via {field}"


async def test_the_new_name_shows_in_users_me(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    assert await put_update(r, r.first_org_id, {"orgName": "Acme"}) == (200, TRUE)
    me = await users_me(r, r.session_headers(ADMIN_EMAIL))
    org = next(entry["org"] for entry in me["orgAndRoles"] if entry["org"]["id"] == r.first_org_id)
    assert list(org.items()) == list(org_json_2_1_6(stored(r)).items())
    assert org["name"] == "Acme"


async def test_other_orgs_are_untouched(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    others = org_snapshot(r)[1:]
    assert await put_update(r, r.first_org_id, {"orgName": "Acme", "id": others[0].id}) == (200, TRUE)
    assert org_snapshot(r)[1:] == others


# -- who may update ----------------------------------------------------------------

REFUSED_VERSIONS = ["2.0.1", "2.1.6", "2.4.0", "2.5.0", "2.5.1", "2.5.2", "2.7.6"]


@pytest.mark.parametrize("version", REFUSED_VERSIONS)
@pytest.mark.parametrize("who", ["member", "non-member", "nonexistent org"])
async def test_not_an_admin_is_not_authorized(make_fake: Any, version: str, who: str) -> None:
    r = await make_fake(version)
    email, org_id = {
        "member": (MEMBER_EMAIL, r.first_org_id),
        "non-member": (OTHER_ADMIN_EMAIL, r.first_org_id),
        "nonexistent org": (ADMIN_EMAIL, UNKNOWN_ORG_ID),
    }[who]
    before = r.fake.store.orgs()
    assert await put_update(r, org_id, {"orgName": "Hacked"}, email=email) == (
        not_authorized_status(version),
        NOT_AUTHORIZED,
    )
    assert r.fake.store.orgs() == before
    assert r.fake.store.org(UNKNOWN_ORG_ID) is None


@pytest.mark.parametrize("prefix", ["/api", "/api/v1"])
async def test_member_is_refused_500_at_2_1_6_and_401_at_2_7_6(make_fake: Any, prefix: str) -> None:
    for version, status in (("2.1.6", 500), ("2.7.6", 401)):
        r = await make_fake(version)
        before = org_snapshot(r)
        body = {"orgName": "Hacked", "contactEmail": "evil@example.com"}
        assert await put_update(r, r.first_org_id, body, email=MEMBER_EMAIL, prefix=prefix) == (status, NOT_AUTHORIZED)
        assert org_snapshot(r) == before


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2.4.0", (500, NOT_AUTHORIZED)),
        ("2.5.0", (500, NOT_AUTHORIZED)),
        ("2.5.1", (401, NOT_AUTHORIZED)),
        ("2.5.2", (200, TRUE)),
        ("2.7.6", (200, TRUE)),
    ],
)
async def test_super_admin_passes_the_admin_check_from_2_5_2(
    make_fake: Any, version: str, expected: tuple[int, str]
) -> None:
    r = await make_fake(version)
    member = r.fake.store.user_by_email(MEMBER_EMAIL)
    r.fake.store.set_member(r.first_org_id, member.id, "super_admin")
    before = stored(r)
    assert await put_update(r, r.first_org_id, {"orgName": "Super"}, email=MEMBER_EMAIL) == expected
    assert stored(r) == (replace(before, name="Super") if expected[0] == 200 else before)


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Cookie": "LOWCODER_CE_SELFHOST_TOKEN=0123456789abcdef0123456789abcdef"},
        {"Cookie": "LOWCODER_CE_SELFHOST_TOKEN="},
        {"Cookie": "SESSION=abc; other=1"},
        {"Authorization": "Bearer not.a.valid-key"},
        {"Authorization": "Basic YWRtaW5AZXhhbXBsZS5jb206QWRtaW4tUGFzc3dvcmQtMQ=="},
    ],
    ids=["no-cookie", "unknown-token", "empty-token", "other-cookies", "bad-bearer", "basic-auth"],
)
async def test_no_credentials_is_401_with_an_empty_body(make_fake: Any, version: str, headers: dict[str, str]) -> None:
    r = await make_fake(version)
    before = org_snapshot(r)
    assert await put_update(r, r.first_org_id, {"orgName": "Anon"}, email=None, headers=headers) == (401, "")
    assert org_snapshot(r) == before


async def test_session_token_as_a_header_is_no_credential(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    token = r.fake.open_session(email=ADMIN_EMAIL)
    before = org_snapshot(r)
    headers = {"LOWCODER_CE_SELFHOST_TOKEN": token}
    assert await put_update(r, r.first_org_id, {"orgName": "X"}, email=None, headers=headers) == (401, "")
    assert org_snapshot(r) == before


# -- the body ------------------------------------------------------------------------

MALFORMED = [
    b'{"orgName":',
    b'{"orgName":"Acme"',
    b"{orgName:'Acme'}",
    b'{"orgName":"Acme",}',
    b"not json at all",
    b"",
    b"   \n\t ",
    b'[{"orgName":"Acme"}]',
    b"[]",
    b'"Acme"',
    b"42",
    b"true",
]


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize("raw", MALFORMED, ids=repr)
async def test_malformed_body_is_5002(make_fake: Any, version: str, raw: bytes) -> None:
    r = await make_fake(version)
    before = org_snapshot(r)
    assert await put_update(r, r.first_org_id, raw) == (500, BAD_UPDATE_BODY)
    assert org_snapshot(r) == before


async def test_no_content_type_and_empty_body_is_5002(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    before = org_snapshot(r)
    assert await put_update(r, r.first_org_id, b"", content_type=None) == (500, BAD_UPDATE_BODY)
    assert org_snapshot(r) == before


@pytest.mark.parametrize("field", list(FIELDS))
@pytest.mark.parametrize("value", [{}, {"name": "Acme"}, [], ["Acme"], [1, 2]], ids=repr)
async def test_object_or_array_for_a_string_field_is_5002(make_fake: Any, field: str, value: Any) -> None:
    r = await make_fake("2.1.6")
    before = org_snapshot(r)
    body = {"orgName": "Would-be", "contactName": "Would-be", field: value}
    assert await put_update(r, r.first_org_id, body) == (500, BAD_UPDATE_BODY)
    assert org_snapshot(r) == before


@pytest.mark.parametrize(
    ("literal", "text"),
    [
        ("123", "123"),
        ("1.5", "1.5"),
        ("true", "true"),
        ("false", "false"),
        ("0", "0"),
        ("-7", "-7"),
        ("123456789012345678901234567890", "123456789012345678901234567890"),
    ],
)
@pytest.mark.parametrize("field", ["orgName", "contactPhoneNumber"])
async def test_numbers_and_booleans_are_stored_as_their_text(
    make_fake: Any, literal: str, text: str, field: str
) -> None:
    r = await make_fake("2.1.6")
    before = stored(r)
    raw = ('{"' + field + '":' + literal + "}").encode()
    assert await put_update(r, r.first_org_id, raw) == (200, TRUE)
    assert stored(r) == replace(before, **{FIELDS[field]: text})


async def test_null_leaves_a_field_unchanged(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    before = stored(r)
    body = {"orgName": None, "contactName": None, "contactEmail": "new@example.com", "contactPhoneNumber": None}
    assert await put_update(r, r.first_org_id, body) == (200, TRUE)
    assert stored(r) == replace(before, contact_email="new@example.com")


async def test_all_null_changes_nothing(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    before = org_snapshot(r)
    body = dict.fromkeys(FIELDS)
    assert await put_update(r, r.first_org_id, body) == (200, TRUE)
    assert org_snapshot(r) == before


@pytest.mark.parametrize("field", list(FIELDS))
async def test_empty_string_is_stored_as_empty(make_fake: Any, field: str) -> None:
    r = await make_fake("2.1.6")
    before = stored(r)
    assert await put_update(r, r.first_org_id, {field: ""}) == (200, TRUE)
    assert stored(r) == replace(before, **{FIELDS[field]: ""})


async def test_empty_object_answers_true_and_changes_nothing(make_fake: Any) -> None:
    for version in ("2.1.6", "2.7.6"):
        r = await make_fake(version)
        before = org_snapshot(r)
        assert await put_update(r, r.first_org_id, {}) == (200, TRUE)
        assert org_snapshot(r) == before


@pytest.mark.parametrize(
    "body",
    [
        {"foo": "bar"},
        {"OrgName": "X", "orgname": "X", "name": "X"},
        {"id": UNKNOWN_ORG_ID, "createdBy": "someone", "createTime": 1, "gid": "x", "slug": "y"},
        {"nested": {"deep": [1, {"orgName": "X"}]}, "list": [None, True]},
        {"state": "DELETED"},
        {"logoUrl": "http://evil.example/logo.png", "commonSettings": {"a": 1}, "authConfigs": []},
    ],
    ids=["foo", "name-lookalikes", "ids", "nested", "state-before-2.7.0", "other-org-fields"],
)
async def test_unknown_fields_are_ignored(make_fake: Any, body: dict[str, Any]) -> None:
    r = await make_fake("2.1.6")
    before = org_snapshot(r)
    assert await put_update(r, r.first_org_id, body) == (200, TRUE)
    assert org_snapshot(r) == before
    # and beside a known field, only the known field counts
    assert await put_update(r, r.first_org_id, {**body, "contactName": "Known"}) == (200, TRUE)
    assert org_snapshot(r) == (replace(before[0], contact_name="Known"), *before[1:])


NAMES = [
    " ",
    "   ",
    "x" * 10_000,
    "Ünïcödé Gesellschaft mbH",
    "株式会社テスト",
    "שלום עולם",
    "مرحبا",
    "🚀 Rocket 👩‍💻 Team 🏳️‍🌈",
    "c̷̨o̶m̸b̷i̴n̵i̶n̷g̸",
    "tab\tnew\nline\r\n",
    "nul\u0000inside",
    '"quoted" \\ back\\slash /',
    "<script>alert(1)</script>",
    "Robert'); DROP TABLE orgs;--",
    "\u200b\u200e\ufeff",
]


@pytest.mark.parametrize("name", NAMES, ids=lambda n: repr(n[:20]))
async def test_any_name_is_stored_exactly(make_fake: Any, name: str) -> None:
    r = await make_fake("2.1.6")
    before = stored(r)
    assert await put_update(r, r.first_org_id, {"orgName": name}) == (200, TRUE)
    assert stored(r) == replace(before, name=name)
    me = await users_me(r, r.session_headers(ADMIN_EMAIL))
    assert [entry["org"]["name"] for entry in me["orgAndRoles"] if entry["org"]["id"] == r.first_org_id] == [name]


@pytest.mark.parametrize(
    ("raw", "name"),
    [(b'{"orgName":"\\ud800"}', "\ud800"), (b'{"orgName":"a\\udc00\\ud800b"}', "a\udc00\ud800b")],
    ids=["lone-high", "reversed-pair"],
)
async def test_a_name_with_unpaired_surrogate_escapes_is_stored_and_shown(
    make_fake: Any, raw: bytes, name: str
) -> None:
    """Valid JSON escapes, no validation: stored as sent, and users/me still answers (Jackson escapes them)."""
    r = await make_fake("2.1.6")
    before = stored(r)
    assert await put_update(r, r.first_org_id, raw) == (200, TRUE)
    assert stored(r) == replace(before, name=name)
    me = await users_me(r, r.session_headers(ADMIN_EMAIL))
    assert [entry["org"]["name"] for entry in me["orgAndRoles"]] == [name]


@pytest.mark.parametrize(
    "body",
    [
        {"contactEmail": "not-an-email"},
        {"contactEmail": "@@@"},
        {"contactEmail": "a" * 5000 + "@example.com"},
        {"contactPhoneNumber": "☎ call me maybe"},
        {"contactPhoneNumber": "+1 (555) 000-0000 ext. 12"},
        {"contactName": "x" * 10_000},
    ],
    ids=["no-at", "ats", "long-email", "phone-text", "phone-format", "long-contact"],
)
async def test_no_validation_of_contact_fields(make_fake: Any, body: dict[str, str]) -> None:
    r = await make_fake("2.1.6")
    before = stored(r)
    assert await put_update(r, r.first_org_id, body) == (200, TRUE)
    ((field, value),) = body.items()
    assert stored(r) == replace(before, **{FIELDS[field]: value})


# -- content types -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "application/merge-patch+json",
        "application/vnd.api+json",
        "application/problem+json",
    ],
)
async def test_json_content_types_are_accepted(make_fake: Any, content_type: str) -> None:
    r = await make_fake("2.1.6")
    assert await put_update(r, r.first_org_id, {"orgName": "Typed"}, content_type=content_type) == (200, TRUE)
    assert stored(r).name == "Typed"


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "text/plain; charset=utf-8",
        "text/html",
        "application/xml",
        "application/x-www-form-urlencoded",
        "application/octet-stream",
    ],
)
async def test_other_content_types_are_5000(make_fake: Any, version: str, content_type: str) -> None:
    r = await make_fake(version)
    before = org_snapshot(r)
    assert await put_update(r, r.first_org_id, {"orgName": "Typed"}, content_type=content_type) == (500, INTERNAL)
    assert org_snapshot(r) == before


# -- order of checks: credentials → content type → body → admin → update -------------


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize(
    ("who", "content_type", "raw", "expected"),
    [
        ("anonymous", "text/plain", b"{broken", (401, "")),
        ("anonymous", "application/json", b"{broken", (401, "")),
        ("anonymous", "application/json", b'{"orgName":{}}', (401, "")),
        ("member", "text/plain", b"{broken", (500, INTERNAL)),
        ("member", "text/plain", b'{"orgName":"X"}', (500, INTERNAL)),
        ("member", "application/json", b"{broken", (500, BAD_UPDATE_BODY)),
        ("member", "application/json", b'{"orgName":{}}', (500, BAD_UPDATE_BODY)),
        ("member", "application/json", b"[]", (500, BAD_UPDATE_BODY)),
        ("non-member", "application/json", b"{broken", (500, BAD_UPDATE_BODY)),
        ("nonexistent org", "application/json", b"{broken", (500, BAD_UPDATE_BODY)),
        ("nonexistent org", "text/plain", b"{broken", (500, INTERNAL)),
        ("admin", "text/plain", b"{broken", (500, INTERNAL)),
    ],
)
async def test_order_of_checks(
    make_fake: Any, version: str, who: str, content_type: str, raw: bytes, expected: tuple[int, str]
) -> None:
    r = await make_fake(version)
    email, org_id = {
        "anonymous": (None, r.first_org_id),
        "member": (MEMBER_EMAIL, r.first_org_id),
        "non-member": (OTHER_ADMIN_EMAIL, r.first_org_id),
        "nonexistent org": (ADMIN_EMAIL, UNKNOWN_ORG_ID),
        "admin": (ADMIN_EMAIL, r.first_org_id),
    }[who]
    before = org_snapshot(r)
    assert await put_update(r, org_id, raw, email=email, content_type=content_type) == expected
    assert org_snapshot(r) == before


# -- 2.7.0: state ------------------------------------------------------------------------


async def test_state_deletes_and_restores_from_2_7_0(make_fake: Any) -> None:
    for version in ("2.7.0", "2.7.6"):
        r = await make_fake(version)
        before = stored(r)
        assert await put_update(r, r.first_org_id, {"state": "DELETED"}) == (200, TRUE)
        assert stored(r) == replace(before, state="DELETED")
        assert await put_update(r, r.first_org_id, {"state": "ACTIVE", "orgName": "Back"}) == (200, TRUE)
        assert stored(r) == replace(before, state="ACTIVE", name="Back")


async def test_state_restores_a_soft_deleted_org(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    r.fake.store.update_org(r.first_org_id, state="DELETED")
    assert await put_update(r, r.first_org_id, {"state": "ACTIVE"}) == (200, TRUE)
    assert stored(r).state == "ACTIVE"


@pytest.mark.parametrize("who", ["admin", "member"])
@pytest.mark.parametrize("state", ["ARCHIVED", "FOO", "ACTIVE ", "DELETED!"])
async def test_invalid_state_is_5002_from_2_7_0(make_fake: Any, who: str, state: str) -> None:
    r = await make_fake("2.7.6")
    before = org_snapshot(r)
    email = ADMIN_EMAIL if who == "admin" else MEMBER_EMAIL
    assert await put_update(r, r.first_org_id, {"orgName": "X", "state": state}, email=email) == (
        500,
        BAD_UPDATE_BODY,
    )
    assert org_snapshot(r) == before


@pytest.mark.parametrize("version", ["2.1.6", "2.6.4"])
@pytest.mark.parametrize("state", ["DELETED", "FOO"])
async def test_state_is_an_unknown_field_before_2_7_0(make_fake: Any, version: str, state: str) -> None:
    r = await make_fake(version)
    before = stored(r)
    assert await put_update(r, r.first_org_id, {"orgName": "X", "state": state}) == (200, TRUE)
    assert stored(r) == replace(before, name="X")


# -- {orgId} as gid / slug ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2.4.2", (500, NOT_AUTHORIZED)),
        ("2.4.4", (200, TRUE)),
        ("2.5.2", (200, TRUE)),
        ("2.7.6", (200, TRUE)),
    ],
)
async def test_org_id_may_be_the_gid_from_2_4_4(make_fake: Any, version: str, expected: tuple[int, str]) -> None:
    r = await make_fake(version)
    before = stored(r)
    assert await put_update(r, before.gid, {"orgName": "By gid"}) == expected
    assert stored(r) == (replace(before, name="By gid") if expected[0] == 200 else before)


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2.4.4", (500, NOT_AUTHORIZED)),
        ("2.5.1", (401, NOT_AUTHORIZED)),
        ("2.5.2", (200, "")),
        ("2.7.6", (200, "")),
    ],
)
async def test_nonexistent_gid(make_fake: Any, version: str, expected: tuple[int, str]) -> None:
    """From 2.5.2 a nonexistent id in gid form answers 200 with an empty body (derived)."""
    r = await make_fake(version)
    before = org_snapshot(r)
    assert await put_update(r, "00000000-0000-4000-8000-000000000000", {"orgName": "X"}) == expected
    assert org_snapshot(r) == before


@pytest.mark.parametrize(
    ("version", "expected"),
    [("2.5.2", (401, NOT_AUTHORIZED)), ("2.6.0", (200, TRUE)), ("2.7.6", (200, TRUE))],
)
async def test_org_id_may_be_the_slug_from_2_6_0(make_fake: Any, version: str, expected: tuple[int, str]) -> None:
    r = await make_fake(version)
    r.fake.store.update_org(r.first_org_id, slug="acme-slug")
    before = stored(r)
    assert await put_update(r, "acme-slug", {"orgName": "By slug"}) == expected
    assert stored(r) == (replace(before, name="By slug") if expected[0] == 200 else before)


# -- concurrency -------------------------------------------------------------------------------


async def test_concurrent_updates_of_different_fields_both_persist(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    results = await asyncio.gather(
        put_update(r, r.first_org_id, {"contactName": "Both"}),
        put_update(r, r.first_org_id, {"contactEmail": "both@example.com"}),
        put_update(r, r.first_org_id, {"contactPhoneNumber": "000"}),
    )
    assert results == [(200, TRUE)] * 3
    org = stored(r)
    assert (org.contact_name, org.contact_email, org.contact_phone_number) == ("Both", "both@example.com", "000")


# -- journal ----------------------------------------------------------------------------------


async def test_a_successful_update_is_journaled(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    admin = r.fake.store.user_by_email(ADMIN_EMAIL)
    assert await put_update(r, r.first_org_id, {"orgName": "Acme"}, prefix="/api/v1") == (200, TRUE)
    (call,) = r.fake.journal.calls()
    assert call.seq == 1
    assert call.operation == "updateOrganization"
    assert call.method == "PUT"
    assert call.path == f"/api/v1/organizations/{r.first_org_id}/update"
    assert dict(call.path_params) == {"orgId": r.first_org_id}
    assert call.user_id == admin.id
    assert call.body == {"orgName": "Acme"}
    assert call.raw_body == '{"orgName": "Acme"}'
    assert call.status == 200
    assert call.response == {"code": 1, "message": "", "data": True, "success": True}


@pytest.mark.parametrize(
    ("who", "raw", "status", "response"),
    [
        ("member", b'{"orgName":"X"}', 401, json.loads(NOT_AUTHORIZED)),
        ("admin", b"{broken", 500, json.loads(BAD_UPDATE_BODY)),
        ("anonymous", b'{"orgName":"X"}', 401, None),
    ],
)
async def test_refused_updates_are_journaled(make_fake: Any, who: str, raw: bytes, status: int, response: Any) -> None:
    r = await make_fake("2.7.6")
    email = {"member": MEMBER_EMAIL, "admin": ADMIN_EMAIL, "anonymous": None}[who]
    user = r.fake.store.user_by_email(email) if email else None
    await put_update(r, r.first_org_id, raw, email=email)
    (call,) = r.fake.journal.calls()
    assert call.operation == "updateOrganization"
    assert call.status == status
    assert call.response == response
    assert call.raw_body == raw.decode()
    assert call.user_id == (user.id if user else None)
    assert call.body == (None if raw == b"{broken" else json.loads(raw))
