"""What real clients send, end to end — reference §6."""

from __future__ import annotations

import asyncio
import json
from http.cookies import SimpleCookie
from typing import Any

import aiohttp
import pytest
from lowcoder_http import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    COOKIE,
    MEMBER_EMAIL,
    NOT_AUTHORIZED,
    TRUE,
    not_authorized_status,
)

# -- the web client ---------------------------------------------------------------------------

WEB_HEADERS = {
    "Accept": "application/json, text/plain, */*",
    "Content-Type": "application/json",
    "Origin": "http://localhost:3000",
    "Referer": "http://localhost:3000/setting/organization",
    "X-Requested-With": "XMLHttpRequest",
}


@pytest.mark.parametrize(("version", "prefix"), [("2.1.6", "/api/v1"), ("2.7.6", "/api/v1"), ("2.7.6", "/api")])
async def test_web_client_renames_the_org(make_fake: Any, version: str, prefix: str) -> None:
    r = await make_fake(version)
    org_id = r.first_org_id
    path = f"{prefix}/organizations/{org_id}/update"
    resp = await r.client.put(
        path,
        data=json.dumps({"id": org_id, "orgName": "Renamed by the web client"}),
        headers={**WEB_HEADERS, **r.session_headers(ADMIN_EMAIL)},
    )
    assert (resp.status, await resp.text()) == (200, TRUE)
    assert json.loads(TRUE)["success"] is True  # the web client judges by `success` alone
    assert r.fake.store.org(org_id).name == "Renamed by the web client"
    (call,) = r.fake.journal.calls()
    assert call.operation == "updateOrganization"
    assert call.path == path
    assert dict(call.path_params) == {"orgId": org_id}
    assert call.body == {"id": org_id, "orgName": "Renamed by the web client"}


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_web_client_member_sees_failure(make_fake: Any, version: str) -> None:
    """A member's rename fails by `success`; from 2.5.1 the HTTP 401 logs the web client out."""
    r = await make_fake(version)
    before = r.fake.store.orgs()
    resp = await r.client.put(
        f"/api/v1/organizations/{r.first_org_id}/update",
        data=json.dumps({"id": r.first_org_id, "orgName": "Nope"}),
        headers={**WEB_HEADERS, **r.session_headers(MEMBER_EMAIL)},
    )
    text = await resp.text()
    assert (resp.status, text) == (not_authorized_status(version), NOT_AUTHORIZED)
    assert json.loads(text)["success"] is False
    assert r.fake.store.orgs() == before


