"""Fault rules: which calls fail on purpose, how, and how often.

A rule is a match (which calls), an effect (what the client gets) and a
schedule (``after``, ``times``, ``probability``). Plain Python, no aiohttp:
the app asks :meth:`Faults.decide` once per call and carries out the effect.
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

from lowcoder_fake.envelope import ERRORS
from lowcoder_fake.errors import InvalidInput
from lowcoder_fake.journal import path_glob
from lowcoder_fake.jsondepth import MAX_DEPTH, json_depth
from lowcoder_fake.operations import check_operation

__all__ = ["EFFECTS", "PHASES", "CallView", "FaultMatch", "FaultRule", "Faults", "is_subset"]

EFFECTS: Final = ("error", "status", "delay", "reset", "close", "malformed", "hang")
PHASES: Final = ("before", "after")

_RULE_FIELDS: Final = (
    "match",
    "effect",
    "error",
    "status",
    "body",
    "headers",
    "delayMs",
    "times",
    "after",
    "probability",
    "seed",
    "phase",
    "reason",
)
_MATCH_FIELDS: Final = ("operation", "method", "path", "orgId", "body")
_SNAKE_ALIASES: Final = {"delay_ms": "delayMs"}


class CallView(NamedTuple):
    """What a rule can see of a call (a tuple: one is made for every call)."""

    operation: str | None
    method: str
    path: str
    org_id: str | None
    body: Any


def is_subset(expected: Any, actual: Any) -> bool:
    """True when every key of ``expected`` (recursively) is in ``actual`` with the same value."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and is_subset(value, actual[key]) for key, value in expected.items()
        )
    return bool(expected == actual) and type(expected) is type(actual)


_NO_BODY: Final = object()


@dataclass(frozen=True, slots=True)
class FaultMatch:
    """Which calls a rule applies to; every given part must match."""

    operation: str | None = None
    method: str | None = None
    path: str | None = None
    org_id: str | None = None
    body: Any = _NO_BODY

    def matches(self, call: CallView) -> bool:
        """True when every given part matches ``call``."""
        return (
            (self.operation is None or call.operation == self.operation)
            and (self.method is None or call.method == self.method)
            and (self.path is None or path_glob(self.path).match(call.path) is not None)
            and (self.org_id is None or call.org_id == self.org_id)
            and (self.body is _NO_BODY or is_subset(self.body, call.body))
        )

    def to_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {}
        for name, value in (
            ("operation", self.operation),
            ("method", self.method),
            ("path", self.path),
            ("orgId", self.org_id),
        ):
            if value is not None:
                shown[name] = value
        if self.body is not _NO_BODY:
            shown["body"] = self.body
        return shown


class FaultRule:
    """One rule: its settings (read-only) and how often it fired (live)."""

    __slots__ = (
        "_fired",
        "_random",
        "_releases",
        "_seen",
        "after",
        "body",
        "delay_ms",
        "effect",
        "error",
        "headers",
        "id",
        "match",
        "phase",
        "probability",
        "reason",
        "seed",
        "status",
        "times",
    )

    def __init__(self, rule_id: str, spec: Mapping[str, Any]) -> None:
        self.id = rule_id
        self.match: FaultMatch = spec["match"]
        self.effect: str = spec["effect"]
        self.error: str | None = spec.get("error")
        self.reason: str = spec.get("reason", "")
        self.status: int | None = spec.get("status")
        self.body: Any = spec.get("body", _NO_BODY)
        self.headers: dict[str, str] = dict(spec.get("headers") or {})
        self.delay_ms: float = spec.get("delayMs", 0)
        self.times: int | None = spec.get("times")
        self.after: int = spec.get("after", 0)
        self.probability: float | None = spec.get("probability")
        self.seed: int | None = spec.get("seed")
        self.phase: str = spec.get("phase", "before")
        self._random = random.Random(self.seed)
        self._seen = 0
        self._fired = 0
        self._releases = 0

    @property
    def fired(self) -> int:
        """How many calls this rule has failed so far."""
        return self._fired

    @property
    def releases(self) -> int:
        """How many times held calls were released (a ``hang`` waits for this to change)."""
        return self._releases

    @property
    def has_body(self) -> bool:
        return self.body is not _NO_BODY

    def to_json(self) -> dict[str, Any]:
        """The rule as given, with its ``id`` and ``fired`` count."""
        shown: dict[str, Any] = {"id": self.id, "match": self.match.to_json(), "effect": self.effect}
        optional: tuple[tuple[str, Any], ...] = (
            ("error", self.error),
            ("reason", self.reason or None),
            ("status", self.status),
            ("headers", self.headers or None),
            ("delayMs", self.delay_ms or None),
            ("times", self.times),
            ("probability", self.probability),
            ("seed", self.seed),
        )
        shown.update({name: value for name, value in optional if value is not None})
        if self.has_body:
            shown["body"] = self.body
        if self.after:
            shown["after"] = self.after
        shown["phase"] = self.phase
        shown["fired"] = self._fired
        return shown

    def __repr__(self) -> str:
        return f"FaultRule(id={self.id!r}, effect={self.effect!r}, fired={self._fired})"


