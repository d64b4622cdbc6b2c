"""Issue 5's client flow end to end: an API key made with a cookie session drives everything after."""

from __future__ import annotations

import pytest
from support import ADMIN, MEMBER, MakeFake

OK = '{"code":1,"message":"","data":true,"success":true}'


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_api_key_flow(make_fake: MakeFake, version: str) -> None:
    running = await make_fake(version, workspace_mode="SAAS")
    client = running.client
    # 1. a key, made with a cookie session
    created = await client.post(
        "/api/auth/api-key", json={"name": "automation"}, headers=running.session_headers(ADMIN["email"])
    )
    token = (await created.json())["data"]["token"]
    key = {"Authorization": f"Bearer {token}"}  # 2. the cookie is dropped from here on
    # 3. create an org with the key
    made = await client.post("/api/organizations", json={"name": "Provisioned"}, headers=key)
    assert made.status == 200
    org = (await made.json())["data"]
    assert org["orgName"] == "Provisioned"
    org_id = org["orgId"]
    # 4. add a member (Lowcoder adds members by invitation, which the fake does not serve: seed it)
    member_id = running.fake.store.user_by_email(MEMBER["email"]).id  # type: ignore[union-attr]
    seeded = await client.post(f"/__fake__/orgs/{org_id}/members", json={"userId": member_id, "role": "member"})
    assert seeded.status == 201
    # 5. promote them
    promoted = await client.put(
        f"/api/organizations/{org_id}/role", json={"userId": member_id, "role": "admin"}, headers=key
    )
    assert (promoted.status, await promoted.text()) == (200, OK)
    # 6. rename the org
    renamed = await client.put(f"/api/organizations/{org_id}/update", json={"orgName": "Provisioned Inc"}, headers=key)
    assert (renamed.status, await renamed.text()) == (200, OK)
    assert running.fake.store.org(org_id).name == "Provisioned Inc"  # type: ignore[union-attr]
    # 7. list members
    listed = await client.get(f"/api/organizations/{org_id}/members", headers=key)
    members = (await listed.json())["data"]["members"]
    assert {(m["userId"], m["role"]) for m in members} == {
        (running.fake.store.user_by_email(ADMIN["email"]).id, "admin"),  # type: ignore[union-attr]
        (member_id, "admin"),
    }
    # every Lowcoder step is in the journal, made by the admin
    calls = running.fake.journal.calls()
    assert [call.operation for call in calls] == [
        "createApiKey",
        "createOrganization",
        "updateOrganizationMemberRole",
        "updateOrganization",
        "listOrganizationMembers",
    ]
    assert {call.user_id for call in calls} == {running.fake.store.user_by_email(ADMIN["email"]).id}  # type: ignore[union-attr]
    assert all(call.status == 200 for call in calls)
