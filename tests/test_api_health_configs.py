"""Health and configuration: healthCheck, GET /, status/health, configs, deploymentId — reference §5."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from lowcoder_http import ADMIN_EMAIL, INTERNAL, MEMBER_EMAIL, unknown_route

ROOT = '{"code":1,"message":"Lowcoder API is up and runnig","success":true}'


def email_entry(enable_register: bool) -> str:
    """An auth entry as Lowcoder writes it: ``authType`` really appears twice."""
    flag = "true" if enable_register else "false"
    return (
        '{"authType":"FORM","id":"EMAIL","source":"EMAIL","sourceName":"EMAIL","enable":true,'
        f'"enableRegister":{flag},"authType":"FORM"}}'
    )


def configs(entries: int, enable_register: bool, mode: str, cookie: str = "LOWCODER_CE_SELFHOST_TOKEN") -> str:
    auth = ",".join([email_entry(enable_register)] * entries)
    return (
        '{"code":1,"message":"","data":{"authConfigs":[' + auth + f'],"workspaceMode":"{mode}","selfDomain":false,'
        f'"cookieName":"{cookie}","cloudHosting":false}},"success":true}}'
    )


# -- HEAD /api/state/healthCheck -------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.0.1", "2.1.6", "2.4.1", "2.7.6"])
@pytest.mark.parametrize("prefix", ["/api", "/api/v1"])
async def test_health_check_is_503_first_then_200(make_fake: Any, version: str, prefix: str) -> None:
    r = await make_fake(version)
    statuses = []
    for _ in range(3):
        resp = await r.client.head(f"{prefix}/state/healthCheck")
        assert await resp.read() == b""
        statuses.append(resp.status)
    assert statuses == [503, 200, 200]
    calls = r.fake.journal.calls()
    assert [(c.seq, c.operation, c.method, c.status, c.response) for c in calls] == [
        (1, "healthCheck", "HEAD", 503, None),
        (2, "healthCheck", "HEAD", 200, None),
        (3, "healthCheck", "HEAD", 200, None),
    ]


async def test_health_check_warms_up_once_for_both_prefixes_and_any_caller(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    first = await r.client.head("/api/v1/state/healthCheck", headers=r.session_headers(ADMIN_EMAIL))
    second = await r.client.head("/api/state/healthCheck")
    assert (first.status, second.status) == (503, 200)


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_get_health_check_is_not_mapped(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    anonymous = await r.client.get("/api/state/healthCheck")
    assert (anonymous.status, await anonymous.read()) == (401, b"")
    signed_in = await r.client.get("/api/state/healthCheck", headers=r.session_headers(MEMBER_EMAIL))
    assert (signed_in.status, await signed_in.text()) == (500, INTERNAL)


# -- GET / and GET /api/status/health (2.4.1) ----------------------------------------------------


@pytest.mark.parametrize("version", ["2.0.1", "2.1.6", "2.4.0", "2.4.1", "2.5.2", "2.7.6"])
@pytest.mark.parametrize("signed_in", [False, True])
async def test_root(make_fake: Any, version: str, signed_in: bool) -> None:
    r = await make_fake(version)
    headers = r.session_headers(ADMIN_EMAIL) if signed_in else {}
    resp = await r.client.get("/", headers=headers)
    if tuple(int(p) for p in version.split(".")) >= (2, 4, 1):
        assert (resp.status, await resp.text()) == (200, ROOT)
        assert resp.content_type == "application/json"
    else:
        assert (resp.status, await resp.text()) == unknown_route(version)


@pytest.mark.parametrize("version", ["2.4.1", "2.7.6"])
@pytest.mark.parametrize("signed_in", [False, True])
async def test_status_health_from_2_4_1(make_fake: Any, version: str, signed_in: bool) -> None:
    r = await make_fake(version)
    headers = r.session_headers(ADMIN_EMAIL) if signed_in else {}
    resp = await r.client.get("/api/status/health", headers=headers)
    assert resp.status == 200
    text = await resp.text()
    assert text.startswith('{"status":"UP"')
    document = json.loads(text)
    assert document["status"] == "UP"
    assert "code" not in document and "success" not in document


@pytest.mark.parametrize(("version", "expected"), [("2.1.6", (401, "")), ("2.4.0", (401, ""))])
async def test_status_health_before_2_4_1_anonymous(make_fake: Any, version: str, expected: tuple[int, str]) -> None:
    r = await make_fake(version)
    resp = await r.client.get("/api/status/health")
    assert (resp.status, await resp.text()) == expected


@pytest.mark.parametrize("version", ["2.1.6", "2.4.0"])
async def test_status_health_before_2_4_1_signed_in(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    resp = await r.client.get("/api/status/health", headers=r.session_headers(ADMIN_EMAIL))
    assert (resp.status, await resp.text()) == unknown_route(version)


# -- GET /api/configs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "config", "expected"),
    [
        ("2.0.1", {}, configs(1, True, "ENTERPRISE")),
        ("2.1.0", {}, configs(2, True, "ENTERPRISE")),
        ("2.1.6", {}, configs(2, True, "ENTERPRISE")),
        ("2.2.0", {}, configs(2, True, "ENTERPRISE")),
        ("2.3.0", {}, configs(1, True, "SAAS")),
        ("2.7.6", {}, configs(1, True, "SAAS")),
        ("2.1.6", {"workspace_mode": "SAAS"}, configs(1, True, "SAAS")),
        ("2.7.6", {"workspace_mode": "ENTERPRISE"}, configs(2, True, "ENTERPRISE")),
        ("2.1.6", {"email_sign_up": False}, configs(2, False, "ENTERPRISE")),
        ("2.1.6", {"workspace_mode": "SAAS", "email_sign_up": False}, configs(1, False, "SAAS")),
        ("2.7.6", {"email_sign_up": False}, configs(1, False, "SAAS")),
        ("2.7.6", {"cookie_name": "MY_SESSION"}, configs(1, True, "SAAS", "MY_SESSION")),
    ],
)
@pytest.mark.parametrize("path", ["/api/configs", "/api/v1/configs"])
async def test_configs(make_fake: Any, version: str, config: dict[str, Any], expected: str, path: str) -> None:
    r = await make_fake(version, **config)
    for headers in ({}, r.session_headers(ADMIN_EMAIL)):
        resp = await r.client.get(path, headers=headers)
        assert (resp.status, await resp.text()) == (200, expected)
        assert resp.content_type == "application/json"
    calls = r.fake.journal.calls()
    assert [(c.operation, c.status) for c in calls] == [("listConfigs", 200)] * 2
    assert calls[0].response["data"]["workspaceMode"] == json.loads(expected)["data"]["workspaceMode"]


@pytest.mark.parametrize(("version", "open_"), [("2.0.1", False), ("2.1.6", True)])
async def test_configs_register_open_while_no_admin_from_2_1_0(make_fake: Any, version: str, open_: bool) -> None:
    r = await make_fake(version, email_sign_up=False)
    r.fake.store.clear()
    resp = await r.client.get("/api/configs")
    document = json.loads(await resp.text())
    assert [entry["enableRegister"] for entry in document["data"]["authConfigs"]] == [open_] * (
        2 if version == "2.1.6" else 1
    )


async def test_configs_accept_an_org_id_from_2_1_0(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    resp = await r.client.get(f"/api/configs?orgId={r.first_org_id}")
    assert resp.status == 200
    document = json.loads(await resp.text())
    assert (document["code"], document["success"]) == (1, True)
    assert document["data"]["cookieName"] == "LOWCODER_CE_SELFHOST_TOKEN"


# -- GET /api/configs/deploymentId -------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_deployment_id_is_raw_hex(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    texts = []
    for path, headers in (
        ("/api/configs/deploymentId", {}),
        ("/api/v1/configs/deploymentId", {}),
        ("/api/configs/deploymentId", r.session_headers(ADMIN_EMAIL)),
    ):
        resp = await r.client.get(path, headers=headers)
        assert resp.status == 200
        texts.append(await resp.text())
    assert re.fullmatch(r"[0-9a-f]{32}", texts[0])
    assert texts == [texts[0]] * 3
    calls = r.fake.journal.calls()
    assert [(c.operation, c.status) for c in calls] == [("getDeploymentId", 200)] * 3
    assert calls[0].response == texts[0]


async def test_deployment_id_is_per_fake(make_fake: Any) -> None:
    one, two = await make_fake("2.1.6"), await make_fake("2.1.6")
    texts = [await (await r.client.get("/api/configs/deploymentId")).text() for r in (one, two)]
    assert texts[0] != texts[1]


# -- the public routes of 2.1.6 ------------------------------------------------------------------

ORG = "62edc503a5aec7978306d03b"
PUBLIC_UNDER_BOTH_PREFIXES = [
    ("GET", "/users/me"),
    ("GET", "/users/currentUser"),
    ("GET", "/configs"),
    ("GET", "/configs/deploymentId"),
    ("HEAD", "/state/healthCheck"),
    ("GET", f"/organizations/{ORG}/datasourceTypes"),
    ("GET", "/invitation/abc"),
    ("GET", "/invitation/abc/def"),
    ("GET", f"/applications/{ORG}/view"),
    ("GET", "/groups/list"),
    ("POST", "/query/execute"),
    ("GET", "/datasources/jsDatasourcePlugins"),
    ("GET", "/materials/some/file"),
    ("GET", "/misc/github-star"),
    ("GET", "/docs/index.html"),
]


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize(
    ("method", "path"),
    [(method, prefix + path) for method, path in PUBLIC_UNDER_BOTH_PREFIXES for prefix in ("/api", "/api/v1")]
    + [("POST", "/api/auth/form/login"), ("POST", "/api/auth/logout")],
)
async def test_public_routes_need_no_credentials(make_fake: Any, version: str, method: str, path: str) -> None:
    """Security lets an anonymous caller through to routing (whatever the route then answers)."""
    r = await make_fake(version)
    resp = await r.client.request(method, path, json={})
    assert resp.status != 401
    (call,) = r.fake.journal.calls()
    assert call.status == resp.status
