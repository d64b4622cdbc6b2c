"""The envelope and the answers outside it: 401, unknown routes, wrong methods, bodies — reference §2."""

from __future__ import annotations

import json
from typing import Any

import pytest
from lowcoder_http import (
    ADMIN_EMAIL,
    INTERNAL,
    MEMBER_EMAIL,
    NOT_AUTHORIZED,
    NOT_FOUND,
    TRUE,
    UNKNOWN_ORG_ID,
    org_snapshot,
    put_update,
    snapshot,
    unknown_route,
)

ORG = "62edc503a5aec7978306d03b"  # the default data set's first org

# -- no credentials on a protected path: 401, empty body ------------------------------------

PROTECTED = [
    ("PUT", f"/api/organizations/{ORG}/update"),
    ("PUT", f"/api/v1/organizations/{ORG}/update"),
    ("PUT", f"/api/organizations/{UNKNOWN_ORG_ID}/update"),
    ("PUT", f"/api/organizations/{ORG}/update/"),
    ("GET", f"/api/organizations/{ORG}/update"),
    ("POST", f"/api/organizations/{ORG}/update"),
    ("GET", f"/api/organizations/{ORG}/members"),
    ("POST", "/api/organizations"),
    ("DELETE", f"/api/organizations/{ORG}"),
    ("GET", "/api/nonexistent"),
    ("GET", "/api/v1/no/such/thing"),
    ("POST", "/api/users/me"),
    ("PUT", "/api/users/me"),
    ("DELETE", "/api/users/me"),
    ("GET", "/api/state/healthCheck"),
    ("PUT", "/api/configs"),
    ("POST", "/api/configs/deploymentId"),
]


@pytest.mark.parametrize("version", ["2.0.1", "2.1.6", "2.4.0", "2.7.6"])
@pytest.mark.parametrize(("method", "path"), PROTECTED)
async def test_no_credentials_on_a_protected_path_is_401_empty(
    make_fake: Any, version: str, method: str, path: str
) -> None:
    r = await make_fake(version)
    before = snapshot(r)
    resp = await r.client.request(method, path, data=b'{"orgName":"X"}', headers={"Content-Type": "application/json"})
    assert resp.status == 401
    assert await resp.read() == b""
    assert snapshot(r) == before
    (call,) = r.fake.journal.calls()
    assert (call.method, call.path, call.status, call.response, call.user_id) == (method, path, 401, None, None)


@pytest.mark.parametrize(
    "cookie",
    [
        "LOWCODER_CE_SELFHOST_TOKEN=ffffffffffffffffffffffffffffffff",
        "LOWCODER_CE_SELFHOST_TOKEN=not-a-token",
        "lowcoder_ce_selfhost_token=whatever",
    ],
)
async def test_an_unknown_session_is_no_credential(make_fake: Any, cookie: str) -> None:
    r = await make_fake("2.1.6")
    resp = await r.client.get("/api/nonexistent", headers={"Cookie": cookie})
    assert (resp.status, await resp.read()) == (401, b"")


async def test_status_health_is_protected_before_2_4_1(make_fake: Any) -> None:
    r = await make_fake("2.4.0")
    resp = await r.client.get("/api/status/health")
    assert (resp.status, await resp.read()) == (401, b"")


# -- unknown routes ------------------------------------------------------------------------------

VERSIONS_BY_ROUTE_ANSWER = ["2.0.1", "2.1.6", "2.3.0", "2.4.0", "2.5.2", "2.7.6"]


@pytest.mark.parametrize("version", VERSIONS_BY_ROUTE_ANSWER)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/nonexistent"),
        ("GET", "/api/v1/no/such/thing"),
        ("POST", f"/api/organizations/{ORG}/unknown"),
        ("PUT", f"/api/organizations/{ORG}/update/"),
        ("PUT", f"/api/v1/organizations/{ORG}/update/"),
        ("PUT", f"/api/organizations/{ORG}/update/extra"),
        ("GET", "/api/users/me/"),
        ("POST", "/api/v1/auth/logout"),
    ],
)
async def test_unknown_route_signed_in(make_fake: Any, version: str, method: str, path: str) -> None:
    r = await make_fake(version)
    before = org_snapshot(r)
    resp = await r.client.request(
        method,
        path,
        data=b'{"orgName":"X"}',
        headers={**r.session_headers(ADMIN_EMAIL), "Content-Type": "application/json"},
    )
    status, text = unknown_route(version)
    assert (resp.status, await resp.text()) == (status, text)
    assert resp.content_type == "application/json"
    assert org_snapshot(r) == before
    (call,) = r.fake.journal.calls()
    assert call.operation is None
    assert (call.method, call.path, call.status, call.response) == (method, path, status, json.loads(text))


@pytest.mark.parametrize("version", ["2.0.1", "2.1.6", "2.4.0", "2.7.6"])
@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/nope"), ("POST", "/foo/bar"), ("GET", "/index.html"), ("PUT", f"/organizations/{ORG}/update")],
)
@pytest.mark.parametrize("signed_in", [False, True])
async def test_unknown_route_outside_api_is_public(
    make_fake: Any, version: str, method: str, path: str, signed_in: bool
) -> None:
    r = await make_fake(version)
    headers = r.session_headers(ADMIN_EMAIL) if signed_in else {}
    resp = await r.client.request(method, path, headers=headers)
    assert (resp.status, await resp.text()) == unknown_route(version)
    (call,) = r.fake.journal.calls()
    assert (call.operation, call.status) == (None, unknown_route(version)[0])


