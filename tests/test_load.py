"""Load with faults, disconnects and slow clients: every call journaled once, no gaps, still serving.

Bounded in size and time; loopback only.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator

import aiohttp
import pytest

from lowcoder_fake import FakeServer

ORG = "62edc503a5aec7978306d03b"
CALLS = 2000
CONNECTIONS = 50


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as running:
        yield running


def _request_ids(server: FakeServer) -> Counter[str]:
    return Counter(call.headers.get("X-Request-Id", "") for call in server.fake.journal.calls())


async def _hammer(server: FakeServer, cookie: str) -> dict[str, int | None]:
    """CALLS updates over CONNECTIONS connections; the status each client saw (None: no answer)."""
    seen: dict[str, int | None] = {}
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:

        async def one(index: int) -> None:
            request_id = f"r{index}"
            try:
                async with session.put(
                    f"{server.url}/api/organizations/{ORG}/update",
                    json={"orgName": f"Load {index}"},
                    headers={"Cookie": cookie, "X-Request-Id": request_id},
                ) as response:
                    await response.read()
                    seen[request_id] = response.status
            except aiohttp.ClientError:
                seen[request_id] = None

        await asyncio.gather(*(one(index) for index in range(CALLS)))
    return seen


def test_thousands_of_calls_with_faults_are_each_journaled_once(server: FakeServer) -> None:
    fake = server.fake
    cookie = f"LOWCODER_CE_SELFHOST_TOKEN={fake.open_session(email='admin@example.com')}"
    errors = fake.faults.add(effect="error", error="REQUEST_THROTTLED", probability=0.05, seed=1)
    resets = fake.faults.add(effect="reset", probability=0.03, seed=2)
    closes = fake.faults.add(effect="close", probability=0.03, seed=3)
    lost_replies = fake.faults.add(effect="error", error="INTERNAL_SERVER_ERROR", phase="after", times=25)
    for index in range(16):
        fake.faults.add(match={"operation": "updateOrganization", "orgId": f"never-{index}"}, effect="malformed")

    seen = asyncio.run(_hammer(server, cookie))

    calls = fake.journal.calls()
    assert [call.seq for call in calls] == list(range(1, len(calls) + 1))
    # aiohttp re-sends a PUT whose connection a reset or close fault broke: the server rightly sees
    # such a call twice, once unanswered. Every answer the clients got is journaled exactly once.
    answered = Counter(call.headers["X-Request-Id"] for call in calls if call.status is not None)
    assert set(answered) == {request_id for request_id, status in seen.items() if status is not None}
    assert max(answered.values()) == 1  # no request answered twice
    assert set(_request_ids(server)) == set(seen)
    for call in calls:  # the journal says what each client got
        if call.status is not None:
            assert call.status == seen[call.headers["X-Request-Id"]]
        else:
            assert call.fault in (resets.id, closes.id)
    fired = sum(rule.fired for rule in (errors, resets, closes, lost_replies))
    assert fired == sum(1 for call in calls if call.fault) > 50
    assert Counter(seen.values())[429] == errors.fired
    # and it still serves
    assert fake.journal.dropped == 0
    with socket.create_connection((server.host, server.port), timeout=5) as connection:
        connection.sendall(b"GET /api/users/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert connection.recv(100).startswith(b"HTTP/1.1 200")


def _disconnect_mid_request(server: FakeServer, cookie: str, request_id: str) -> None:
    with socket.create_connection((server.host, server.port), timeout=5) as connection:
        connection.sendall(
            f"PUT /api/organizations/{ORG}/update HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n"
            f"X-Request-Id: {request_id}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
            '{"orgName":'.encode()
        )


def _slow_client(server: FakeServer, cookie: str, request_id: str, results: dict[str, bytes]) -> None:
    body = b'{"orgName":"Slowly"}'
    with socket.create_connection((server.host, server.port), timeout=10) as connection:
        connection.sendall(
            f"PUT /api/organizations/{ORG}/update HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n"
            f"X-Request-Id: {request_id}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        )
        for byte in body:
            connection.sendall(bytes([byte]))
            time.sleep(0.01)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    results[request_id] = received


def test_disconnecting_and_slow_clients_are_journaled_once(server: FakeServer) -> None:
    fake = server.fake
    cookie = f"LOWCODER_CE_SELFHOST_TOKEN={fake.open_session(email='admin@example.com')}"
    results: dict[str, bytes] = {}
    threads = [
        threading.Thread(target=_disconnect_mid_request, args=(server, cookie, f"gone{index}")) for index in range(20)
    ] + [threading.Thread(target=_slow_client, args=(server, cookie, f"slow{index}", results)) for index in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    deadline = time.monotonic() + 10
    while len(fake.journal) < 30 and time.monotonic() < deadline:
        time.sleep(0.02)
    journaled = _request_ids(server)
    assert journaled == Counter({f"gone{i}": 1 for i in range(20)} | {f"slow{i}": 1 for i in range(10)})
    assert all(b" 200 OK" in reply and reply.endswith(b'"success":true}') for reply in results.values())
    assert len(results) == 10
    calls = fake.journal.calls()
    assert [call.seq for call in calls] == list(range(1, 31))
    gone = [call for call in calls if call.headers["X-Request-Id"].startswith("gone")]
    assert all(call.status == 500 and call.response["code"] == 5000 for call in gone)  # the cut body fails decoding
    assert fake.store.org(ORG).name == "Slowly"  # type: ignore[union-attr]
