"""Fault rules without HTTP: parsing, refusals naming the field, the schedule."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from lowcoder_fake.errors import InvalidInput
from lowcoder_fake.faults import CallView, Faults, is_subset

UPDATE = CallView("updateOrganization", "PUT", "/api/organizations/abc/update", "abc", {"orgName": "Acme", "x": 1})
PROFILE = CallView("getUserProfile", "GET", "/api/users/me", None, None)


def _pattern(faults: Faults, call: CallView, count: int) -> list[bool]:
    return [faults.decide(call) is not None for _ in range(count)]


@pytest.mark.parametrize(
    ("match", "fires"),
    [
        ({}, True),
        ({"operation": "updateOrganization"}, True),
        ({"operation": "getUserProfile"}, False),
        ({"method": "put"}, True),
        ({"method": "GET"}, False),
        ({"path": "/api/organizations/*/update"}, True),
        ({"path": "/api/*/update"}, False),
        ({"orgId": "abc"}, True),
        ({"orgId": "xyz"}, False),
        ({"body": {"orgName": "Acme"}}, True),
        ({"body": {"orgName": "Other"}}, False),
        ({"body": {"x": True}}, False),
        ({"operation": "updateOrganization", "orgId": "abc", "body": {"x": 1}}, True),
        ({"operation": "updateOrganization", "orgId": "xyz", "body": {"x": 1}}, False),
    ],
)
def test_every_given_part_must_match(match: dict[str, Any], fires: bool) -> None:
    faults = Faults()
    faults.add({"match": match, "effect": "error", "error": "INTERNAL_SERVER_ERROR"})
    assert (faults.decide(UPDATE) is not None) is fires


def test_times_and_after() -> None:
    faults = Faults()
    rule = faults.add({"effect": "malformed", "after": 2, "times": 3})
    assert _pattern(faults, UPDATE, 7) == [False, False, True, True, True, False, False]
    assert rule.fired == 3


def test_probability_with_seed_is_reproducible_and_not_trivial() -> None:
    first = Faults()
    first.add({"effect": "close", "probability": 0.5, "seed": 7})
    second = Faults()
    second.add({"effect": "close", "probability": 0.5, "seed": 7})
    pattern = _pattern(first, UPDATE, 40)
    assert pattern == _pattern(second, UPDATE, 40)
    assert 5 < sum(pattern) < 35


@pytest.mark.parametrize(("probability", "expected"), [(0, 0), (1, 20)])
def test_probability_bounds(probability: float, expected: int) -> None:
    faults = Faults()
    faults.add({"effect": "close", "probability": probability})
    assert sum(_pattern(faults, UPDATE, 20)) == expected


def test_times_is_exact_across_threads() -> None:
    faults = Faults()
    rule = faults.add({"effect": "reset", "times": 3})
    fired: list[bool] = []
    lock = threading.Lock()

    def call() -> None:
        outcome = faults.decide(UPDATE) is not None
        with lock:
            fired.append(outcome)

    threads = [threading.Thread(target=call) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(fired) == 3 and rule.fired == 3


def test_first_firing_rule_wins_and_exhausted_rules_pass_on() -> None:
    faults = Faults()
    first = faults.add({"effect": "malformed", "times": 1})
    second = faults.add({"effect": "close"})
    assert faults.decide(UPDATE) is first
    assert faults.decide(UPDATE) is second


def test_keyword_form_and_json_form() -> None:
    faults = Faults()
    rule = faults.add(match={"operation": "updateOrganization"}, effect="delay", delay_ms=5)
    assert rule.to_json() == {
        "id": rule.id,
        "match": {"operation": "updateOrganization"},
        "effect": "delay",
        "delayMs": 5,
        "phase": "before",
        "fired": 0,
    }


def test_remove_clear_and_release() -> None:
    faults = Faults()
    rule = faults.add({"effect": "hang"})
    releases = rule.releases
    assert faults.release(rule.id) and rule.releases == releases + 1
    assert not faults.release("fault-999")
    assert faults.remove(rule.id) and not faults.remove(rule.id)
    faults.add({"effect": "hang"})
    faults.clear()
    assert faults.rules() == [] and faults.decide(UPDATE) is None


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({}, "effect"),
        ({"effect": "explode"}, "effect"),
        ({"effect": "error"}, "error"),
        ({"effect": "error", "error": "NO_SUCH_ERROR"}, "error"),
        ({"effect": "status"}, "status"),
        ({"effect": "status", "status": 99}, "status"),
        ({"effect": "status", "status": 600}, "status"),
        ({"effect": "status", "status": "500"}, "status"),
        ({"effect": "status", "status": 500, "headers": {"X": 1}}, "headers.X"),
        ({"effect": "status", "status": 500, "headers": ["X"]}, "headers"),
        ({"effect": "close", "status": 500}, "status"),
        ({"effect": "close", "error": "NOT_AUTHORIZED"}, "error"),
        ({"effect": "delay"}, "delayMs"),
        ({"effect": "delay", "delayMs": -1}, "delayMs"),
        ({"effect": "close", "times": -1}, "times"),
        ({"effect": "close", "times": 1.5}, "times"),
        ({"effect": "close", "after": -2}, "after"),
        ({"effect": "close", "probability": 1.5}, "probability"),
        ({"effect": "close", "probability": -0.1}, "probability"),
        ({"effect": "close", "seed": 3}, "seed"),
        ({"effect": "close", "phase": "during"}, "phase"),
        ({"effect": "close", "colour": "red"}, "colour"),
        ({"effect": "close", "match": {"operationId": "x"}}, "match.operationId"),
        ({"effect": "close", "match": []}, "match"),
        ({"effect": "close", "match": {"method": 5}}, "match.method"),
    ],
)
def test_bad_rules_are_refused_naming_the_field(rule: dict[str, Any], field: str) -> None:
    faults = Faults()
    with pytest.raises(InvalidInput) as refused:
        faults.add(rule)
    assert refused.value.field == field
    assert faults.rules() == []


def test_subset_matching() -> None:
    assert is_subset({"a": {"b": 1}}, {"a": {"b": 1, "c": 2}, "d": 3})
    assert not is_subset({"a": 1}, {"a": True})
    assert not is_subset({"a": 1}, None)
    assert is_subset([1, 2], [1, 2]) and not is_subset([1], [1, 2])
