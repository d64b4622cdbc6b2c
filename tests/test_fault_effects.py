"""Fault rules on live calls: each effect, both phases, the control routes, the journal."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import aiohttp
import pytest
from support import ADMIN, MakeFake, Running

SERVER_NOT_READY = '{"code":5010,"message":"Sorry, server is not ready yet.","success":false}'
NOT_AUTHORIZED = '{"code":5001,"message":"Sorry, it appears you don\'t have the permission.","success":false}'
OK = '{"code":1,"message":"","data":true,"success":true}'


async def _add_rule(running: Running, rule: dict[str, Any]) -> dict[str, Any]:
    response = await running.client.post("/__fake__/faults", json=rule)
    assert response.status == 201, await response.text()
    created: dict[str, Any] = await response.json()
    return created


async def _rename(running: Running, name: str) -> aiohttp.ClientResponse:
    return await running.client.put(
        f"/api/organizations/{running.first_org_id}/update",
        json={"orgName": name},
        headers=running.session_headers(ADMIN["email"]),
    )


def _org_name(running: Running) -> str | None:
    org = running.fake.store.org(running.first_org_id)
    assert org is not None
    return org.name


async def test_server_not_ready_twice_then_served(make_fake: MakeFake) -> None:
    running = await make_fake()
    rule = await _add_rule(
        running,
        {"match": {"operation": "updateOrganization"}, "effect": "error", "error": "SERVER_NOT_READY", "times": 2},
    )
    answers = []
    for name in ("First", "Second", "Third"):
        response = await _rename(running, name)
        answers.append((response.status, await response.text()))
    assert answers == [(503, SERVER_NOT_READY), (503, SERVER_NOT_READY), (200, OK)]
    assert _org_name(running) == "Third"
    calls = running.fake.journal.calls()
    assert [call.fault for call in calls] == [rule["id"], rule["id"], None]
    assert [call.status for call in calls] == [503, 503, 200]
    listed = await (await running.client.get("/__fake__/faults")).json()
    assert listed["faults"][0]["fired"] == 2


@pytest.mark.parametrize(("version", "status"), [("2.1.6", 500), ("2.7.6", 401)])
async def test_error_status_follows_the_version(make_fake: MakeFake, version: str, status: int) -> None:
    running = await make_fake(version)
    await _add_rule(running, {"effect": "error", "error": "NOT_AUTHORIZED"})
    response = await running.client.get("/api/users/me")
    assert (response.status, await response.text()) == (status, NOT_AUTHORIZED)


async def test_times_is_exact_under_50_concurrent_calls(make_fake: MakeFake) -> None:
    running = await make_fake()
    await _add_rule(
        running,
        {"match": {"operation": "updateOrganization"}, "effect": "error", "error": "REQUEST_THROTTLED", "times": 3},
    )
    responses = await asyncio.gather(*(_rename(running, f"n{i}") for i in range(50)))
    statuses = [response.status for response in responses]
    assert statuses.count(429) == 3 and statuses.count(200) == 47
    assert sum(1 for call in running.fake.journal.calls() if call.fault) == 3


async def test_phase_after_applies_the_call_then_fails_the_reply(make_fake: MakeFake) -> None:
    running = await make_fake()
    await _add_rule(
        running,
        {
            "match": {"operation": "updateOrganization"},
            "effect": "error",
            "error": "INTERNAL_SERVER_ERROR",
            "phase": "after",
        },
    )
    response = await _rename(running, "Applied anyway")
    assert response.status == 500
    assert (await response.json())["code"] == 5000
    assert _org_name(running) == "Applied anyway"


async def test_phase_before_changes_nothing(make_fake: MakeFake) -> None:
    running = await make_fake()
    before = _org_name(running)
    await _add_rule(running, {"effect": "error", "error": "INTERNAL_SERVER_ERROR"})
    assert (await _rename(running, "Never")).status == 500
    assert _org_name(running) == before


async def test_status_effect_sends_any_answer(make_fake: MakeFake) -> None:
    running = await make_fake()
    await _add_rule(
        running,
        {
            "effect": "status",
            "status": 502,
            "body": "<html>Bad Gateway</html>",
            "headers": {"Content-Type": "text/html"},
        },
    )
    response = await _rename(running, "x")
    assert response.status == 502
    assert response.headers["Content-Type"] == "text/html"
    assert await response.text() == "<html>Bad Gateway</html>"
    [call] = running.fake.journal.calls()
    assert call.response == "<html>Bad Gateway</html>" and call.status == 502


async def test_status_effect_with_json_body_and_without_body(make_fake: MakeFake) -> None:
    running = await make_fake()
    rule = await _add_rule(running, {"effect": "status", "status": 418, "body": {"teapot": True}, "times": 1})
    await _add_rule(running, {"effect": "status", "status": 204})
    first = await running.client.get("/api/users/me")
    assert (first.status, await first.json()) == (418, {"teapot": True})
    second = await running.client.get("/api/users/me")
    assert (second.status, await second.read()) == (204, b"")
    assert running.fake.journal.calls()[0].fault == rule["id"]


async def test_malformed_answers_200_with_broken_json(make_fake: MakeFake) -> None:
    running = await make_fake()
    await _add_rule(running, {"effect": "malformed"})
    response = await _rename(running, "x")
    assert response.status == 200
    with pytest.raises(ValueError):
        await response.json()
    [call] = running.fake.journal.calls()
    assert isinstance(call.response, str) and call.status == 200


async def test_delay_waits_then_answers_normally(make_fake: MakeFake) -> None:
    running = await make_fake()
    await _add_rule(running, {"effect": "delay", "delayMs": 200})
    started = time.monotonic()
    response = await _rename(running, "Late")
    assert (response.status, await response.text()) == (200, OK)
    assert time.monotonic() - started >= 0.2
    assert _org_name(running) == "Late"


async def test_delay_ms_before_another_effect(make_fake: MakeFake) -> None:
    running = await make_fake()
    await _add_rule(running, {"effect": "error", "error": "SERVER_NOT_READY", "delayMs": 150})
    started = time.monotonic()
    response = await running.client.get("/api/users/me")
    assert response.status == 503 and time.monotonic() - started >= 0.15


async def test_a_delayed_call_does_not_hold_up_others(make_fake: MakeFake) -> None:
    running = await make_fake()
    await _add_rule(running, {"match": {"operation": "updateOrganization"}, "effect": "delay", "delayMs": 5000})
    slow = asyncio.ensure_future(_rename(running, "slow"))
    await asyncio.sleep(0.05)
    fast = await running.client.get("/api/users/me")
    assert fast.status == 200 and not slow.done()
    slow.cancel()


async def test_hang_holds_until_released_without_blocking_others(make_fake: MakeFake) -> None:
    running = await make_fake()
    rule = await _add_rule(running, {"match": {"operation": "updateOrganization"}, "effect": "hang"})
    held = asyncio.ensure_future(_rename(running, "Released"))
    await asyncio.sleep(0.1)
    assert not held.done()
    assert (await running.client.get("/api/users/me")).status == 200
    assert _org_name(running) != "Released"
    release = await running.client.post(f"/__fake__/faults/{rule['id']}/release")
    assert release.status == 200
    response = await asyncio.wait_for(held, 5)
    assert (response.status, await response.text()) == (200, OK)
    assert _org_name(running) == "Released"


async def test_hang_ends_when_the_client_leaves(make_fake: MakeFake) -> None:
    running = await make_fake()
    rule = running.fake.faults.add(effect="hang")
    server = running.client.server
    connection = socket.create_connection((str(server.host), int(server.port or 0)), timeout=5)
    connection.sendall(b"GET /api/users/me HTTP/1.1\r\nHost: x\r\n\r\n")
    await asyncio.sleep(0.1)
    assert running.fake.journal.calls() == ()
    connection.close()
    for _ in range(250):
        if running.fake.journal.calls():
            break
        await asyncio.sleep(0.02)
    [call] = running.fake.journal.calls()
    assert call.fault == rule.id and call.status is None


def _raw_request(host: str, port: int, path: str) -> bytes:
    with socket.create_connection((host, port), timeout=5) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        return connection.recv(65536)


@pytest.mark.parametrize("effect", ["reset", "close"])
async def test_reset_and_close_drop_the_connection(make_fake: MakeFake, effect: str) -> None:
    running = await make_fake()
    await _add_rule(running, {"effect": effect, "times": 1})
    server = running.client.server
    host, port = str(server.host), int(server.port or 0)
    if effect == "reset":
        with pytest.raises(ConnectionResetError):
            await asyncio.to_thread(_raw_request, host, port, "/api/users/me")
    else:
        assert await asyncio.to_thread(_raw_request, host, port, "/api/users/me") == b""
    # the next call is served normally
    assert (await running.client.get("/api/users/me")).status == 200
    first = running.fake.journal.calls()[0]
    assert first.status is None and first.response is None and first.fault is not None


async def test_reset_breaks_an_aiohttp_client(make_fake: MakeFake) -> None:
    running = await make_fake()
    running.fake.faults.add(effect="reset", times=1)
    with pytest.raises(aiohttp.ClientError):
        await _rename(running, "x")
    assert (await _rename(running, "y")).status == 200


async def test_fault_fires_before_the_credential_check(make_fake: MakeFake) -> None:
    running = await make_fake()
    running.fake.faults.add(effect="error", error="SERVER_NOT_READY")
    response = await running.client.put(f"/api/organizations/{running.first_org_id}/update", json={})
    assert response.status == 503


async def test_python_api_rule_counts_live(make_fake: MakeFake) -> None:
    running = await make_fake()
    rule = running.fake.faults.add(match={"path": "/api/users/*"}, effect="error", error="SERVER_NOT_READY", times=5)
    for _ in range(2):
        await running.client.get("/api/users/me")
    await running.client.get("/api/configs")
    assert rule.fired == 2
    listed = await (await running.client.get("/__fake__/faults")).json()
    assert listed["faults"] == [rule.to_json()]


async def test_control_routes_remove_and_clear(make_fake: MakeFake) -> None:
    running = await make_fake()
    first = await _add_rule(running, {"effect": "malformed"})
    await _add_rule(running, {"effect": "close"})
    assert (await running.client.delete(f"/__fake__/faults/{first['id']}")).status == 200
    assert (await running.client.delete(f"/__fake__/faults/{first['id']}")).status == 404
    assert (await running.client.post("/__fake__/faults/nope/release")).status == 404
    assert len((await (await running.client.get("/__fake__/faults")).json())["faults"]) == 1
    assert (await running.client.delete("/__fake__/faults")).status == 200
    assert (await (await running.client.get("/__fake__/faults")).json()) == {"faults": []}


async def test_reset_empties_rules(make_fake: MakeFake) -> None:
    running = await make_fake()
    await _add_rule(running, {"effect": "malformed"})
    await running.client.post("/__fake__/reset")
    assert running.fake.faults.rules() == []
    assert (await running.client.get("/api/users/me")).status == 200


async def test_same_seed_gives_the_same_pattern_after_a_reset(make_fake: MakeFake) -> None:
    running = await make_fake()
    rule = {"effect": "error", "error": "SERVER_NOT_READY", "probability": 0.5, "seed": 11}

    async def pattern() -> list[int]:
        await _add_rule(running, rule)
        return [(await running.client.get("/api/users/me")).status for _ in range(20)]

    first = await pattern()
    await running.client.post("/__fake__/reset")
    assert await pattern() == first
    assert 503 in first and 200 in first


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"effect": "boom"}, "effect"),
        ({"effect": "error", "error": "NOPE"}, "error"),
        ({"effect": "status"}, "status"),
        ({"effect": "close", "times": -1}, "times"),
        ({"effect": "close", "probability": 2}, "probability"),
        ({"effect": "close", "extra": 1}, "extra"),
        ([], "body"),
    ],
)
async def test_bad_rule_over_http_is_400_and_adds_nothing(make_fake: MakeFake, body: Any, field: str) -> None:
    running = await make_fake()
    response = await running.client.post("/__fake__/faults", json=body)
    assert response.status == 400
    problem = await response.json()
    assert problem["field"] == field and field in problem["error"]
    assert running.fake.faults.rules() == []


async def test_rule_that_is_not_json_is_400(make_fake: MakeFake) -> None:
    running = await make_fake()
    response = await running.client.post("/__fake__/faults", data=b"effect=close")
    assert response.status == 400 and (await response.json())["field"] == "body"


def test_hang_ends_when_the_client_leaves_a_standalone_server() -> None:
    from lowcoder_fake import FakeServer

    with FakeServer() as server:
        rule = server.fake.faults.add(effect="hang")
        connection = socket.create_connection((server.host, server.port), timeout=5)
        connection.sendall(b"GET /api/users/me HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.1)
        assert server.fake.journal.calls() == ()
        connection.close()
        deadline = time.monotonic() + 5
        while not server.fake.journal.calls() and time.monotonic() < deadline:
            time.sleep(0.02)
        [call] = server.fake.journal.calls()
        assert call.fault == rule.id and call.status is None


async def test_a_reset_drops_held_calls_instead_of_letting_them_through(make_fake: MakeFake) -> None:
    running = await make_fake()
    before = _org_name(running)
    running.fake.faults.add(match={"operation": "updateOrganization"}, effect="hang")
    held = asyncio.ensure_future(_rename(running, "LEAKED"))
    await asyncio.sleep(0.1)
    assert (await running.client.post("/__fake__/reset")).status == 200
    with pytest.raises(aiohttp.ClientError):
        await asyncio.wait_for(held, 5)
    assert _org_name(running) == before
    assert running.fake.journal.calls() == ()  # the held call belonged to the journal before the reset


async def test_a_reset_drops_delayed_calls_too(make_fake: MakeFake) -> None:
    running = await make_fake()
    before = _org_name(running)
    running.fake.faults.add(effect="delay", delayMs=300)
    delayed = asyncio.ensure_future(_rename(running, "LEAKED"))
    await asyncio.sleep(0.1)
    running.fake.reset()
    with pytest.raises(aiohttp.ClientError):
        await asyncio.wait_for(delayed, 5)
    assert _org_name(running) == before and running.fake.journal.calls() == ()


def test_a_client_that_gives_up_on_a_delay_is_recorded_as_unanswered() -> None:
    from lowcoder_fake import FakeServer

    with FakeServer() as server:
        server.fake.faults.add(effect="delay", delayMs=400)
        with socket.create_connection((server.host, server.port), timeout=5) as connection:
            connection.sendall(b"GET /api/configs HTTP/1.1\r\nHost: x\r\n\r\n")
            time.sleep(0.1)
        deadline = time.monotonic() + 5
        while not server.fake.journal.calls() and time.monotonic() < deadline:
            time.sleep(0.02)
        [call] = server.fake.journal.calls()
        assert call.status is None and call.response is None


async def test_an_error_rule_can_fill_in_the_reason(make_fake: MakeFake) -> None:
    running = await make_fake()
    await _add_rule(running, {"effect": "error", "error": "INVALID_PARAMETER", "reason": "orgName"})
    response = await running.client.get("/api/users/me")
    assert (await response.json())["message"] == "Sorry, an invalid parameter was passed, please check: orgName."


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"effect": "status", "status": 200, "headers": {"X": "a\r\nEvil: 1"}}, "headers.X"),
        ({"effect": "status", "status": 200, "headers": {"Bad Name": "x"}}, "headers.Bad Name"),
        (
            {"effect": "status", "status": 200, "headers": {"Content-Length": "5"}, "body": "0123456789"},
            "headers.Content-Length",
        ),
        ({"effect": "status", "status": 200, "headers": {"Transfer-Encoding": "chunked"}}, "headers.Transfer-Encoding"),
        ({"effect": "status", "status": 204, "body": {"a": 1}}, "body"),
        ({"effect": "status", "status": 101}, "status"),
        ({"effect": "malformed", "reason": "x"}, "reason"),
        ({"match": {"operation": "updateOrganisation"}, "effect": "reset"}, "match.operation"),
    ],
)
async def test_rules_that_would_break_the_answer_are_refused(
    make_fake: MakeFake, rule: dict[str, Any], field: str
) -> None:
    running = await make_fake()
    response = await running.client.post("/__fake__/faults", json=rule)
    assert response.status == 400
    problem = await response.json()
    assert problem["field"] == field
    assert running.fake.faults.rules() == []


async def test_an_unknown_operation_is_named_with_the_close_ones(make_fake: MakeFake) -> None:
    running = await make_fake()
    problem = await (await running.client.get("/__fake__/calls?operation=updateOrganisation")).json()
    assert problem["field"] == "operation" and "did you mean 'updateOrganization'" in problem["error"]
    from lowcoder_fake.errors import InvalidInput

    with pytest.raises(InvalidInput, match="did you mean 'updateOrganization'"):
        running.fake.journal.assert_not_called("updateOrganisation")


async def test_reset_restores_the_configured_workspace_mode(make_fake: MakeFake) -> None:
    running = await make_fake("2.1.6")
    await running.client.put("/__fake__/settings", json={"workspaceMode": "SAAS"})
    await running.client.post("/__fake__/reset")
    assert await (await running.client.get("/__fake__/settings")).json() == {"workspaceMode": "ENTERPRISE"}