class Faults:
    """The rules of one fake, consulted once per Lowcoder call, in the order added."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: dict[str, FaultRule] = {}
        self._next_id = 1
        # The rules that can match each operation, in order (emptied whenever the rules change):
        # a call then skips the rules for other operations without looking at them.
        self._by_operation: dict[str | None, tuple[FaultRule, ...]] = {}

    def add(self, rule: Mapping[str, Any] | None = None, **fields: Any) -> FaultRule:
        """Add a rule given as its JSON form (a dict, or keyword arguments); returns the live rule.

        Raises :class:`InvalidInput` naming the bad field; nothing is added then.
        """
        given = dict(rule or {})
        given.update({_SNAKE_ALIASES.get(name, name): value for name, value in fields.items()})
        spec = _parse_rule(given)
        with self._lock:
            created = FaultRule(f"fault-{self._next_id}", spec)
            self._next_id += 1
            self._rules[created.id] = created
            self._by_operation.clear()
            return created

    def rules(self) -> list[FaultRule]:
        """The rules, in the order they were added."""
        with self._lock:
            return list(self._rules.values())

    def get(self, rule_id: str) -> FaultRule | None:
        with self._lock:
            return self._rules.get(rule_id)

    def remove(self, rule_id: str) -> bool:
        """Remove one rule; False when there is none with that id."""
        with self._lock:
            rule = self._rules.pop(rule_id, None)
            self._by_operation.clear()
        if rule is not None:
            self._release(rule)
        return rule is not None

    def clear(self) -> None:
        """Remove every rule (calls held by a ``hang`` rule go on)."""
        with self._lock:
            rules, self._rules = list(self._rules.values()), {}
            self._by_operation.clear()
        for rule in rules:
            self._release(rule)

    def release(self, rule_id: str) -> bool:
        """Let the calls a ``hang`` rule holds go on; False when there is no such rule."""
        rule = self.get(rule_id)
        if rule is not None:
            self._release(rule)
        return rule is not None

    def _release(self, rule: FaultRule) -> None:
        with self._lock:
            rule._releases += 1

    def decide(self, call: CallView) -> FaultRule | None:
        """The rule that fires for this call, if any (counted here, exactly, under concurrency)."""
        if not self._rules:
            return None
        with self._lock:
            candidates = self._by_operation.get(call.operation)
            if candidates is None:
                candidates = self._by_operation[call.operation] = tuple(
                    rule for rule in self._rules.values() if rule.match.operation in (None, call.operation)
                )
            for rule in candidates:
                if not rule.match.matches(call):
                    continue
                rule._seen += 1
                if rule._seen <= rule.after:
                    continue
                if rule.times is not None and rule._fired >= rule.times:
                    continue
                if rule.probability is not None and rule._random.random() >= rule.probability:
                    continue
                rule._fired += 1
                return rule
            return None


# -- parsing a rule's JSON form ------------------------------------------------


def _is_utf8_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _whole(value: Any, field: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidInput(field, f"expected a whole number >= {minimum}, got {value!r}")
    return value


def _number(value: Any, field: str, low: float, high: float | None) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or value < low
        or (high is not None and value > high)
    ):
        bounds = f"from {low} to {high}" if high is not None else f">= {low}"
        raise InvalidInput(field, f"expected a number {bounds}, got {value!r}")
    return value


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInput(field, f"expected a non-empty string, got {value!r}")
    return value


def _choice(value: Any, field: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise InvalidInput(field, f"{value!r} is not one of {', '.join(choices)}")
    return str(value)


def _known_fields(given: Mapping[str, Any], known: tuple[str, ...], prefix: str = "") -> None:
    for name in given:
        if name not in known:
            raise InvalidInput(f"{prefix}{name}", f"unknown field; known fields: {', '.join(known)}")


_HEADER_NAME: Final = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_FRAMING_HEADERS: Final = frozenset({"content-length", "transfer-encoding", "connection", "upgrade", "keep-alive"})
_NO_BODY_STATUSES: Final = frozenset({204, 205, 304})


def _headers(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise InvalidInput("headers", "expected an object of header names to string values")
    for name, text in value.items():
        field = f"headers.{name}"
        if not _HEADER_NAME.match(name):
            raise InvalidInput(field, f"{name!r} is not a valid header name")
        if name.lower() in _FRAMING_HEADERS:
            raise InvalidInput(field, "the fake frames its answers itself; this header cannot be scripted")
        if not isinstance(text, str) or any(char in text for char in "\r\n\x00"):
            raise InvalidInput(field, "expected a string without CR, LF or NUL")
    return dict(value)


def _parse_match(value: Any) -> FaultMatch:
    if value is None:
        return FaultMatch()
    if not isinstance(value, dict):
        raise InvalidInput("match", "expected a JSON object")
    _known_fields(value, _MATCH_FIELDS, "match.")
    get = value.get
    return FaultMatch(
        operation=check_operation(_text(get("operation"), "match.operation"), "match.operation")
        if get("operation") is not None
        else None,
        method=_text(get("method"), "match.method").upper() if get("method") is not None else None,
        path=_text(get("path"), "match.path") if get("path") is not None else None,
        org_id=_text(get("orgId"), "match.orgId") if get("orgId") is not None else None,
        body=_json_value(value["body"], "match.body") if "body" in value else _NO_BODY,
    )


def _json_value(value: Any, field: str) -> Any:
    """``value`` if JSON can carry it (the Python API takes any object): nested at most
    :data:`~lowcoder_fake.jsondepth.MAX_DEPTH` levels, no NaN or infinity, JSON types only."""
    if json_depth(value) > MAX_DEPTH:
        raise InvalidInput(field, f"nested deeper than {MAX_DEPTH} levels")
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise InvalidInput(field, f"not a JSON value ({error})") from None
    return value


def _parse_rule(given: dict[str, Any]) -> dict[str, Any]:
    _known_fields(given, _RULE_FIELDS)
    if "effect" not in given:
        raise InvalidInput("effect", f"required; one of {', '.join(EFFECTS)}")
    effect = _choice(given["effect"], "effect", EFFECTS)
    spec: dict[str, Any] = {"match": _parse_match(given.get("match")), "effect": effect}
    if effect == "error":
        if "error" not in given:
            raise InvalidInput("error", "required for effect 'error'; a name from the error catalogue")
        spec["error"] = _choice(given["error"], "error", tuple(ERRORS))
        if given.get("reason") is not None:
            spec["reason"] = _text(given["reason"], "reason")
    elif "error" in given or "reason" in given:
        name = "error" if "error" in given else "reason"
        raise InvalidInput(name, f"only for effect 'error', not {effect!r}")
    if effect == "status":
        if "status" not in given:
            raise InvalidInput("status", "required for effect 'status'")
        spec["status"] = _whole(given["status"], "status", 200)
        if spec["status"] > 599:
            raise InvalidInput("status", f"expected an HTTP status from 200 to 599, got {spec['status']!r}")
        spec["headers"] = _headers(given.get("headers", {}))
        if "body" in given:
            if spec["status"] in _NO_BODY_STATUSES:
                raise InvalidInput("body", f"an answer with status {spec['status']} has no body")
            if isinstance(given["body"], str) and not _is_utf8_text(given["body"]):
                raise InvalidInput("body", "text with a lone surrogate (such as \\ud800) cannot be sent as UTF-8")
            spec["body"] = _json_value(given["body"], "body")
    else:
        for only_status in ("status", "headers", "body"):
            if only_status in given:
                raise InvalidInput(only_status, f"only for effect 'status', not {effect!r}")
    if effect == "delay" and "delayMs" not in given:
        raise InvalidInput("delayMs", "required for effect 'delay'")
    if "delayMs" in given:
        spec["delayMs"] = _number(given["delayMs"], "delayMs", 0, 600_000)
    if given.get("times") is not None:
        spec["times"] = _whole(given["times"], "times", 0)
    if "after" in given:
        spec["after"] = _whole(given["after"], "after", 0)
    if given.get("probability") is not None:
        spec["probability"] = _number(given["probability"], "probability", 0, 1)
    if given.get("seed") is not None:
        if given.get("probability") is None:
            raise InvalidInput("seed", "only with probability")
        spec["seed"] = _whole(given["seed"], "seed", 0)
    if "phase" in given:
        spec["phase"] = _choice(given["phase"], "phase", PHASES)
    return spec
