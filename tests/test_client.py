"""FakeClient: the fixture's API over the control endpoint, against a fake on a real socket."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from lowcoder_fake import CallAssertionError, FakeClient, FakeConfig, FakeError, FakeServer, InvalidInput, Session
from lowcoder_fake.calls import Call, CallFilter
from lowcoder_fake.running import RunningFake


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    with FakeServer() as running:
        yield running


@pytest.fixture
def local(server: FakeServer) -> RunningFake:
    server.fake.reset()
    return RunningFake(server)


@pytest.fixture
def client(local: RunningFake) -> FakeClient:
    return FakeClient(local.url + "/")


def _send(url: str, method: str = "GET", body: Any = None, session: Session | None = None) -> int:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=session.headers if session else {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        status: int = response.status
        return status


def _rename(client: FakeClient, org_id: str, name: str, session: Session) -> int:
    return _send(f"{client.url}/api/organizations/{org_id}/update", "PUT", {"orgName": name}, session)


def test_url_has_no_trailing_slash_and_health_answers(client: FakeClient, local: RunningFake) -> None:
    assert client.url == local.url and repr(client) == f"FakeClient({local.url!r})"
    assert client.health() == {"status": "ok", "lowcoderVersion": "2.1.6"}
    assert client.lowcoder_version == "2.1.6"
    client.wait_until_up(timeout=1)


def test_state_and_sessions(client: FakeClient, local: RunningFake) -> None:
    org = client.add_org("Acme", contactName="Ann")
    assert org["name"] == "Acme" and org["contactName"] == "Ann"
    user = client.add_user("ann@acme.test", "Pw-1", name="Ann", orgs={org["id"]: "admin"})
    assert user["orgs"] == {org["id"]: "admin"} and user["currentOrgId"] == org["id"] and "password" not in user
    assert client.org(org["id"]) == org == local.org(org["id"])
    assert client.user(user["id"]) == user == local.user(user["id"])
    assert client.org("0" * 24) is None and client.user("0" * 24) is None
    assert client.orgs() == local.orgs() and client.users() == local.users()
    session = client.sign_in("ann@acme.test")
    assert session.cookie_name == "LOWCODER_CE_SELFHOST_TOKEN" and session.cookies == {
        session.cookie_name: session.token
    }
    assert _send(client.url + "/api/users/me", session=session) == 200
    assert local.journal.calls()[0].user_id == user["id"]
    assert client.sign_in(user_id=user["id"]).token != session.token


def _roles(client: FakeClient, user_id: str) -> Any:
    user = client.user(user_id)
    return user and user["orgs"]


def test_given_admin_makes_an_org_an_admin_and_a_session(client: FakeClient) -> None:
    admin = client.given_admin(org_name="Acme")
    assert client.orgs()[-1] == client.org(admin.org_id) and client.orgs()[-1]["name"] == "Acme"
    assert _roles(client, admin.user_id) == {admin.org_id: "admin"}
    assert admin.email == f"admin-{admin.org_id[-8:]}@example.com" and "password" not in repr(admin)
    assert _rename(client, admin.org_id, "Acme Inc", admin.session) == 200
    member = client.given_user(role="member", org_id=admin.org_id)
    again = client.given_user(role="member", org_id=admin.org_id)
    assert member.email != again.email and again.email.endswith("-2@example.com")
    assert _roles(client, member.user_id) == {admin.org_id: "member"}


def test_refusals_are_lowcoder_fake_errors_naming_the_field(client: FakeClient) -> None:
    with pytest.raises(InvalidInput) as refused:
        client.add_user("x@y.z", orgs={"62edc503a5aec7978306d03b": "owner"})
    assert refused.value.field == "orgs.62edc503a5aec7978306d03b"
    assert refused.value.problem.startswith("role 'owner' is not one of")
    with pytest.raises(InvalidInput, match="exactly one"):
        client.sign_in()
    with pytest.raises(InvalidInput, match=r"^lowcoder-fake: effect: "):
        client.faults.add(effect="explode")


def test_a_control_token_is_sent_when_given() -> None:
    if "control_token" not in FakeConfig.__dataclass_fields__:
        pytest.skip("this fake has no control token yet")
    with FakeServer(FakeConfig(control_token="s3cret")) as server:
        assert FakeClient(server.url, control_token="s3cret").health()["status"] == "ok"
        with pytest.raises(FakeError, match=r"^lowcoder-fake: control calls need the header .* \(HTTP 401 to GET "):
            FakeClient(server.url).health()


def test_an_unreachable_fake_is_a_clear_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = FakeClient(f"http://127.0.0.1:{port}", timeout=1)
    with pytest.raises(FakeError, match=f"cannot reach the fake at http://127.0.0.1:{port}"):
        client.health()
    with pytest.raises(FakeError, match="cannot reach"):
        client.wait_until_up(timeout=0.1)


def test_journal_calls_are_the_same_records(client: FakeClient, local: RunningFake) -> None:
    admin = client.given_admin()
    _rename(client, admin.org_id, "Acme Inc", admin.session)
    _send(client.url + "/api/users/me?x=1&x=2", session=admin.session)
    remote, here = client.journal.calls(), local.journal.calls()
    assert len(client.journal) == 2
    for theirs, ours in zip(remote, here, strict=True):
        assert abs((theirs.time - ours.time).total_seconds()) < 0.001
        assert theirs == replace(ours, time=theirs.time)
    assert client.journal.calls(CallFilter(operation="getUserProfile"))[0].query == {"x": ["1", "2"]}
    assert Call.from_json(here[0].to_json()) == replace(here[0], time=remote[0].time)


def test_assertions_fail_with_the_same_message_as_in_process(client: FakeClient, local: RunningFake) -> None:
    admin = client.given_admin()
    _rename(client, admin.org_id, "Acme Inc", admin.session)
    client.journal.assert_called("updateOrganization", times=1, org_id=admin.org_id, body={"orgName": "Acme Inc"})
    client.journal.assert_not_called("deleteOrganization")
    failures = []
    for journal in (client.journal, local.journal):
        with pytest.raises(CallAssertionError) as failure:
            journal.assert_called("updateOrganization", org_id=admin.org_id, body={"orgName": "Acme"})
        failures.append(str(failure.value))
    assert failures[0] == failures[1]
    assert "body.orgName: expected 'Acme', got 'Acme Inc'" in failures[0]
    client.journal.clear()
    assert local.journal.calls() == ()


def test_wait_for_polls_over_http(client: FakeClient) -> None:
    admin = client.given_admin()
    thread = threading.Timer(0.1, _rename, (client, admin.org_id, "Later", admin.session))
    thread.start()
    started = time.monotonic()
    [call] = client.journal.wait_for("updateOrganization", timeout=5)
    thread.join()
    assert call.body == {"orgName": "Later"} and time.monotonic() - started < 2
    with pytest.raises(CallAssertionError, match=r"waited 0\.05 s for 2 calls of updateOrganization; got 1"):
        client.journal.wait_for("updateOrganization", 2, timeout=0.05)


async def test_wait_for_async_over_http(client: FakeClient) -> None:
    admin = client.given_admin()
    thread = threading.Timer(0.1, _rename, (client, admin.org_id, "Later", admin.session))
    thread.start()
    found = await client.journal.wait_for_async("updateOrganization", org_id=admin.org_id, timeout=5)
    await asyncio.to_thread(thread.join)
    assert len(found) == 1


def test_faults(client: FakeClient, local: RunningFake) -> None:
    admin = client.given_admin()
    rule = client.faults.add(
        match={"operation": "updateOrganization"}, effect="error", error="SERVER_NOT_READY", times=1
    )
    delay = client.faults.add({"match": {"operation": "getUserProfile"}, "effect": "delay"}, delay_ms=1)
    assert rule["id"] == "fault-1" and rule["fired"] == 0 and delay["delayMs"] == 1
    assert [held.id for held in local.faults.rules()] == ["fault-1", "fault-2"]
    with pytest.raises(urllib.error.HTTPError):
        _rename(client, admin.org_id, "Acme Inc", admin.session)
    assert client.faults.get("fault-1") == {**rule, "fired": 1}
    assert client.journal.assert_called("updateOrganization", status=503)[0].fault == "fault-1"
    assert client.faults.release("fault-2") and not client.faults.release("fault-9")
    assert client.faults.remove("fault-1") and not client.faults.remove("fault-1")
    assert [held["id"] for held in client.faults.rules()] == ["fault-2"]
    client.faults.clear()
    assert client.faults.rules() == [] and client.faults.get("fault-2") is None


def test_reset(client: FakeClient, local: RunningFake) -> None:
    before = client.orgs()
    client.given_admin()
    client.faults.add(effect="malformed")
    client.reset()
    assert client.orgs() == before and client.faults.rules() == [] and len(local.journal) == 0
