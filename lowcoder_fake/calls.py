"""Call records: what the journal keeps of each call, and how calls are selected.

Plain data, no aiohttp and no state: :mod:`lowcoder_fake.journal` keeps the
records, :mod:`lowcoder_fake.assertions` asks questions about them, and
:mod:`lowcoder_fake.client` rebuilds them from the control API's JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from functools import lru_cache
from typing import Any, Final

from multidict import CIMultiDict, CIMultiDictProxy

from lowcoder_fake.errors import InvalidInput
from lowcoder_fake.operations import check_operation

__all__ = ["Call", "CallFilter", "header_map", "joined_headers", "new_call", "path_glob"]


def header_map(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> Mapping[str, str]:
    """Request headers as a read-only, case-insensitive mapping."""
    return CIMultiDictProxy(CIMultiDict(headers))


def joined_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers as a plain dict; the values of a header sent more than once joined by ``, ``."""
    names: dict[str, str] = {}  # lower-case name -> the name as first sent
    joined: dict[str, str] = {}
    for name, value in headers.items():
        key = names.setdefault(name.lower(), name)
        joined[key] = f"{joined[key]}, {value}" if key in joined else value
    return joined


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
    """Case-insensitive (``call.headers["x-request-id"]``); a header sent twice gives its first value."""
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
            "headers": joined_headers(self.headers),
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

    @classmethod
    def from_json(cls, entry: Mapping[str, Any]) -> Call:
        """The record of a journal entry as :meth:`to_json` (and ``GET /__fake__/calls``) gives it."""
        return cls(
            seq=int(entry["seq"]),
            time=datetime.fromisoformat(str(entry["time"]).replace("Z", "+00:00")),
            operation=entry.get("operation"),
            method=str(entry["method"]),
            path=str(entry["path"]),
            path_params=dict(entry.get("pathParams") or {}),
            query=dict(entry.get("query") or {}),
            headers=header_map(entry.get("headers") or {}),
            body=entry.get("body"),
            raw_body=str(entry.get("rawBody") or ""),
            user_id=entry.get("userId"),
            status=entry.get("status"),
            response=entry.get("response"),
            fault=entry.get("fault"),
            duration_ms=float(entry.get("durationMs") or 0.0),
            fake_error=entry.get("fakeError"),
            protocol_error=entry.get("protocolError"),
        )


_CALL_SLOT_SETTERS: Final = tuple(getattr(Call, field.name).__set__ for field in fields(Call))


def new_call(*values: Any) -> Call:
    """A :class:`Call` from all its field values in order, for the journal's hot path
    (``ValueError`` when there are more or fewer).

    It fills the slots directly: Python 3.11's frozen ``__init__`` goes through
    ``object.__setattr__`` for each of the 17 fields, which takes half as long again.
    """
    call = object.__new__(Call)
    for set_slot, value in zip(_CALL_SLOT_SETTERS, values, strict=True):
        set_slot(call, value)
    return call


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

    def __post_init__(self) -> None:
        if self.operation is not None:
            check_operation(self.operation)
        for name in ("since", "limit"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise InvalidInput(name, f"expected a whole number >= 0, got {value!r}")

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
