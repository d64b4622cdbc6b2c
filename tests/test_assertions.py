"""Recorded-call assertions, near misses, waiting, strict mode and masking (no HTTP)."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from typing import Any

import pytest

from lowcoder_fake import CallAssertionError, CallExpectation, FakeError, StrictModeError
from lowcoder_fake.assertions import body_differences, check_strict, strict_report
from lowcoder_fake.calls import Call
from lowcoder_fake.faults import is_subset
from lowcoder_fake.journal import CallFilter, Journal
from lowcoder_fake.reporting import call_line, describe_call, format_journal, masked, masked_headers

ORG = "62edc503a5aec7978306d03b"
OTHER_ORG = "630c6401a06d7a691f3c42b2"


def _record(journal: Journal, **fields: Any) -> Call:
    defaults: dict[str, Any] = {
        "operation": "updateOrganization", "method": "PUT", "path": f"/api/organizations/{ORG}/update",
        "path_params": {"orgId": ORG}, "query": {}, "headers": {}, "body": {"orgName": "Acme"}, "raw_body": "",
        "user_id": "u1", "status": 200, "response": {"code": 1, "success": True}, "fault": None, "duration_ms": 0.1,
    }  # fmt: skip
    seq = journal.record(**{**defaults, **fields})
    return journal.calls(CallFilter(since=seq - 1))[0]


# -- assert_called / assert_not_called ------------------------------------------------------


def test_assert_called_returns_the_matching_calls() -> None:
    journal = Journal()
    _record(journal)
    _record(journal, body={"orgName": "Acme", "contactName": "Ann"})
    _record(journal, operation="getUserProfile", method="GET", path="/api/users/me", path_params={}, body=None)
    found = journal.assert_called("updateOrganization", times=2, org_id=ORG, body={"orgName": "Acme"})
    assert [call.seq for call in found] == [1, 2]
    assert journal.assert_called(method="get", path="/api/users/*", status=200, user_id="u1")[0].seq == 3
    assert journal.assert_called(body={"contactName": "Ann"})[0].seq == 2


def test_a_failed_assertion_shows_the_near_misses_and_how_each_differs() -> None:
    journal = Journal()
    _record(journal, body={"orgName": "Acme Inc"})
    _record(journal, path=f"/api/organizations/{OTHER_ORG}/update", path_params={"orgId": OTHER_ORG})
    _record(journal, operation="getUserProfile", method="GET", path="/api/users/me", path_params={}, body=None)
    with pytest.raises(CallAssertionError) as failure:
        journal.assert_called("updateOrganization", times=1, org_id=ORG, body={"orgName": "Acme"})
    message = str(failure.value)
    assert message.startswith(
        f"lowcoder-fake: expected updateOrganization with org_id={ORG!r} and body containing {{'orgName': 'Acme'}}"
        " to be called once; it was not called.\nClosest calls:\n"
    )
    assert "body.orgName: expected 'Acme', got 'Acme Inc'" in message
    assert f"org_id: expected {ORG!r}, got {OTHER_ORG!r}" in message
    assert "getUserProfile" not in message  # neither the same operation nor the same path
    assert isinstance(failure.value, AssertionError) and isinstance(failure.value, FakeError)


def test_the_closest_call_comes_first() -> None:
    journal = Journal()
    _record(journal, body={"orgName": "Other"}, status=500)
    _record(journal, body={"orgName": "Other"})
    with pytest.raises(CallAssertionError) as failure:
        journal.assert_called("updateOrganization", body={"orgName": "Acme"}, status=200)
    lines = str(failure.value).splitlines()
    assert lines[2].startswith("  #2 ") and lines[3].strip() == "body.orgName: expected 'Acme', got 'Other'"
    assert lines[4].startswith("  #1 ")


def test_a_call_that_matched_no_route_is_always_a_near_miss() -> None:
    journal = Journal()
    _record(journal, operation=None, path=f"/api/organization/{ORG}/update", path_params={}, status=404)
    with pytest.raises(CallAssertionError, match=r"got None \(no Lowcoder route\)") as failure:
        journal.assert_called("updateOrganization")
    assert f"#1 PUT /api/organization/{ORG}/update -> 404 (no Lowcoder route)" in str(failure.value)


def test_when_nothing_came_close_the_calls_made_are_listed() -> None:
    journal = Journal()
    _record(journal, operation="getUserProfile", method="GET", path="/api/users/me", path_params={}, body=None)
    with pytest.raises(CallAssertionError) as failure:
        journal.assert_called("updateOrganization")
    assert "None came close. The calls recorded were:\n  #1 GET /api/users/me -> 200 getUserProfile" in str(
        failure.value
    )
    with pytest.raises(CallAssertionError, match="No calls were recorded"):
        Journal().assert_called("updateOrganization")


def test_wrong_count_lists_the_matching_calls() -> None:
    journal = Journal()
    _record(journal)
    _record(journal)
    with pytest.raises(CallAssertionError, match=r"to be called once; it was called twice:\n  #1 .*\n  #2 "):
        journal.assert_called("updateOrganization", times=1)
    journal.assert_called("updateOrganization", times=2)
    journal.assert_called("deleteOrganization", times=0)


def test_assert_not_called() -> None:
    journal = Journal()
    _record(journal, body={"orgName": "Acme Inc"})
    journal.assert_not_called("updateOrganization", body={"orgName": "Acme"})
    journal.assert_not_called("deleteOrganization")
    with pytest.raises(CallAssertionError, match=r"expected no call of updateOrganization; 1 made:\n  #1 PUT"):
        journal.assert_not_called("updateOrganization")


def test_bad_arguments_are_clear_errors() -> None:
    journal = Journal()
    with pytest.raises(FakeError, match="times must be 0 or more"):
        journal.assert_called("x", times=-1)
    with pytest.raises(FakeError, match="count must be a whole number of 1 or more"):
        journal.wait_for("x", 0)
    with pytest.raises(FakeError, match="timeout must be 0 or more"):
        journal.wait_for("x", timeout=-1)


# -- body differences --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "actual", "differences"),
    [
        ({"a": 1}, {"a": 1, "b": 2}, []),
        ({"a": {"b": [1, 2]}}, {"a": {"b": [1, 2], "c": 3}}, []),
        ({"a": 1}, {"a": 2}, ["body.a: expected 1, got 2"]),
        ({"a": 1}, {"a": 1.0}, ["body.a: expected 1 (int), got 1.0 (float)"]),
        ({"a": True}, {"a": 1}, ["body.a: expected True (bool), got 1 (int)"]),
        ({"a": 1}, {}, ["body.a: missing (expected 1)"]),
        ({"a": {"b": 1}}, {"a": "x"}, ["body.a: expected an object, got 'x'"]),
        ({"a": 1}, None, ["body: expected an object, got no JSON body"]),
        ({"a": [1, 2]}, {"a": [1, 2, 3]}, ["body.a: expected [1, 2], got [1, 2, 3]"]),
        (None, None, []),
        ("text", "other", ["body: expected 'text', got 'other'"]),
        ({"password": "a"}, {"password": "b"}, ["body.password: differs (values masked)"]),
        ({"password": "a"}, {}, ["body.password: missing (expected (masked))"]),
        ({"a": 1, "b": 2}, {"a": 0, "b": 0}, ["body.a: expected 1, got 0", "body.b: expected 2, got 0"]),
    ],
)
def test_body_differences(expected: Any, actual: Any, differences: list[str]) -> None:
    assert body_differences(expected, actual) == differences
    assert (not differences) == is_subset(expected, actual)  # the same subset rule as fault rules


def test_expectation_describes_itself() -> None:
    expectation = CallExpectation("updateOrganization", method="put", org_id="a", body={"orgName": "Acme"})
    assert expectation.describe() == (
        "updateOrganization with method='PUT' and org_id='a' and body containing {'orgName': 'Acme'}"
    )
    assert CallExpectation().describe() == "a call"
    assert CallExpectation(body=None).describe() == "a call with body containing None"


# -- waiting -------------------------------------------------------------------------------


def _record_later(journal: Journal, delay: float, count: int = 1, **fields: Any) -> threading.Thread:
    def run() -> None:
        for _ in range(count):
            time.sleep(delay)
            _record(journal, **fields)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_wait_for_returns_once_the_calls_are_recorded() -> None:
    journal = Journal()
    thread = _record_later(journal, 0.02, count=3)
    started = time.monotonic()
    found = journal.wait_for("updateOrganization", 3, timeout=5)
    thread.join()
    assert [call.seq for call in found] == [1, 2, 3]
    assert time.monotonic() - started < 2


def test_wait_for_times_out_with_near_misses() -> None:
    journal = Journal()
    _record(journal, body={"orgName": "Acme Inc"})
    with pytest.raises(CallAssertionError) as failure:
        journal.wait_for("updateOrganization", body={"orgName": "Acme"}, timeout=0.05)
    message = str(failure.value)
    assert message.startswith("lowcoder-fake: waited 0.05 s for a call of updateOrganization with body containing")
    assert "body.orgName: expected 'Acme', got 'Acme Inc'" in message


def test_wait_for_counts_calls_already_made() -> None:
    journal = Journal()
    _record(journal)
    assert len(journal.wait_for("updateOrganization", timeout=0)) == 1


async def test_wait_for_async_does_not_block_the_loop() -> None:
    journal = Journal()

    async def record_soon() -> None:
        for _ in range(2):
            await asyncio.sleep(0.02)
            _record(journal)  # on this loop, as a fake running on the test's loop records

    task = asyncio.create_task(record_soon())
    found = await journal.wait_for_async("updateOrganization", 2, timeout=5)
    await task
    assert len(found) == 2


async def test_wait_for_async_wakes_on_calls_from_another_thread() -> None:
    journal = Journal()
    thread = _record_later(journal, 0.05)
    found = await journal.wait_for_async("updateOrganization", timeout=5)
    thread.join()
    assert len(found) == 1
    assert not journal._wakers  # the waiter cleaned up after itself


async def test_wait_for_async_times_out() -> None:
    with pytest.raises(CallAssertionError, match=r"waited 0.05 s for 2 calls of updateOrganization; got 0"):
        await Journal().wait_for_async("updateOrganization", 2, timeout=0.05)


async def test_sync_wait_for_on_a_running_loop_says_to_await_instead() -> None:
    with pytest.raises(CallAssertionError, match=r"use `await journal.wait_for_async\(...\)`"):
        Journal().wait_for("updateOrganization", timeout=0.01)


# -- strict mode -----------------------------------------------------------------------------


def test_strict_mode_objects_to_unrouted_calls_and_fake_errors() -> None:
    journal = Journal()
    _record(journal)
    assert strict_report(journal.calls()) is None
    _record(journal, operation=None, method="GET", path="/api/nope", path_params={}, status=401, body=None)
    _record(journal, fake_error="Traceback (most recent call last):\n  ...\nKeyError: 'x'", status=500)
    with pytest.raises(StrictModeError) as failure:
        check_strict(journal.calls(), hint="Turn it off with strict=False.")
    message = str(failure.value)
    assert message.startswith(
        "lowcoder-fake (strict): of the calls made to the fake, 1 matched no Lowcoder route and 1 failed inside the"
        " fake:\n  #2 GET /api/nope -> 401 (no Lowcoder route)"
    )
    assert "KeyError: 'x'" in message and message.endswith("Turn it off with strict=False.")


# -- masking ---------------------------------------------------------------------------------


def test_secrets_are_masked_wherever_a_call_is_shown() -> None:
    journal = Journal()
    call = _record(
        journal,
        operation="loginWithUserPassword",
        query={"token": "q-secret", "page": "1"},
        headers={
            "Host": "x",
            "Cookie": "LOWCODER_CE_SELFHOST_TOKEN=abc123; theme=dark",
            "Authorization": "Bearer key-secret",
            "X-Api-Key": "k-secret",
        },
        body={"loginId": "a@b.c", "password": "pw-secret", "nested": [{"apiKey": "n-secret"}]},
        response={"data": {"id": "k1", "token": "t-secret"}},
    )
    text = describe_call(call) + "\n" + format_journal(journal.calls())
    for secret in ("q-secret", "abc123", "dark", "key-secret", "k-secret", "pw-secret", "n-secret", "t-secret"):
        assert secret not in text
    assert "Cookie: LOWCODER_CE_SELFHOST_TOKEN=***; theme=***" in text
    assert "Authorization: Bearer ***" in text and "Host" not in text
    assert "a@b.c" in text and "page=1" in call_line(call)


def test_masking_also_covers_text() -> None:
    assert masked('{"password": "x1", "name": "n"}') == '{"password": ***, "name": "n"}'
    assert masked("loginId=a&password=x1&register=false") == "loginId=a&password=***&register=false"
    assert masked_headers({"Proxy-Authorization": "Basic abc"}) == {"Proxy-Authorization": "Basic ***"}


def test_a_raw_body_that_is_not_json_is_shown_masked() -> None:
    journal = Journal()
    call = _record(journal, body=None, raw_body="loginId=a&password=x1")
    assert re.search(r"raw body \(not JSON\): loginId=a&password=\*\*\*$", describe_call(call), re.M)


def test_the_cookie_name_setting_is_not_a_secret() -> None:
    from lowcoder_fake.reporting import masked

    assert masked({"cookieName": "LOWCODER_CE_SELFHOST_TOKEN", "cookies": "a=b"}) == {
        "cookieName": "LOWCODER_CE_SELFHOST_TOKEN",
        "cookies": "***",
    }


@pytest.mark.parametrize(
    "message",
    [
        "Invalid header value char:\n\n    b'Cookie: LOWCODER_CE_SELFHOST_TOKEN=SECRET1\\x01zz'\n     ^",
        "Invalid header value char:\n\n    b'Authorization: Bearer SECRET1\\x7f'\n     ^",
        "Invalid method encountered:\n\n    b'GET /api/users/me?password=SECRET1 HTTP/1.1 garbage'\n     ^",
        "Got more than 8192 bytes when reading: b'Bearer SECRET1AAAAAAAA'.",  # a value without its header's name
        "Got more than 8192 bytes when reading: b'LCSESS=SECRET1; big=xxxx'.",
        "Invalid header value char:\n\n    b\"Cookie: LOWCODER_CE_SELFHOST_TOKEN='SECRET1'\\x01\"\n     ^",
    ],
)
def test_whatever_a_parser_quotes_of_a_request_is_masked(message: str) -> None:
    journal = Journal()
    call = _record(journal, operation=None, protocol_error=message, status=400)
    for shown in (call_line(call), describe_call(call), format_journal(journal.calls())):
        assert "SECRET1" not in shown
        assert "***" in shown


def test_near_miss_lists_are_shown_with_their_secrets_masked() -> None:
    journal = Journal()
    _record(journal, body={"users": [{"email": "a@example.com", "password": "LISTSECRET"}]})
    with pytest.raises(CallAssertionError) as failure:
        journal.assert_called("updateOrganization", body={"users": [{"password": "EXPECTEDSECRET"}]})
    assert "LISTSECRET" not in str(failure.value) and "EXPECTEDSECRET" not in str(failure.value)
    assert "a@example.com" in str(failure.value)


def test_a_cookie_without_a_name_is_masked() -> None:
    assert masked_headers({"Cookie": "NAKEDSECRET; theme=dark"}) == {"Cookie": "***; theme=***"}


def test_near_misses_under_a_secret_key_are_masked_at_any_depth() -> None:
    journal = Journal()
    _record(journal, body={"password": "TOPSECRET", "extra": {"apiKey": {"value": "NESTEDSECRET"}}})
    for expected in ({"password": {"value": "x"}}, {"extra": {"apiKey": {"value": "guess"}}}):
        with pytest.raises(CallAssertionError) as failure:
            journal.assert_called("updateOrganization", body=expected)
        assert "TOPSECRET" not in str(failure.value) and "NESTEDSECRET" not in str(failure.value)
        assert "guess" not in str(failure.value)


def test_a_failed_assert_called_says_when_calls_were_dropped() -> None:
    journal = Journal(limit=2)
    for _ in range(3):
        _record(journal, body={"orgName": "Other"})
    with pytest.raises(CallAssertionError) as failure:
        journal.assert_called("updateOrganization", body={"orgName": "Acme"})
    assert "1 older call was dropped from the journal" in str(failure.value)
    kept = Journal()
    _record(kept, body={"orgName": "Other"})
    with pytest.raises(CallAssertionError) as failure:
        kept.assert_called("updateOrganization", body={"orgName": "Acme"})
    assert "dropped" not in str(failure.value)
