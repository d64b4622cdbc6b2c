"""API keys (reference §3, from 2.1.3): create, list, delete, and Bearer sign-in."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from support import ADMIN, COOKIE, MEMBER, MakeFake, Running

from lowcoder_fake.jwt import sign, verified_claims

EMPTY_SUCCESS = '{"code":1,"message":"","success":true}'


def _segment(token: str, index: int) -> Any:
    part = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


async def _create_key(running: Running, email: str = ADMIN["email"], **body: Any) -> dict[str, Any]:
    response = await running.client.post(
        "/api/auth/api-key",
        json=body or {"name": "ci", "description": "for CI"},
        headers=running.session_headers(email),
    )
    assert response.status == 200, await response.text()
    answer: dict[str, Any] = await response.json()
    return answer


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_create_answers_id_and_token_from_2_1_5(make_fake: MakeFake) -> None:
    running = await make_fake("2.1.6")
    answer = await _create_key(running)
    assert list(answer) == ["code", "message", "data", "success"]
    assert list(answer["data"]) == ["id", "token"]
    assert len(answer["data"]["id"]) == 32


@pytest.mark.parametrize("version", ["2.1.3", "2.1.4"])
async def test_create_answers_token_only_before_2_1_5(make_fake: MakeFake, version: str) -> None:
    running = await make_fake(version)
    assert list((await _create_key(running))["data"]) == ["token"]


async def test_the_token_is_an_hs256_jwt_as_lowcoder_makes_it(make_fake: MakeFake) -> None:
    running = await make_fake("2.1.6")
    token = (await _create_key(running))["data"]["token"]
    admin = running.fake.store.user_by_email(ADMIN["email"])
    assert admin is not None
    assert token.startswith("eyJhbGciOiJIUzI1NiJ9.")  # {"alg":"HS256"}
    claims = _segment(token, 1)
    assert list(claims) == ["sub", "iat", "userId", "createdBy"]
    assert claims["sub"] == claims["userId"] == admin.id and claims["createdBy"] == admin.name
    assert "exp" not in claims
    assert verified_claims(token, running.fake.api_key_secret) == claims


def test_jwt_verification_matches_a_published_example() -> None:
    example = (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
        ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    )
    assert verified_claims(example, "your-256-bit-secret") == {
        "sub": "1234567890",
        "name": "John Doe",
        "iat": 1516239022,
    }
    assert verified_claims(example, "another-secret") is None
    assert verified_claims(sign({"a": 1}, "k"), "k") == {"a": 1}


@pytest.mark.parametrize(("version", "masked"), [("2.1.6", False), ("2.6.4", False), ("2.7.0", True), ("2.7.6", True)])
async def test_list_masks_tokens_from_2_7_0(make_fake: MakeFake, version: str, masked: bool) -> None:
    running = await make_fake(version)
    created = (await _create_key(running))["data"]
    response = await running.client.get("/api/auth/api-keys", headers=running.session_headers(ADMIN["email"]))
    [listed] = (await response.json())["data"]
    assert list(listed) == ["id", "name", "description", "token"]
    assert (listed["id"], listed["name"], listed["description"]) == (created["id"], "ci", "for CI")
    token = created["token"]
    expected = token[:6] + "*" * 13 + token[-6:] if masked else token
    assert listed["token"] == expected


async def test_list_shows_only_the_callers_keys(make_fake: MakeFake) -> None:
    running = await make_fake()
    await _create_key(running)
    response = await running.client.get("/api/auth/api-keys", headers=running.session_headers(MEMBER["email"]))
    assert await response.text() == '{"code":1,"message":"","data":[],"success":true}'


async def test_no_validation_and_a_given_id_replaces_that_key(make_fake: MakeFake) -> None:
    running = await make_fake()
    first = (await _create_key(running, name=7))["data"]
    await _create_key(running, id=first["id"], name="renamed")
    keys = running.fake.store.api_keys_of(running.fake.store.user_by_email(ADMIN["email"]).id)  # type: ignore[union-attr]
    assert [(key.id, key.name) for key in keys] == [(first["id"], "renamed")]
    empty = await running.client.post("/api/auth/api-key", json={}, headers=running.session_headers(ADMIN["email"]))
    assert empty.status == 200


@pytest.mark.parametrize("body", [b"", b"[]", b"{nope"])
async def test_bad_create_body_is_5002(make_fake: MakeFake, body: bytes) -> None:
    running = await make_fake()
    response = await running.client.post(
        "/api/auth/api-key",
        data=body,
        headers={"Content-Type": "application/json", **running.session_headers(ADMIN["email"])},
    )
    assert response.status == 500
    assert await response.text() == (
        '{"code":5002,"message":"Sorry, an invalid parameter was passed, please check: '
        'apiKeyRequest\' : AuthenticationController.createAPIKey.","success":false}'
    )


async def test_delete_answers_without_data_even_for_unknown_ids(make_fake: MakeFake) -> None:
    running = await make_fake()
    key = (await _create_key(running))["data"]
    headers = running.session_headers(ADMIN["email"])
    for key_id in (key["id"], key["id"], "nope"):
        response = await running.client.delete(f"/api/auth/api-key/{key_id}", headers=headers)
        assert (response.status, await response.text()) == (200, EMPTY_SUCCESS)
    assert running.fake.store.api_keys_of(running.fake.store.user_by_email(ADMIN["email"]).id) == []  # type: ignore[union-attr]


async def test_another_users_key_cannot_be_deleted(make_fake: MakeFake) -> None:
    running = await make_fake()
    key = (await _create_key(running))["data"]
    response = await running.client.delete(
        f"/api/auth/api-key/{key['id']}", headers=running.session_headers(MEMBER["email"])
    )
    assert await response.text() == EMPTY_SUCCESS
    assert (await running.client.get("/api/users/me", headers=_bearer(key["token"]))).status == 200
    me = await (await running.client.get("/api/users/me", headers=_bearer(key["token"]))).json()
    assert me["data"]["username"] == running.fake.store.user_by_email(ADMIN["email"]).name  # type: ignore[union-attr]


async def test_bearer_signs_in_without_a_cookie(make_fake: MakeFake) -> None:
    running = await make_fake()
    token = (await _create_key(running))["data"]["token"]
    response = await running.client.put(
        f"/api/organizations/{running.first_org_id}/update", json={"orgName": "By key"}, headers=_bearer(token)
    )
    assert response.status == 200
    assert running.fake.store.org(running.first_org_id).name == "By key"  # type: ignore[union-attr]
    [*_, call] = running.fake.journal.calls()
    assert call.user_id == running.fake.store.user_by_email(ADMIN["email"]).id  # type: ignore[union-attr]


@pytest.mark.parametrize("cookie", ["bogus", "00000000000000000000000000000000"])
async def test_any_session_cookie_wins_over_bearer(make_fake: MakeFake, cookie: str) -> None:
    running = await make_fake()
    token = (await _create_key(running))["data"]["token"]
    response = await running.client.put(
        f"/api/organizations/{running.first_org_id}/update",
        json={"orgName": "x"},
        headers={**_bearer(token), "Cookie": f"{COOKIE}={cookie}"},
    )
    assert (response.status, await response.text()) == (401, "")


@pytest.mark.parametrize(
    "header",
    ["Bearer x.y.z", "Bearer ", "bearer {token}", "Bearer {forged}", "Basic {token}", "Bearer {token}x"],
)
async def test_bad_or_badly_signed_keys_are_no_credentials(make_fake: MakeFake, header: str) -> None:
    running = await make_fake()
    token = (await _create_key(running))["data"]["token"]
    forged = sign(_segment(token, 1), "not-the-secret")
    response = await running.client.put(
        f"/api/organizations/{running.first_org_id}/update",
        json={"orgName": "x"},
        headers={"Authorization": header.format(token=token, forged=forged)},
    )
    assert (response.status, await response.text()) == (401, "")


@pytest.mark.parametrize("path", ["/api/users/me", "/api/configs", f"/api/organizations/{'a' * 24}/update"])
async def test_a_deleted_key_with_a_valid_signature_gets_200_with_an_empty_body(make_fake: MakeFake, path: str) -> None:
    running = await make_fake()
    key = (await _create_key(running))["data"]
    await running.client.delete(f"/api/auth/api-key/{key['id']}", headers=running.session_headers(ADMIN["email"]))
    method = "PUT" if path.endswith("update") else "GET"
    response = await running.client.request(method, path, json={"orgName": "x"}, headers=_bearer(key["token"]))
    assert (response.status, await response.read()) == (200, b"")
    assert running.fake.journal.calls()[-1].status == 200


async def test_before_2_1_3_there_are_no_api_keys(make_fake: MakeFake) -> None:
    running = await make_fake("2.0.1")
    response = await running.client.post(
        "/api/auth/api-key", json={"name": "x"}, headers=running.session_headers(ADMIN["email"])
    )
    assert (response.status, await response.text()) == (404, '{"code":404,"message":"Not Found","success":false}')
    token = sign({"sub": "u", "userId": "u"}, running.fake.api_key_secret)
    assert (await running.client.get("/api/users/me", headers=_bearer(token))).status == 200
    me = await (await running.client.get("/api/users/me", headers=_bearer(token))).json()
    assert me["data"]["anonymous"] is True


async def test_operations_are_journaled(make_fake: MakeFake) -> None:
    running = await make_fake()
    key = (await _create_key(running))["data"]
    headers = running.session_headers(ADMIN["email"])
    await running.client.get("/api/auth/api-keys", headers=headers)
    await running.client.delete(f"/api/auth/api-key/{key['id']}", headers=headers)
    assert [call.operation for call in running.fake.journal.calls()] == ["createApiKey", "listApiKeys", "deleteApiKey"]


async def test_control_api_seeds_keys_members_and_workspace_mode(make_fake: MakeFake) -> None:
    running = await make_fake("2.1.6")
    created = await running.client.post("/__fake__/api-keys", json={"email": MEMBER["email"], "name": "seeded"})
    assert created.status == 201
    key = await created.json()
    assert key["name"] == "seeded" and key["userId"] == running.fake.store.user_by_email(MEMBER["email"]).id  # type: ignore[union-attr]
    me = await (await running.client.get("/api/users/me", headers=_bearer(key["token"]))).json()
    assert me["data"]["id"] == key["userId"]
    listed = await (await running.client.get("/__fake__/api-keys")).json()
    assert listed == {"apiKeys": [key]}

    org = await (await running.client.post("/__fake__/orgs", json={"name": "Seeded"})).json()
    member = await running.client.post(
        f"/__fake__/orgs/{org['id']}/members", json={"email": MEMBER["email"], "role": "admin"}
    )
    assert member.status == 201
    assert await member.json() == {"orgId": org["id"], "userId": key["userId"], "role": "admin"}
    update = await running.client.put(
        f"/api/organizations/{org['id']}/update", json={"orgName": "S2"}, headers=_bearer(key["token"])
    )
    assert update.status == 200

    assert await (await running.client.get("/__fake__/settings")).json() == {"workspaceMode": "ENTERPRISE"}
    changed = await running.client.put("/__fake__/settings", json={"workspaceMode": "SAAS"})
    assert await changed.json() == {"workspaceMode": "SAAS"}
    configs = await (await running.client.get("/api/configs")).json()
    assert configs["data"]["workspaceMode"] == "SAAS"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/__fake__/api-keys", {"email": "nobody@example.com"}, "email"),
        ("/__fake__/api-keys", {"email": ADMIN["email"], "scope": "all"}, "scope"),
        ("/__fake__/api-keys", {}, "email"),
        ("/__fake__/orgs/62edc503a5aec7978306d03b/members", {"email": ADMIN["email"]}, "role"),
        ("/__fake__/orgs/62edc503a5aec7978306d03b/members", {"email": ADMIN["email"], "role": "owner"}, "role"),
        ("/__fake__/orgs/62edc503a5aec7978306d03b/members", {"userId": 5, "role": "admin"}, "userId"),
    ],
)
async def test_bad_seeding_is_refused_naming_the_field(
    make_fake: MakeFake, path: str, body: dict[str, Any], field: str
) -> None:
    running = await make_fake()
    response = await running.client.post(path, json=body)
    assert response.status == 400
    assert (await response.json())["field"] == field


async def test_bad_workspace_mode_is_refused(make_fake: MakeFake) -> None:
    running = await make_fake()
    response = await running.client.put("/__fake__/settings", json={"workspaceMode": "CLOUD"})
    assert (response.status, (await response.json())["field"]) == (400, "workspaceMode")
    assert running.fake.workspace_mode == "ENTERPRISE"
