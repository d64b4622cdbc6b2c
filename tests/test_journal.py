"""The journal: numbering, snapshots, filters (no HTTP)."""

from __future__ import annotations

import dataclasses
import threading
from datetime import datetime, timezone
from typing import Any

import pytest

from lowcoder_fake.calls import Call, new_call
from lowcoder_fake.errors import InvalidInput
from lowcoder_fake.journal import CallFilter, Journal

_DEFAULTS: dict[str, Any] = {
    "operation": "updateOrganization", "method": "PUT", "path": "/api/organizations/a/update",
    "path_params": {"orgId": "a"}, "query": {}, "headers": {}, "body": None, "raw_body": "", "user_id": None,
    "status": 200, "response": None, "fault": None, "duration_ms": 0.1,
}  # fmt: skip


def _record(journal: Journal, **fields: Any) -> None:
    journal.record(**{**_DEFAULTS, **fields})


def test_seq_has_no_gaps_under_threads() -> None:
    journal = Journal()
    threads = [threading.Thread(target=lambda: [_record(journal) for _ in range(200)]) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [call.seq for call in journal.calls()] == list(range(1, 1601))


def test_readers_get_snapshots() -> None:
    journal = Journal()
    _record(journal)
    snapshot = journal.calls()
    _record(journal)
    assert len(snapshot) == 1 and len(journal.calls()) == 2


def test_filters_combine() -> None:
    journal = Journal()
    _record(journal)
    _record(journal, method="GET", path="/api/users/me", operation="getUserProfile", path_params={})
    _record(journal, path="/api/organizations/b/update", path_params={"orgId": "b"})
    assert [c.seq for c in journal.calls(CallFilter(operation="updateOrganization"))] == [1, 3]
    assert [c.seq for c in journal.calls(CallFilter(org_id="b"))] == [3]
    assert [c.seq for c in journal.calls(CallFilter(method="get"))] == [2]
    assert [c.seq for c in journal.calls(CallFilter(since=1, limit=1))] == [2]
    assert [c.seq for c in journal.calls(CallFilter(path="/api/organizations/*/update"))] == [1, 3]
    assert [c.seq for c in journal.calls(CallFilter(path="/api/**"))] == [1, 2, 3]


def test_to_json_has_the_contract_fields() -> None:
    journal = Journal()
    _record(journal)
    entry = journal.calls()[0].to_json()
    assert list(entry)[:15] == [
        "seq", "time", "operation", "method", "path", "pathParams", "query", "headers", "body", "rawBody",
        "userId", "status", "response", "fault", "durationMs",
    ]  # fmt: skip
    assert entry["time"].endswith("Z")


def test_a_full_journal_drops_the_oldest_and_counts_them() -> None:
    journal = Journal(limit=3)
    for _ in range(5):
        _record(journal)
    assert [call.seq for call in journal.calls()] == [3, 4, 5]
    assert journal.dropped == 2
    journal.clear()
    assert journal.dropped == 0 and journal.calls() == ()


def test_a_bad_limit_is_refused() -> None:
    import pytest

    from lowcoder_fake.errors import FakeError

    for limit in (0, -1, 1.5, True):
        with pytest.raises(FakeError, match="journal limit"):
            Journal(limit=limit)  # type: ignore[arg-type]


def test_new_call_builds_the_same_record_as_the_constructor() -> None:
    values = (7, datetime.now(timezone.utc), "updateOrganization", "PUT", "/p", {"orgId": "a"}, {}, {}, None, "",
              "u1", 200, {"code": 1}, None, 0.5, None, "broken")  # fmt: skip
    built = new_call(*values)
    assert built == Call(*values)
    assert built.protocol_error == "broken"
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.status = 500  # type: ignore[misc]
    with pytest.raises(ValueError):
        new_call(*values[:-1])


def test_records_are_built_when_first_read_and_stay_the_same_objects() -> None:
    journal = Journal(limit=3)
    for _ in range(5):
        _record(journal)
    first = journal.calls()
    assert [call.seq for call in first] == [3, 4, 5]
    assert all(isinstance(call, Call) for call in first)
    _record(journal)
    second = journal.calls()
    assert [call.seq for call in second] == [4, 5, 6]
    assert second[0] is first[1] and second[1] is first[2]  # built once, not again
    assert journal.dropped == 3


def test_record_gives_back_the_seq() -> None:
    journal = Journal()
    _record(journal)
    assert journal.record(**{**_DEFAULTS, "status": 500}) == 2
    assert journal.calls()[-1].status == 500


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"limit": -1}, "limit"),
        ({"since": -2}, "since"),
        ({"limit": True}, "limit"),
        ({"operation": "updateOrg"}, "updateOrganization"),
    ],
)
def test_a_call_filter_refuses_what_the_control_api_refuses(fields: dict[str, Any], named: str) -> None:
    with pytest.raises(InvalidInput, match=named):
        CallFilter(**fields)


def test_the_journal_limit_cannot_be_changed_after_the_fact() -> None:
    journal = Journal(limit=3)
    with pytest.raises(AttributeError):
        journal.limit = 5  # type: ignore[misc]
    assert journal.limit == 3
