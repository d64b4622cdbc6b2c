"""The journal: every call made to the fake's Lowcoder API, as frozen records.

Plain Python, no aiohttp. Readers get snapshots (tuples of frozen
:class:`~lowcoder_fake.calls.Call` records), never the live list. The recorded-call assertions
(``assert_called``, ``assert_not_called``, ``wait_for``…) come from
:class:`lowcoder_fake.assertions.CallAssertions`.
"""

from __future__ import annotations

import asyncio
import threading
import time as _time
from collections import deque
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, Final, cast

from lowcoder_fake.assertions import CallAssertions
from lowcoder_fake.calls import Call, CallFilter, new_call, path_glob
from lowcoder_fake.errors import FakeError

__all__ = ["DEFAULT_LIMIT", "Call", "CallFilter", "Journal", "path_glob"]


DEFAULT_LIMIT: Final = 10_000
MAX_LIMIT: Final = 1_000_000_000  # far beyond memory at ~2 KB an entry; the deque cannot take more than sys.maxsize


class Journal(CallAssertions):
    """Recorded calls, numbered 1, 2, 3… without gaps, in the order they finished.

    It keeps the newest ``limit`` calls: when full, the oldest is dropped and
    counted in :attr:`dropped`, so a long run stays flat in memory. A call is
    kept as a plain tuple of its fields until it is first read, when its
    :class:`Call` record is built (recording is on every call's path).
    Thread-safe: the server records on its loop while a test reads, asserts
    or waits from its own thread or event loop.
    """

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise FakeError(
                f"lowcoder-fake: the journal limit must be a whole number from 1 to {MAX_LIMIT}, got {limit!r}"
            )
        self._limit = limit
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._calls: deque[Call | tuple[Any, ...]] = deque(maxlen=limit)
        self._unbuilt = 0  # how many of the newest entries are still tuples
        self._dropped = 0
        self._next_seq = 1
        self._version = 0  # counts records and clears, for waiters
        self._threads_waiting = 0  # in _await_change: no waiter, no notify (it is on every record)
        self._wakers: set[Callable[[], None]] = set()

    def record(
        self,
        *,
        operation: str | None,
        method: str,
        path: str,
        path_params: Mapping[str, str],
        query: Mapping[str, str | list[str]],
        headers: Mapping[str, str],
        body: Any,
        raw_body: str,
        user_id: str | None,
        status: int | None,
        response: Any,
        fault: str | None,
        duration_ms: float,
        fake_error: str | None = None,
        protocol_error: str | None = None,
        time: datetime | None = None,
    ) -> int:
        """Append a call and give back its ``seq``; ``time`` is now unless given."""
        when = _time.time() if time is None else time  # a float until the record is built: cheaper than now()
        with self._lock:
            seq = self._next_seq
            self._next_seq += 1
            if len(self._calls) == self._limit:
                self._dropped += 1
            self._calls.append(
                (seq, when, operation, method, path, path_params, query, headers, body, raw_body,
                 user_id, status, response, fault, duration_ms, fake_error, protocol_error)
            )  # fmt: skip
            self._unbuilt += 1
            self._changed_locked()
            return seq

    def _changed_locked(self) -> None:
        self._version += 1
        if self._threads_waiting:
            self._changed.notify_all()
        for wake in self._wakers:
            wake()

    def calls(self, selection: CallFilter | None = None) -> tuple[Call, ...]:
        """The recorded calls, oldest first, optionally filtered (snapshot)."""
        with self._lock:
            self._build_locked()
            calls = cast(tuple[Call, ...], tuple(self._calls))  # all built now
        if selection is None:
            return tuple(calls)
        chosen = tuple(call for call in calls if selection.matches(call))
        return chosen if selection.limit is None else chosen[: selection.limit]

    @property
    def limit(self) -> int:
        """How many calls the journal keeps (set when it is made)."""
        return self._limit

    def _build_locked(self) -> None:
        """Turn the newest entries, kept as tuples so far, into :class:`Call` records."""
        calls = self._calls
        for index in range(-min(self._unbuilt, len(calls)), 0):
            entry = calls[index]
            if isinstance(entry, tuple):
                seq, when, *rest = entry
                if isinstance(when, float):
                    when = datetime.fromtimestamp(when, timezone.utc)
                calls[index] = new_call(seq, when, *rest)
        self._unbuilt = 0

    @property
    def dropped(self) -> int:
        """How many of the oldest calls were dropped to stay within :attr:`limit` (since the last clear)."""
        with self._lock:
            return self._dropped

    def clear(self) -> None:
        """Forget every call; numbering goes on from 1 again."""
        with self._lock:
            self._calls.clear()
            self._unbuilt = 0
            self._dropped = 0
            self._next_seq = 1
            self._changed_locked()

    def __len__(self) -> int:
        with self._lock:
            return len(self._calls)

    # -- what CallAssertions waits with ---------------------------------------------

    def _journal_version(self) -> int:
        with self._lock:
            return self._version

    def _await_change(self, version: int, timeout: float) -> None:
        with self._changed:
            self._threads_waiting += 1
            try:
                self._changed.wait_for(lambda: self._version != version, timeout)
            finally:
                self._threads_waiting -= 1

    async def _await_change_async(self, version: int, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        changed = asyncio.Event()

        def wake() -> None:  # called under the journal's lock, from whichever thread records
            loop.call_soon_threadsafe(changed.set)

        with self._lock:
            if self._version != version:
                return
            self._wakers.add(wake)
        try:
            await asyncio.wait_for(changed.wait(), timeout)
        except asyncio.TimeoutError:
            return
        finally:
            with self._lock:
                self._wakers.discard(wake)
