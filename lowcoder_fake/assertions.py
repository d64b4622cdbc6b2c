"""Recorded-call assertions: was it called, how often, with what — and if not, what came close.

:class:`CallAssertions` gives any journal — the fake's own
(:class:`~lowcoder_fake.journal.Journal`) or one read over HTTP
(:class:`~lowcoder_fake.client.RemoteJournal`) — the same questions,
answered by the same code. A failed assertion raises
:class:`CallAssertionError`, whose message lists the calls that came close
and how each differs (``body.orgName: expected 'Acme', got 'Acme Inc'``),
secrets masked.
"""

from __future__ import annotations

import abc
import asyncio
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from lowcoder_fake.calls import Call, CallFilter, path_glob
from lowcoder_fake.errors import FakeError
from lowcoder_fake.operations import check_operation
from lowcoder_fake.reporting import call_line, describe_call, is_secret_name, masked

__all__ = [
    "ANY_BODY",
    "CallAssertionError",
    "CallAssertions",
    "CallExpectation",
    "StrictModeError",
    "body_differences",
    "check_strict",
    "near_misses",
    "strict_report",
]

_MAX_SHOWN: Final = 5  # near misses, or matching calls, in one message
_MAX_LISTED: Final = 10  # one-line calls when none came close
_MAX_VALUE: Final = 120


class CallAssertionError(FakeError, AssertionError):
    """A recorded-call assertion failed; the message shows what was called instead."""


class StrictModeError(CallAssertionError):
    """Calls matched no Lowcoder route, or failed inside the fake (strict mode)."""


