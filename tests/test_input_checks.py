"""Bad input that once got a 500, a traceback or an unusable setting instead of a clear refusal."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from lowcoder_http import login_body, send_raw

from lowcoder_fake import FakeConfig, FakeError, FakeServer
from lowcoder_fake.cli import main
from lowcoder_fake.fake import LowcoderFake
from lowcoder_fake.journal import MAX_LIMIT, Journal


@pytest.mark.parametrize("name", ["since", "limit"])
@pytest.mark.parametrize("value", ["%C2%B2", "%D9%A3", "-1", "1.5"])  # "²", an Arabic-Indic 3
async def test_call_filters_take_ascii_whole_numbers_only(make_fake: Any, name: str, value: str) -> None:
    r = await make_fake("2.7.6")
    resp = await r.client.get(f"/__fake__/calls?{name}={value}")
    assert resp.status == 400
    assert (await resp.json())["field"] == name


async def test_a_control_token_check_survives_bytes_that_are_not_utf8() -> None:
    async with FakeServer(FakeConfig(control_token="t0ken")) as server:
        answer = await send_raw(
            server,
            b"GET /__fake__/health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe\r\nConnection: close\r\n\r\n",
        )
        assert answer.status == 401
        good = await send_raw(
            server,
            b"GET /__fake__/health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t0ken\r\nConnection: close\r\n\r\n",
        )
        assert good.status == 200


async def test_a_status_rule_body_that_is_not_utf8_text_is_refused(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    rule = '{"match":{"operation":"updateOrganization"},"effect":"status","status":200,"body":"\\ud800"}'
    resp = await r.client.post("/__fake__/faults", data=rule, headers={"Content-Type": "application/json"})
    assert resp.status == 400
    assert (await resp.json())["field"] == "body"
    assert r.fake.faults.rules() == []


@pytest.mark.parametrize("limit", [MAX_LIMIT + 1, 10**20])
def test_a_journal_limit_beyond_the_maximum_is_refused_by_name(limit: int) -> None:
    with pytest.raises(FakeError, match=str(limit)):
        Journal(limit)
    with pytest.raises(FakeError, match=str(limit)):
        LowcoderFake(FakeConfig(journal_limit=limit))


def test_the_cli_refuses_a_huge_journal_limit_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--journal-limit", "99999999999999999999"]) == 2
    assert "99999999999999999999" in capsys.readouterr().err


def test_the_cli_refuses_a_control_token_together_with_no_control(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--no-control", "--control-token", "x"])
    assert exit_.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


@pytest.mark.parametrize("token", ["", "   "])
def test_a_blank_control_token_is_refused_in_python_too(token: str) -> None:
    with pytest.raises(FakeError, match="control token"):
        LowcoderFake(FakeConfig(control_token=token))


@pytest.mark.parametrize(
    ("version", "status"), [("2.1.6", 404), ("2.7.6", 500)]
)  # an unknown route: Spring's 404 before 2.4.0, 500/5000 from then on
@pytest.mark.parametrize("request_line", [b"CONNECT host:443", b"CONNECT /api/configs", b"GET http://localhost:80"])
async def test_a_target_without_a_path_is_answered_and_recorded(version: str, status: int, request_line: bytes) -> None:
    async with FakeServer(FakeConfig(lowcoder_version=version)) as server:
        answer = await send_raw(server, request_line + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert answer.status == status
        assert answer.header("Content-Type") == "application/json"
        [call] = server.fake.journal.calls()
        assert (call.method, call.status, call.operation) == (request_line.split()[0].decode(), status, None)


async def _until_a_call_waits_for_its_body() -> None:
    """Until the server (on this loop) runs a call's pipeline, which then awaits the body."""

    def awaits_in_pipeline(task: asyncio.Task[Any]) -> bool:
        awaited: Any = task.get_coro()
        while awaited is not None:  # down the chain of coroutines the task is suspended in
            if getattr(getattr(awaited, "cr_code", None), "co_name", None) == "_serve_and_record":
                return True
            awaited = getattr(awaited, "cr_await", None)
        return False

    def serving() -> bool:
        return any(awaits_in_pipeline(task) for task in asyncio.all_tasks())

    async with asyncio.timeout(10):
        while not serving():
            await asyncio.sleep(0.01)


async def test_a_call_whose_body_arrives_after_a_reset_changes_nothing_and_is_not_recorded() -> None:
    body = json.dumps(login_body("late@example.com", "Late-Password-1", register="true")).encode()
    async with FakeServer(FakeConfig(lowcoder_version="2.1.6")) as server:
        reader, writer = await asyncio.open_connection(server.host, server.port)
        writer.write(
            b"POST /api/auth/form/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)
        )
        await writer.drain()
        await _until_a_call_waits_for_its_body()
        server.fake.reset()
        writer.write(body)
        await writer.drain()
        assert await asyncio.wait_for(reader.read(), 10) == b""  # dropped: no answer
        writer.close()
        assert server.fake.journal.calls() == ()
        assert all(user.email != "late@example.com" for user in server.fake.store.users())
