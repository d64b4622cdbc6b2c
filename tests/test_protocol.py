"""Requests aiohttp cannot parse: Netty-style empty answers, recorded, no traceback."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest

from lowcoder_fake import FakeServer


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    with FakeServer() as running:
        yield running


def _exchange(server: FakeServer, data: bytes) -> bytes:
    with socket.create_connection((server.host, server.port), timeout=10) as connection:
        connection.sendall(data)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


def _status_and_body(reply: bytes) -> tuple[int, bytes]:
    head, _, body = reply.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"G\x00T / HTTP/1.1\r\n\r\n", 400),
        (b"GET /api/users/me HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400),
        (b"GET /api/users/me HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431),
        (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    ],
)
def test_unparseable_request_gets_an_empty_answer_and_is_recorded(
    server: FakeServer, request_bytes: bytes, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    server.fake.journal.clear()
    with caplog.at_level(logging.INFO):
        answered_status, body = _status_and_body(_exchange(server, request_bytes))
    assert (answered_status, body) == (status, b"")
    assert "Traceback" not in caplog.text
    [call] = server.fake.journal.calls()
    assert call.status == status and call.operation is None and call.protocol_error
    # and the fake goes on serving
    reply = _exchange(server, b"GET /api/users/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert _status_and_body(reply)[0] == 200


def test_a_header_within_netty_limits_is_served(server: FakeServer) -> None:
    reply = _exchange(
        server, b"GET /api/users/me HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 8000 + b"\r\nConnection: close\r\n\r\n"
    )
    assert _status_and_body(reply)[0] == 200


def test_a_broken_gzip_body_is_decoded_as_lowcoder_would(server: FakeServer) -> None:
    """Netty does not decompress request bodies: Jackson sees the raw bytes and fails (5002)."""
    server.fake.journal.clear()
    body = b"abcd"
    reply = _exchange(
        server,
        b"POST /api/auth/form/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Encoding: gzip\r\nContent-Length: 4\r\nConnection: close\r\n\r\n" + body,
    )
    status, answer = _status_and_body(reply)
    assert status == 500 and b'"code":5002' in answer
    [call] = server.fake.journal.calls()
    assert (call.method, call.path, call.operation) == ("POST", "/api/auth/form/login", "loginWithUserPassword")


def test_a_broken_gzip_body_to_the_control_api_is_a_400(server: FakeServer) -> None:
    reply = _exchange(
        server,
        b"POST /__fake__/orgs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Encoding: gzip\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd",
    )
    status, answer = _status_and_body(reply)
    assert status == 400 and b'"field":"body"' in answer


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/users/me", 200),
        ("/__fake__/health", 200),
        ("/nowhere", 404),
        ("/__fake__/nowhere", 404),
        ("/a%0Ab", 404),
    ],
)
def test_an_unknown_expectation_is_ignored(server: FakeServer, path: str, status: int) -> None:
    server.fake.journal.clear()
    reply = _exchange(server, f"GET {path} HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nConnection: close\r\n\r\n".encode())
    answered, answer = _status_and_body(reply)
    assert answered == status and answer.startswith(b"{")
    assert len(server.fake.journal.calls()) == (0 if path.startswith("/__fake__") else 1)


def test_expect_100_continue_is_honoured(server: FakeServer) -> None:
    with socket.create_connection((server.host, server.port), timeout=10) as connection:
        connection.sendall(
            b"POST /api/auth/logout HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
            b"Content-Length: 2\r\nConnection: close\r\n\r\n"
        )
        assert connection.recv(100).startswith(b"HTTP/1.1 100 Continue")
        connection.sendall(b"{}")
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    assert b" 200 OK" in received