class _AnyBody:
    """The default of ``body=``: no condition on the body (``body=None`` asks for no JSON body)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "ANY_BODY"


ANY_BODY: Final = _AnyBody()


def _value(value: Any) -> str:
    text = repr(masked(value))  # a list or object may hold secret-named keys
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def _typed(value: Any) -> str:
    return f"{_value(value)} ({type(value).__name__})"


def body_differences(expected: Any, actual: Any, where: str = "body") -> list[str]:
    """How ``actual`` fails to contain ``expected`` (a subset match: extra keys are fine).

    Objects match key by key, recursively; anything else (lists included)
    must be equal and of the same type. Empty when it matches. Values under
    secret-named keys are not shown.
    """
    secret = any(is_secret_name(part) for part in where.split("."))  # under a secret-named key, at any depth
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            got = "no JSON body" if actual is None and where == "body" else "(masked)" if secret else _value(actual)
            return [f"{where}: expected an object, got {got}"]
        found: list[str] = []
        for key, value in expected.items():
            place = f"{where}.{key}"
            if key not in actual:
                shown = "(masked)" if secret or is_secret_name(str(key)) else _value(value)
                found.append(f"{place}: missing (expected {shown})")
            else:
                found.extend(body_differences(value, actual[key], place))
        return found
    if expected == actual and type(expected) is type(actual):
        return []
    if secret:
        return [f"{where}: differs (values masked)"]
    if expected == actual:
        return [f"{where}: expected {_typed(expected)}, got {_typed(actual)}"]
    return [f"{where}: expected {_value(expected)}, got {_value(actual)}"]


@dataclass(frozen=True, slots=True)
class CallExpectation:
    """What a call should look like; every given part must hold (``body`` is a subset match)."""

    operation: str | None = None
    method: str | None = None
    path: str | None = None
    """A glob: ``*`` stands for one path segment, ``**`` for any rest."""
    org_id: str | None = None
    body: Any = ANY_BODY
    status: int | None = None
    user_id: str | None = None

    def __post_init__(self) -> None:
        if self.operation is not None:
            check_operation(self.operation)

    def differences(self, call: Call) -> list[str]:
        """Each condition ``call`` fails, and how (empty when it matches)."""
        found: list[str] = []
        if self.operation is not None and call.operation != self.operation:
            got = "None (no Lowcoder route)" if call.operation is None else repr(call.operation)
            found.append(f"operation: expected {self.operation!r}, got {got}")
        if self.method is not None and call.method != self.method.upper():
            found.append(f"method: expected {self.method.upper()!r}, got {call.method!r}")
        if self.path is not None and not path_glob(self.path).match(call.path):
            found.append(f"path: expected {self.path!r}, got {call.path!r}")
        if self.org_id is not None and call.path_params.get("orgId") != self.org_id:
            found.append(f"org_id: expected {self.org_id!r}, got {call.path_params.get('orgId')!r}")
        if self.status is not None and call.status != self.status:
            got = "no answer" if call.status is None else str(call.status)
            found.append(f"status: expected {self.status}, got {got}")
        if self.user_id is not None and call.user_id != self.user_id:
            found.append(f"user_id: expected {self.user_id!r}, got {call.user_id!r}")
        if self.body is not ANY_BODY:
            found.extend(body_differences(self.body, call.body))
        return found

    def matches(self, call: Call) -> bool:
        return not self.differences(call)

    def selection(self) -> CallFilter:
        """The part of the expectation a journal can filter on by itself (the rest is checked here)."""
        return CallFilter(operation=self.operation, method=self.method, path=self.path, org_id=self.org_id)

    def is_close(self, call: Call) -> bool:
        """Worth showing as a near miss: same operation or path, or no route at all (a wrong path?)."""
        if self.operation is None and self.path is None:
            return True
        return (
            call.operation is None
            or call.operation == self.operation
            or (self.path is not None and bool(path_glob(self.path).match(call.path)))
        )

    def describe(self) -> str:
        """``updateOrganization with org_id='…' and body containing {'orgName': 'Acme'}``."""
        conditions = [
            f"{name}={value!r}"
            for name, value in (
                ("method", self.method.upper() if self.method else None),
                ("path", self.path),
                ("org_id", self.org_id),
                ("status", self.status),
                ("user_id", self.user_id),
            )
            if value is not None
        ]
        if self.body is not ANY_BODY:
            conditions.append(f"body containing {_value(self.body)}")
        subject = self.operation or "a call"
        return subject + (" with " + " and ".join(conditions) if conditions else "")


def _times(count: int) -> str:
    return {0: "0 times", 1: "once", 2: "twice"}.get(count, f"{count} times")


def _listed(calls: Sequence[Call]) -> list[str]:
    lines = ["  " + call_line(call) for call in calls[:_MAX_SHOWN]]
    if len(calls) > _MAX_SHOWN:
        lines.append(f"  … and {len(calls) - _MAX_SHOWN} more")
    return lines


def near_misses(expectation: CallExpectation, calls: Iterable[Call]) -> str:
    """The calls that came close to ``expectation``, each with how it differs; else what was called."""
    recorded = list(calls)
    if not recorded:
        return "No calls were recorded."
    close = [
        (differences, call)
        for call in recorded
        if expectation.is_close(call) and (differences := expectation.differences(call))
    ]
    if not close:
        lines = ["None came close. The calls recorded were:"]
        lines.extend("  " + call_line(call) for call in recorded[-_MAX_LISTED:])
        if len(recorded) > _MAX_LISTED:
            lines.insert(1, f"  ({len(recorded) - _MAX_LISTED} earlier calls not shown)")
        return "\n".join(lines)
    close.sort(key=lambda pair: (len(pair[0]), -pair[1].seq))
    lines = ["Closest calls:"]
    for differences, call in close[:_MAX_SHOWN]:
        lines.append("  " + call_line(call))
        lines.extend("      " + difference for difference in differences)
    if len(close) > _MAX_SHOWN:
        lines.append(f"  … and {len(close) - _MAX_SHOWN} more")
    return "\n".join(lines)


def _running_loop_hint() -> str:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return ""
    return (
        "\nwait_for() was called on a running event loop, which it blocks while it waits; "
        "in async code use `await journal.wait_for_async(...)`."
    )


class CallAssertions(abc.ABC):
    """Assertions and waiting over a journal; a subclass says how to read it and wait for news."""

    __slots__ = ()

    @abc.abstractmethod
    def calls(self, selection: CallFilter | None = None) -> tuple[Call, ...]:
        """The recorded calls, oldest first, optionally filtered (snapshot)."""

    @abc.abstractmethod
    def _journal_version(self) -> int:
        """A number that changes whenever the journal does (a constant if it cannot tell)."""

    @abc.abstractmethod
    def _await_change(self, version: int, timeout: float) -> None:
        """Return once the version differs from ``version`` (or may), or ``timeout`` seconds passed."""

    @abc.abstractmethod
    async def _await_change_async(self, version: int, timeout: float) -> None:
        """:meth:`_await_change` for async code: never blocks the running loop."""

    @property
    @abc.abstractmethod
    def dropped(self) -> int:
        """How many of the oldest calls were dropped to stay within the journal's limit."""

    async def _calls_async(self, selection: CallFilter | None = None) -> tuple[Call, ...]:
        return self.calls(selection)

    # -- the assertions ----------------------------------------------------------------

    def _matching(self, expectation: CallExpectation, calls: Iterable[Call] | None = None) -> tuple[Call, ...]:
        chosen = self.calls(expectation.selection()) if calls is None else calls
        return tuple(call for call in chosen if expectation.matches(call))

    def assert_called(
        self,
        operation: str | None = None,
        *,
        times: int | None = None,
        org_id: str | None = None,
        body: Any = ANY_BODY,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        user_id: str | None = None,
    ) -> tuple[Call, ...]:
        """Assert such a call was made (``times``: exactly that often); returns the matching calls.

        ``body`` is a subset of the JSON body; ``path`` a glob. On failure the
        message lists the closest calls and how each differs.
        """
        __tracebackhide__ = True  # pytest: the failure points at the test's line, not here
        if times is not None and times < 0:
            raise FakeError(f"lowcoder-fake: times must be 0 or more, got {times!r}")
        expectation = CallExpectation(operation, method, path, org_id, body, status, user_id)
        found = self._matching(expectation)
        if (times is None and found) or (times is not None and len(found) == times):
            return found
        wanted = "at least once" if times is None else _times(times)
        message = f"lowcoder-fake: expected {expectation.describe()} to be called {wanted}; "
        if found:
            message += "\n".join([f"it was called {_times(len(found))}:", *_listed(found)])
        else:
            message += "it was not called.\n" + near_misses(expectation, self.calls())
        dropped = self.dropped
        if dropped:
            message += (
                f"\n{dropped} older {'call was' if dropped == 1 else 'calls were'} dropped from the journal"
                " to stay within its limit"
                " and are not counted here (the journal limit option keeps more)."
            )
        raise CallAssertionError(message)

    def assert_not_called(
        self,
        operation: str | None = None,
        *,
        org_id: str | None = None,
        body: Any = ANY_BODY,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        user_id: str | None = None,
    ) -> None:
        """Assert no such call was made; on failure the message lists the ones that were."""
        __tracebackhide__ = True  # pytest: the failure points at the test's line, not here
        expectation = CallExpectation(operation, method, path, org_id, body, status, user_id)
        found = self._matching(expectation)
        if found:
            lines = [f"lowcoder-fake: expected no call of {expectation.describe()}; {len(found)} made:"]
            lines.extend(_listed(found))
            raise CallAssertionError("\n".join(lines))

    # -- waiting for calls made in the background ---------------------------------------

    def wait_for(
        self,
        operation: str | None = None,
        count: int = 1,
        *,
        timeout: float = 5.0,
        org_id: str | None = None,
        body: Any = ANY_BODY,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        user_id: str | None = None,
    ) -> tuple[Call, ...]:
        """Block until ``count`` such calls are recorded (returns them all); fail after ``timeout`` seconds."""
        __tracebackhide__ = True  # pytest: the failure points at the test's line, not here
        expectation = _waited(operation, count, timeout, method, path, org_id, body, status, user_id)
        deadline = time.monotonic() + timeout
        while True:
            version = self._journal_version()
            found = self._matching(expectation)
            remaining = deadline - time.monotonic()
            if len(found) >= count or remaining <= 0:
                break
            self._await_change(version, remaining)
        if len(found) >= count:
            return found
        raise _timed_out(expectation, count, timeout, found, self.calls(), _running_loop_hint())

    async def wait_for_async(
        self,
        operation: str | None = None,
        count: int = 1,
        *,
        timeout: float = 5.0,
        org_id: str | None = None,
        body: Any = ANY_BODY,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        user_id: str | None = None,
    ) -> tuple[Call, ...]:
        """:meth:`wait_for` for async tests: awaits without blocking the event loop."""
        __tracebackhide__ = True  # pytest: the failure points at the test's line, not here
        expectation = _waited(operation, count, timeout, method, path, org_id, body, status, user_id)
        deadline = time.monotonic() + timeout
        while True:
            version = self._journal_version()
            found = self._matching(expectation, await self._calls_async(expectation.selection()))
            remaining = deadline - time.monotonic()
            if len(found) >= count or remaining <= 0:
                break
            await self._await_change_async(version, remaining)
        if len(found) >= count:
            return found
        raise _timed_out(expectation, count, timeout, found, await self._calls_async(), "")


