"""The journal: every call made to the fake's Lowcoder API, as frozen records.

Plain Python, no aiohttp. Readers get snapshots (tuples of frozen
:class:`Call` records), never the live list.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

__all__ = ["Call", "CallFilter", "Journal", "path_glob"]


@dataclass(frozen=True, slots=True)
class Call:
    """One recorded call: what the client sent and what it got back."""

    seq: int
    time: datetime
    operation: str | None
    method: str
    path: str
    path_params: Mapping[str, str]
    query: Mapping[str, str | list[str]]
    headers: Mapping[str, str]
    body: Any
    raw_body: str
    user_id: str | None
    status: int | None
    response: Any
    fault: str | None
    duration_ms: float
    fake_error: str | None = None
    protocol_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The journal-entry contract: camelCase keys, ``time`` as ISO 8601 UTC."""
        return {
            "seq": self.seq,
            "time": self.time.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
            "pathParams": dict(self.path_params),
            "query": dict(self.query),
            "headers": dict(self.headers),
            "body": self.body,
            "rawBody": self.raw_body,
            "userId": self.user_id,
            "status": self.status,
            "response": self.response,
            "fault": self.fault,
            "durationMs": self.duration_ms,
            "fakeError": self.fake_error,
            "protocolError": self.protocol_error,
        }


@lru_cache(maxsize=256)
def path_glob(pattern: str) -> re.Pattern[str]:
    """A path pattern where ``*`` stands for one path segment and ``**`` for any rest."""
    parts = []
    for piece in re.split(r"(\*\*|\*)", pattern):
        if piece == "**":
            parts.append(".*")
        elif piece == "*":
            parts.append("[^/]+")
        else:
            parts.append(re.escape(piece))
    return re.compile("^" + "".join(parts) + "$")


@dataclass(frozen=True, slots=True)
class CallFilter:
    """Which calls to select; every given part must match."""

    operation: str | None = None
    method: str | None = None
    path: str | None = None
    org_id: str | None = None
    since: int | None = None
    limit: int | None = None

    def matches(self, call: Call) -> bool:
        """True when ``call`` meets every given condition (``limit`` aside)."""
        if self.operation is not None and call.operation != self.operation:
            return False
        if self.method is not None and call.method != self.method.upper():
            return False
        if self.path is not None and not path_glob(self.path).match(call.path):
            return False
        if self.org_id is not None and call.path_params.get("orgId") != self.org_id:
            return False
        return self.since is None or call.seq > self.since


class Journal:
    """Recorded calls, numbered 1, 2, 3… without gaps, in the order they finished."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._next_seq = 1

    def record(self, **fields: Any) -> Call:
        """Append a call; ``seq`` and ``time`` (if absent) are filled in here."""
        with self._lock:
            fields.setdefault("time", datetime.now(timezone.utc))
            call = Call(seq=self._next_seq, **fields)
            self._next_seq += 1
            self._calls.append(call)
            return call

    def calls(self, selection: CallFilter | None = None) -> tuple[Call, ...]:
        """The recorded calls, oldest first, optionally filtered (snapshot)."""
        with self._lock:
            calls: Iterable[Call] = tuple(self._calls)
        if selection is None:
            return tuple(calls)
        chosen = tuple(call for call in calls if selection.matches(call))
        return chosen if selection.limit is None else chosen[: selection.limit]

    def clear(self) -> None:
        """Forget every call; numbering goes on from 1 again."""
        with self._lock:
            self._calls.clear()
            self._next_seq = 1

    def __len__(self) -> int:
        with self._lock:
            return len(self._calls)