async def test_web_client_body_id_of_another_org_is_ignored(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    first, second = r.fake.store.orgs()[:2]
    resp = await r.client.put(
        f"/api/v1/organizations/{first.id}/update",
        data=json.dumps({"id": second.id, "orgName": "Path wins"}),
        headers={**WEB_HEADERS, **r.session_headers(ADMIN_EMAIL)},
    )
    assert (resp.status, await resp.text()) == (200, TRUE)
    assert r.fake.store.org(first.id).name == "Path wins"
    assert r.fake.store.org(second.id) == second


# -- automation clients ---------------------------------------------------------------------------


async def automation_sign_in(r: Any, email: str, password: str, register: str) -> str:
    """Sign in the way automation clients do; returns the Cookie header they send next."""
    resp = await r.client.post(
        "/api/auth/form/login",
        json={"loginId": email, "password": password, "register": register, "authId": "EMAIL"},
    )
    assert (resp.status, await resp.text()) == (200, TRUE)
    jar: SimpleCookie = SimpleCookie()
    for header in resp.headers.getall("Set-Cookie"):
        jar.load(header)
    token = jar[COOKIE].value
    assert jar[COOKIE]["path"] == "/"
    assert jar[COOKIE]["httponly"]
    return f"{COOKIE}={token}"


@pytest.mark.parametrize("version", ["2.1.6", "2.4.0", "2.7.6"])
async def test_automation_sign_in_then_credential_check(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    cookie = await automation_sign_in(r, ADMIN_EMAIL, ADMIN_PASSWORD, "false")
    resp = await r.client.get("/api/users/me", headers={"Cookie": cookie})
    assert resp.status == 200
    me = json.loads(await resp.text())
    assert (me["code"], me["success"]) == (1, True)
    admin = r.fake.store.user_by_email(ADMIN_EMAIL)
    assert me["data"]["id"] == admin.id
    assert me["data"]["username"] == admin.name
    assert me["data"]["isAnonymous"] is False
    assert me["data"]["currentOrgId"] == r.first_org_id
    # and the same cookie updates the org
    resp = await r.client.put(
        f"/api/organizations/{r.first_org_id}/update", json={"orgName": "Automated"}, headers={"Cookie": cookie}
    )
    assert (resp.status, await resp.text()) == (200, TRUE)
    assert r.fake.store.org(r.first_org_id).name == "Automated"
    assert [c.operation for c in r.fake.journal.calls()] == [
        "loginWithUserPassword",
        "getUserProfile",
        "updateOrganization",
    ]


@pytest.mark.parametrize(("version", "role"), [("2.1.6", "member"), ("2.7.6", "admin")])
async def test_automation_registers_with_string_true(make_fake: Any, version: str, role: str) -> None:
    r = await make_fake(version)
    cookie = await automation_sign_in(r, "bot@example.com", "Bot-Password-1", "true")
    resp = await r.client.get("/api/users/me", headers={"Cookie": cookie})
    me = json.loads(await resp.text())["data"]
    assert me["username"] == "bot@example.com"
    assert [entry["role"] for entry in me["orgAndRoles"]] == [role]
    # a later run signs in with register "false"
    again = await automation_sign_in(r, "bot@example.com", "Bot-Password-1", "false")
    assert again != cookie


async def test_automation_client_sending_the_token_as_a_header_gets_401(make_fake: Any) -> None:
    """Some clients wrongly send the token as a header: Lowcoder ignores it."""
    r = await make_fake("2.7.6")
    cookie = await automation_sign_in(r, ADMIN_EMAIL, ADMIN_PASSWORD, "false")
    token = cookie.split("=", 1)[1]
    resp = await r.client.put(
        f"/api/organizations/{r.first_org_id}/update", json={"orgName": "Header"}, headers={COOKIE: token}
    )
    assert (resp.status, await resp.read()) == (401, b"")


# -- many clients at once --------------------------------------------------------------------------


@pytest.mark.parametrize("connections", [4, 10])
async def test_100_concurrent_updates(make_fake: Any, connections: int) -> None:
    r = await make_fake("2.1.6")
    org_id = r.first_org_id
    url = r.client.make_url(f"/api/organizations/{org_id}/update")
    headers = r.session_headers(ADMIN_EMAIL)
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    opened: list[object] = []

    async def on_connection_create_end(*_: object) -> None:
        opened.append(object())

    tracing = aiohttp.TraceConfig()
    tracing.on_connection_create_end.append(on_connection_create_end)
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar(), trace_configs=[tracing]
    ) as session:

        async def one(i: int) -> tuple[int, str]:
            async with session.put(url, json={"orgName": f"name-{i}"}, headers=headers) as resp:
                return resp.status, await resp.text()

        results = await asyncio.gather(*(one(i) for i in range(100)))
    assert results == [(200, TRUE)] * 100
    assert 1 < len(opened) <= connections
    calls = r.fake.journal.calls()
    assert len(calls) == 100
    assert [c.seq for c in calls] == list(range(1, 101))
    assert all(c.operation == "updateOrganization" and c.status == 200 for c in calls)
    assert sorted(c.body["orgName"] for c in calls) == sorted(f"name-{i}" for i in range(100))
    # the last write wins: the stored name is the one of the last call recorded
    assert r.fake.store.org(org_id).name == calls[-1].body["orgName"]


async def test_concurrent_sign_ins_and_updates_by_different_users(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    orgs = r.fake.store.orgs()
    admins = [ADMIN_EMAIL, "jaclyn.craig@example.net", "kayla.dodson@example.com"]
    cookies = await asyncio.gather(*(automation_sign_in(r, email, ADMIN_PASSWORD, "false") for email in admins))

    async def rename(org_id: str, cookie: str, name: str) -> tuple[int, str]:
        resp = await r.client.put(
            f"/api/organizations/{org_id}/update", json={"orgName": name}, headers={"Cookie": cookie}
        )
        return resp.status, await resp.text()

    results = await asyncio.gather(
        *(rename(org.id, cookie, f"org-{n}") for n, (org, cookie) in enumerate(zip(orgs, cookies, strict=True)))
    )
    assert results == [(200, TRUE)] * 3
    assert [org.name for org in r.fake.store.orgs()] == ["org-0", "org-1", "org-2"]
    assert [c.seq for c in r.fake.journal.calls()] == list(range(1, 7))