def _waited(
    operation: str | None,
    count: int,
    timeout: float,
    method: str | None,
    path: str | None,
    org_id: str | None,
    body: Any,
    status: int | None,
    user_id: str | None,
) -> CallExpectation:
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise FakeError(f"lowcoder-fake: count must be a whole number of 1 or more, got {count!r}")
    if timeout < 0:
        raise FakeError(f"lowcoder-fake: timeout must be 0 or more seconds, got {timeout!r}")
    return CallExpectation(operation, method, path, org_id, body, status, user_id)


def _timed_out(
    expectation: CallExpectation, count: int, timeout: float, found: Sequence[Call], calls: Iterable[Call], hint: str
) -> CallAssertionError:
    wanted = "a call" if count == 1 else f"{count} calls"
    message = f"lowcoder-fake: waited {timeout:g} s for {wanted} of {expectation.describe()}; got {len(found)}"
    if found:
        message += ":\n" + "\n".join(_listed(found))
    else:
        message += ".\n" + near_misses(expectation, calls)
    return CallAssertionError(message + hint)


def strict_report(calls: Iterable[Call], *, hint: str = "") -> str | None:
    """What strict mode objects to: calls that matched no Lowcoder route or failed inside the fake (None: nothing)."""
    wrong = [call for call in calls if call.operation is None or call.fake_error is not None]
    if not wrong:
        return None
    unrouted = sum(1 for call in wrong if call.operation is None)
    failed = len(wrong) - unrouted
    parts = []
    if unrouted:
        parts.append(f"{unrouted} matched no Lowcoder route")
    if failed:
        parts.append(f"{failed} failed inside the fake")
    lines = [f"lowcoder-fake (strict): of the calls made to the fake, {' and '.join(parts)}:"]
    lines.extend("  " + describe_call(call, indent="      ") for call in wrong)
    if unrouted:
        lines.append(
            "A call that matches no route would not be served by a real Lowcoder either: "
            "check its method and path against the README's 'What it serves'."
        )
    if failed:
        lines.append("An error inside the fake is a bug in lowcoder-fake: please report it with the trace above.")
    if hint:
        lines.append(hint)
    return "\n".join(lines)


def check_strict(calls: Iterable[Call], *, hint: str = "") -> None:
    """Raise :class:`StrictModeError` when :func:`strict_report` finds something."""
    __tracebackhide__ = True
    report = strict_report(calls, hint=hint)
    if report is not None:
        raise StrictModeError(report)