async def test_unknown_route_answer_changes_at_2_4_0(make_fake: Any) -> None:
    old = await make_fake("2.3.0")
    new = await make_fake("2.4.0")
    for r, expected in ((old, (404, NOT_FOUND)), (new, (500, INTERNAL))):
        resp = await r.client.get("/api/nonexistent", headers=r.session_headers(MEMBER_EMAIL))
        assert (resp.status, await resp.text()) == expected


# -- wrong method on a known path --------------------------------------------------------------

WRONG_METHODS = [
    ("GET", f"/api/organizations/{ORG}/update"),
    ("POST", f"/api/organizations/{ORG}/update"),
    ("DELETE", f"/api/organizations/{ORG}/update"),
    ("PATCH", f"/api/organizations/{ORG}/update"),
    ("PATCH", f"/api/v1/organizations/{ORG}/update"),
    ("POST", "/api/users/me"),
    ("PUT", "/api/users/me"),
    ("DELETE", "/api/users/me"),
    ("POST", "/api/configs"),
    ("PUT", "/api/configs"),
    ("DELETE", "/api/configs/deploymentId"),
    ("GET", "/api/auth/form/login"),
    ("PUT", "/api/auth/form/login"),
    ("GET", "/api/state/healthCheck"),
    ("POST", "/api/state/healthCheck"),
]


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize(("method", "path"), WRONG_METHODS)
async def test_wrong_method_signed_in_is_5000(make_fake: Any, version: str, method: str, path: str) -> None:
    r = await make_fake(version)
    headers = {**r.session_headers(ADMIN_EMAIL), "Content-Type": "application/json"}
    before = snapshot(r)
    resp = await r.client.request(method, path, data=b'{"orgName":"X"}', headers=headers)
    assert (resp.status, await resp.text()) == (500, INTERNAL)
    assert resp.content_type == "application/json"
    assert snapshot(r) == before
    (call,) = r.fake.journal.calls()
    assert (call.method, call.path, call.status, call.response) == (method, path, 500, json.loads(INTERNAL))


# -- the envelope's shape --------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_error_envelopes_have_no_data_and_json_content_type(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    answers = [
        await r.client.put(
            f"/api/organizations/{ORG}/update", json={"orgName": "X"}, headers=r.session_headers(MEMBER_EMAIL)
        ),
        await r.client.put(
            f"/api/organizations/{ORG}/update",
            data=b"{",
            headers={**r.session_headers(ADMIN_EMAIL), "Content-Type": "application/json"},
        ),
        await r.client.post("/api/auth/form/login", json={"loginId": "x", "password": "y", "authId": "EMAIL"}),
        await r.client.get("/nope"),
    ]
    for resp in answers:
        assert resp.content_type == "application/json"
        document = json.loads(await resp.text())
        assert list(document) == ["code", "message", "success"]
        assert document["success"] is False
        assert isinstance(document["code"], int)


async def test_messages_are_english_before_2_6_0_whatever_the_language(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    for language in ("zh-CN,zh;q=0.9", "de-DE", "fr", "*"):
        status_text = await put_update(
            r, ORG, {"orgName": "X"}, email=MEMBER_EMAIL, headers={"Accept-Language": language}
        )
        assert status_text == (500, NOT_AUTHORIZED)


async def test_english_is_the_default_language_at_2_7_6(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    assert await put_update(r, ORG, {"orgName": "X"}, email=MEMBER_EMAIL) == (401, NOT_AUTHORIZED)


# -- request bodies: 20 MB (256 KiB in 2.4.0 alone) -------------------------------------------------


def body_of_size(size: int) -> bytes:
    """``{"orgName":"aaa…"}`` of exactly ``size`` bytes."""
    prefix, suffix = b'{"orgName":"', b'"}'
    return prefix + b"a" * (size - len(prefix) - len(suffix)) + suffix


@pytest.mark.parametrize(
    ("version", "limit"),
    [("2.1.6", 20 * 1024 * 1024), ("2.4.0", 256 * 1024)],
)
async def test_body_limit_boundary(make_fake: Any, version: str, limit: int) -> None:
    r = await make_fake(version)
    before = org_snapshot(r)
    assert await put_update(r, ORG, body_of_size(limit + 1)) == (500, INTERNAL)
    assert org_snapshot(r) == before
    assert await put_update(r, ORG, body_of_size(limit)) == (200, TRUE)
    assert r.fake.store.org(ORG).name == "a" * (limit - 14)
    calls = r.fake.journal.calls()
    assert [(c.operation, c.status) for c in calls] == [("updateOrganization", 500), ("updateOrganization", 200)]


@pytest.mark.parametrize("version", ["2.3.0", "2.4.1", "2.7.6"])
async def test_bodies_over_256_kib_and_1_mb_are_fine_outside_2_4_0(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    assert await put_update(r, ORG, body_of_size(300 * 1024)) == (200, TRUE)
    assert await put_update(r, ORG, body_of_size(2 * 1024 * 1024)) == (200, TRUE)
    assert len(r.fake.store.org(ORG).name or "") == 2 * 1024 * 1024 - 14


@pytest.mark.parametrize(("who", "expected"), [("anonymous", (401, "")), ("member", (500, INTERNAL))])
async def test_too_large_body_order_of_checks(make_fake: Any, who: str, expected: tuple[int, str]) -> None:
    r = await make_fake("2.4.0")
    email = None if who == "anonymous" else MEMBER_EMAIL
    before = org_snapshot(r)
    assert await put_update(r, ORG, body_of_size(300 * 1024), email=email) == expected
    assert org_snapshot(r) == before
