"""FakeServer: on the caller's loop or in a thread; a boring lifecycle."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from lowcoder_fake import FakeConfig, FakeError, FakeServer


def test_thread_mode_serves_sync_clients() -> None:
    with FakeServer(FakeConfig(lowcoder_version="2.7.6")) as server:
        assert server.url.startswith("http://127.0.0.1:") and not server.url.endswith("/")
        with urllib.request.urlopen(server.url + "/__fake__/health", timeout=10) as response:
            assert json.loads(response.read())["lowcoderVersion"] == "2.7.6"
        with urllib.request.urlopen(server.url + "/api/users/me", timeout=10) as response:
            assert response.status == 200
        assert [call.operation for call in server.fake.journal.calls()] == ["getUserProfile"]
    assert not server.running


async def test_async_mode_runs_on_the_callers_loop() -> None:
    import aiohttp

    async with (
        FakeServer() as server,
        aiohttp.ClientSession() as session,
        session.get(server.url + "/api/configs") as response,
    ):
        assert response.status == 200
    assert not server.running


async def test_starting_twice_is_a_clear_error() -> None:
    async with FakeServer() as server:
        with pytest.raises(FakeError, match="running already"):
            await server.start()


def test_url_before_start_is_a_clear_error() -> None:
    with pytest.raises(FakeError, match="not running"):
        _ = FakeServer().url


def test_thread_mode_reports_a_taken_port() -> None:
    with FakeServer() as first, pytest.raises(FakeError, match="taken"):
        FakeServer(port=first.port).start_in_thread()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "example.com"])
def test_binding_beyond_loopback_needs_a_control_token(host: str) -> None:
    with pytest.raises(FakeError, match="control token"):
        FakeServer(host=host)
    FakeServer(FakeConfig(control_token="t"), host=host)  # accepted (not started)
    FakeServer(FakeConfig(control=False), host=host)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "localhost"])
def test_loopback_needs_no_token(host: str) -> None:
    FakeServer(host=host)


def test_stopping_ends_calls_held_by_a_rule() -> None:
    import socket

    server = FakeServer()
    server.start_in_thread()
    rule = server.fake.faults.add(effect="hang")
    connection = socket.create_connection((server.host, server.port), timeout=10)
    connection.sendall(b"GET /api/users/me HTTP/1.1\r\nHost: x\r\n\r\n")
    while rule.fired == 0:  # held now
        time.sleep(0.01)
    server.stop_thread()
    assert connection.recv(100) == b""  # dropped, not answered
    connection.close()
