"""Conformance with Lowcoder's own OpenAPI export (reference/lowcoder-openapi).

Every Lowcoder call the fake serves that the export describes is made, as
a success and as an error, and each JSON answer is validated against the
export's response schema (the export documents only the 200 envelope, so
errors are checked against it too). The export marks nothing nullable while
the real server sends nulls, so every typed schema is made nullable here.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import ADMIN, MEMBER, MakeFake, Running

from lowcoder_fake.api import OPERATION_TABLES
from lowcoder_fake.journal import Call
from lowcoder_fake.versions import Behaviours

openapi_schema_validator = pytest.importorskip("openapi_schema_validator")

EXPORT = Path(__file__).resolve().parents[2] / "shared/reference/lowcoder-openapi/Lowcoder_OpenAPI_v1.0.json"
OUTSIDER = {"email": "outsider@example.com", "password": "Outsider-Password-1"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def export() -> dict[str, Any]:
    if not EXPORT.is_file():
        pytest.skip(f"Lowcoder's OpenAPI export is absent ({EXPORT})")
    document: dict[str, Any] = json.loads(EXPORT.read_text(encoding="utf-8"))
    _allow_null(document["components"])
    return document


def _allow_null(node: Any) -> None:
    """Mark every schema that names a type nullable (the real server sends nulls), and read a
    bare ``{"type": "object"}`` as any value (springdoc writes Java's ``Object`` so)."""
    if isinstance(node, dict):
        if node.get("type") == "object" and not {"properties", "additionalProperties"} & set(node):
            del node["type"]
        if isinstance(node.get("type"), str):
            node["nullable"] = True
        for value in node.values():
            _allow_null(value)
    elif isinstance(node, list):
        for value in node:
            _allow_null(value)


def _template_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")


def _spec_operation(export: dict[str, Any], method: str, path: str) -> tuple[str, dict[str, Any]] | None:
    """The export's operation for a call (``/api/v1`` paths are the same handlers as ``/api``;
    a literal path wins over a template, as in Spring)."""
    path = re.sub(r"^/api/v1/", "/api/", path)
    for template, operations in sorted(export["paths"].items(), key=lambda item: item[0].count("{")):
        if method.lower() in operations and _template_regex(template).match(path):
            return f"{method.upper()} {template}", operations[method.lower()]
    return None


def _response_schema(export: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    content = operation["responses"]["200"]["content"]
    schema = next(iter(content.values()))["schema"]
    return {**copy.deepcopy(schema), "components": export["components"]}


def _validate(export: dict[str, Any], call: Call) -> str | None:
    """The spec operation a call answered for, after validating its body; None when the export lacks it."""
    found = _spec_operation(export, call.method, call.path)
    if found is None or call.method == "HEAD" or call.response is None:
        return None
    key, operation = found
    validator = openapi_schema_validator.OAS30Validator(_response_schema(export, operation))
    validator.validate(call.response)
    return key


async def _scenario(running: Running) -> None:
    """Each served operation, as a success and as an error."""
    client, org = running.client, running.first_org_id
    admin = running.session_headers(ADMIN["email"])
    member = running.session_headers(MEMBER["email"])
    member_id = running.fake.store.user_by_email(MEMBER["email"]).id  # type: ignore[union-attr]
    running.fake.add_user(OUTSIDER)
    outsider = running.session_headers(OUTSIDER["email"])
    login = {"loginId": ADMIN["email"], "password": ADMIN["password"], "register": False, "authId": "EMAIL"}
    await client.post("/api/auth/form/login", json=login)
    await client.post("/api/auth/form/login", json={**login, "password": "wrong"})
    await client.post("/api/auth/form/login", json={**login, "register": "yes"})
    await client.get("/api/users/me")
    await client.get("/api/users/me", headers=admin)
    await client.get("/api/configs")
    await client.get("/api/configs/deploymentId")
    await client.put(f"/api/organizations/{org}/update", json={"orgName": "Conformant"}, headers=admin)
    await client.put(f"/api/v1/organizations/{org}/update", json={"orgName": "No"}, headers=member)
    await client.put(
        f"/api/organizations/{org}/update", data=b"{", headers={"Content-Type": "application/json", **admin}
    )
    await client.post("/api/organizations", json={"name": "New"}, headers=admin)
    await client.get(f"/api/organizations/{org}/members", headers=member)
    await client.get(f"/api/organizations/{org}/members", headers=outsider)
    await client.put(f"/api/organizations/{org}/role", json={"userId": member_id, "role": "member"}, headers=admin)
    await client.put(f"/api/organizations/{org}/role", json={"userId": member_id, "role": "admin"}, headers=member)
    await client.put(f"/api/organizations/switchOrganization/{org}", headers=member)
    await client.put(f"/api/organizations/switchOrganization/{org}", headers=outsider)
    await client.get(f"/api/organizations/{org}/common-settings", headers=member)
    await client.get(f"/api/organizations/{org}/common-settings", headers=outsider)
    await client.put(f"/api/organizations/{org}/common-settings", json={"key": "k", "value": 1}, headers=admin)
    await client.put(f"/api/organizations/{org}/common-settings", json={"key": "k", "value": 1}, headers=member)
    await client.post(f"/api/organizations/{org}/logo", data=_png_form(), headers=admin)
    await client.post(f"/api/organizations/{org}/logo", data=_png_form(), headers=member)
    await client.delete(f"/api/organizations/{org}/logo", headers=admin)
    await client.delete(f"/api/organizations/{org}/logo", headers=admin)
    await client.get(f"/api/organizations/{org}/datasourceTypes")
    await client.delete(f"/api/organizations/{org}/remove?userId={member_id}", headers=member)
    await client.delete(f"/api/organizations/{org}/remove?userId={member_id}", headers=admin)
    await client.delete(f"/api/organizations/{org}/leave", headers=admin)
    await client.delete(f"/api/organizations/{org}/leave", headers=outsider)
    await client.delete(f"/api/organizations/{org}", headers=outsider)
    await client.delete(f"/api/organizations/{org}", headers=admin)
    await client.post("/api/auth/logout", headers=admin)


def _png_form() -> Any:
    import aiohttp

    form = aiohttp.FormData()
    form.add_field("file", PNG, filename="logo.png", content_type="image/png")
    return form


def _served_spec_operations(export: dict[str, Any], behaviours: Behaviours) -> Iterator[str]:
    for table in OPERATION_TABLES:
        for operation in table:
            if operation.available(behaviours) and operation.method != "HEAD":
                found = _spec_operation(export, operation.method, operation.paths()[0])
                if found is not None:
                    yield found[0]


async def test_every_answer_validates_against_the_export(make_fake: MakeFake, export: dict[str, Any]) -> None:
    running = await make_fake("2.1.6", workspace_mode="SAAS")
    await _scenario(running)
    validated: dict[str, set[bool]] = {}
    for call in running.fake.journal.calls():
        key = _validate(export, call)
        if key is not None:
            validated.setdefault(key, set()).add(isinstance(call.response, dict) and call.response.get("code") == 1)
    served = set(_served_spec_operations(export, running.fake.behaviours))
    assert len(served) >= 18, sorted(served)
    assert served <= set(validated), f"served but never validated: {sorted(served - set(validated))}"
    without_error = {key for key, outcomes in validated.items() if False not in outcomes}
    public_or_always_succeeding = {"GET /api/organizations/{orgId}/datasourceTypes", "GET /api/users/me",
                                   "GET /api/configs", "GET /api/configs/deploymentId", "POST /api/auth/logout",
                                   "POST /api/organizations"}  # fmt: skip
    assert without_error <= public_or_always_succeeding, f"no error answer validated: {sorted(without_error)}"


@pytest.mark.parametrize(
    ("schema_name", "broken"),
    [
        ("ResponseViewBoolean", {"code": 1, "message": "", "data": "true", "success": True}),
        ("ResponseViewBoolean", {"code": "1", "message": "", "data": True, "success": True}),
        (
            "ResponseViewOrgMemberListView",
            {"code": 1, "message": "", "success": True,
             "data": {"visitorRole": "admin", "members": [{"userId": "u", "joinTime": "yesterday"}]}},
        ),
        ("ResponseViewOrgView", {"code": 1, "message": "", "success": True, "data": {"orgId": 5}}),
    ],
)  # fmt: skip
def test_a_deliberately_broken_answer_fails_validation(
    export: dict[str, Any], schema_name: str, broken: dict[str, Any]
) -> None:
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": export["components"]}
    validator = openapi_schema_validator.OAS30Validator(schema)
    with pytest.raises(Exception, match="is not of type"):
        validator.validate(broken)


async def test_a_fake_answer_with_a_field_broken_on_purpose_fails(make_fake: MakeFake, export: dict[str, Any]) -> None:
    running = await make_fake("2.1.6")
    await running.client.get(
        f"/api/organizations/{running.first_org_id}/members", headers=running.session_headers(ADMIN["email"])
    )
    [call] = running.fake.journal.calls()
    assert _validate(export, call) is not None  # the real answer conforms
    broken = copy.deepcopy(call.response)
    broken["data"]["members"][0]["joinTime"] = str(broken["data"]["members"][0]["joinTime"])
    _, operation = _spec_operation(export, call.method, call.path)  # type: ignore[misc]
    validator = openapi_schema_validator.OAS30Validator(_response_schema(export, operation))
    with pytest.raises(Exception, match="is not of type 'integer'"):
        validator.validate(broken)
