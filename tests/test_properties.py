"""Property-based bad input: whatever arrives, the fake answers as Lowcoder would
(or 400 for the control API), records the call once, and keeps serving."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from lowcoder_fake import FakeServer  # noqa: E402

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ORG = "62edc503a5aec7978306d03b"
COOKIE = "LOWCODER_CE_SELFHOST_TOKEN"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
update_fields = st.sampled_from(["orgName", "contactName", "contactEmail", "contactPhoneNumber", "id", "state", "x"])


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    with FakeServer() as running:
        yield running


def _call(
    server: FakeServer, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _lowcoder_shaped(status: int, body: bytes) -> dict[str, Any] | None:
    """The answer is empty or Lowcoder's JSON shape; returns the JSON (None when empty)."""
    if not body:
        return None
    answer = json.loads(body)
    assert set(answer) <= {"code", "message", "data", "success"}, answer
    assert isinstance(answer["code"], int) and isinstance(answer["success"], bool)
    assert answer["success"] == (answer["code"] == 1)
    return dict(answer)


def _admin_headers(server: FakeServer) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "Cookie": f"{COOKIE}={server.fake.open_session(email='admin@example.com')}",
    }


@SETTINGS
@given(body=st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_any_update_body_gets_lowcoders_answer_and_one_record(server: FakeServer, body: bytes) -> None:
    recorded = len(server.fake.journal)
    status, raw = _call(server, "PUT", f"/api/organizations/{ORG}/update", body, _admin_headers(server))
    answer = _lowcoder_shaped(status, raw)
    assert answer is not None
    assert (status, answer["code"]) in {(200, 1), (500, 5000), (500, 5002)}
    assert len(server.fake.journal) == recorded + 1


@SETTINGS
@given(
    fields=st.dictionaries(update_fields, st.none() | st.text(max_size=40) | st.integers() | st.booleans(), max_size=5)
)
def test_an_object_of_scalars_always_updates(server: FakeServer, fields: dict[str, Any]) -> None:
    before = server.fake.store.org(ORG)
    status, raw = _call(
        server, "PUT", f"/api/organizations/{ORG}/update", json.dumps(fields).encode(), _admin_headers(server)
    )
    after = server.fake.store.org(ORG)
    assert before is not None and after is not None
    assert (status, raw) == (200, b'{"code":1,"message":"","data":true,"success":true}')
    name = fields.get("orgName")
    expected = before.name if name is None else ("true" if name is True else "false" if name is False else str(name))
    assert after.name == expected


header_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-ABCXYZ0123456789", min_size=1, max_size=20)
header_values = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=200)


@SETTINGS
@given(headers=st.dictionaries(header_names, header_values, max_size=8))
def test_any_headers_are_survived(server: FakeServer, headers: dict[str, str]) -> None:
    headers = {
        name: value
        for name, value in headers.items()
        if name.lower() not in ("content-length", "transfer-encoding", "host", "expect", "connection")
    }
    recorded = len(server.fake.journal)
    status, raw = _call(server, "GET", "/api/users/me", b"", headers)
    assert status in (200, 400) and (status == 200 or raw == b"")
    _lowcoder_shaped(status, raw)
    assert len(server.fake.journal) == recorded + 1


path_segments = st.lists(
    st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="/?#%"), min_size=1, max_size=12
    ),
    max_size=6,
)


@SETTINGS
@given(segments=path_segments, prefix=st.sampled_from(["", "/api", "/api/v1", "/api/organizations"]),
       method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]))  # fmt: skip
def test_any_path_and_method_get_lowcoders_answer(
    server: FakeServer, segments: list[str], prefix: str, method: str
) -> None:
    path = prefix + "/" + "/".join(segments)
    if path.startswith("/__fake__"):
        return
    recorded = len(server.fake.journal)
    status, raw = _call(
        server, method, path, b"", {"Cookie": f"{COOKIE}={server.fake.open_session(email='member@example.com')}"}
    )
    assert status in (200, 400, 401, 404, 500, 503)
    _lowcoder_shaped(status, raw)
    assert len(server.fake.journal) == recorded + 1


@SETTINGS
@given(path=st.sampled_from(["/__fake__/orgs", "/__fake__/users", "/__fake__/sessions", "/__fake__/faults",
                             "/__fake__/api-keys", f"/__fake__/orgs/{ORG}/members"]),
       body=json_values)  # fmt: skip
def test_any_control_body_is_created_or_refused_with_a_400_naming_the_field(
    server: FakeServer, path: str, body: Any
) -> None:
    orgs, users, rules = server.fake.store.orgs(), server.fake.store.users(), server.fake.faults.rules()
    status, raw = _call(server, "POST", path, json.dumps(body).encode(), {"Content-Type": "application/json"})
    answer = json.loads(raw)
    assert status in (201, 400, 404), answer
    if status != 201:
        assert isinstance(answer["error"], str) and answer["error"]
        assert (server.fake.store.orgs(), server.fake.store.users(), server.fake.faults.rules()) == (orgs, users, rules)
    server.fake.faults.clear()


def test_the_fake_still_serves_after_all_that(server: FakeServer) -> None:
    assert _call(server, "GET", "/__fake__/health")[0] == 200
    seqs = [call.seq for call in server.fake.journal.calls()]
    assert seqs == list(range(1, len(seqs) + 1))
