"""Calls as text for people: one line per call, details below, secrets masked.

Used by assertion failures, strict-mode failures and the journal section of
a failed test's report. Anything that may carry a secret — password and
token fields, ``Cookie`` and ``Authorization`` headers — is shown as ``***``;
cookie names stay visible, so a missing cookie can still be told from a
wrong one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from lowcoder_fake.calls import Call

__all__ = [
    "MASK",
    "call_line",
    "describe_call",
    "format_journal",
    "is_secret_name",
    "masked",
    "masked_headers",
    "masked_protocol_error",
]

MASK: Final = "***"

_SECRET_NAME: Final = re.compile(
    r"password|passwd|pwd|secret|token|api[-_]?key|authorization|cookie(?!name)|credential", re.I
)
_SECRET_IN_TEXT: Final = re.compile(
    r"""(?P<key>["']?[\w-]*(?:password|passwd|pwd|secret|token|api[-_]?key)[\w-]*["']?\s*[:=]\s*)"""
    r"""(?P<value>"(?:[^"\\]|\\.)*"|'[^']*'|[^\s,&;}]+)""",
    re.I,
)
#: Request headers not worth a line in a report (the transport's, not the client's intent).
_QUIET_HEADERS: Final = frozenset(
    {"host", "content-length", "accept", "accept-encoding", "connection", "user-agent", "keep-alive"}
)
_MAX_TEXT: Final = 400
_MAX_TRACE_LINES: Final = 12


def is_secret_name(name: str) -> bool:
    """True for a field, header or query name that may carry a secret (``password``, ``token``…)."""
    return bool(_SECRET_NAME.search(name))


def masked(value: Any) -> Any:
    """A copy of a JSON value with the values of secret-named keys replaced by ``***``."""
    if isinstance(value, Mapping):
        return {key: MASK if is_secret_name(str(key)) else masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [masked(item) for item in value]
    if isinstance(value, str):
        return _masked_text(value)
    return value


def _masked_text(text: str) -> str:
    return _SECRET_IN_TEXT.sub(lambda found: found.group("key") + MASK, text)


def _masked_cookie(header: str) -> str:
    pairs = []
    for pair in header.split(";"):
        name, sep, _ = pair.partition("=")
        pairs.append(f"{name.strip()}={MASK}" if sep else MASK)  # a value without a name is a secret too
    return "; ".join(pairs)


#: A piece of the request that a parser's message quotes (``b'...'``): it may be any header's value.
_QUOTED_BYTES: Final = re.compile(r"b'(?:[^'\\]|\\.)*'" + "|" + r'b"(?:[^"\\]|\\.)*"')


def masked_protocol_error(message: str) -> str:
    """A parser's message about a broken request, with what it quotes of the request masked
    (the quote may be a cookie or a token without its header's name)."""
    return _masked_text(_QUOTED_BYTES.sub(f"b'{MASK}'", message))


def masked_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Request headers with secrets masked: cookie values, the credentials of ``Authorization``."""
    shown: dict[str, str] = {}
    for name, value in headers.items():
        lower = name.lower()
        if lower == "cookie":
            shown[name] = _masked_cookie(value)
        elif lower in ("authorization", "proxy-authorization"):
            scheme, _, credentials = value.partition(" ")
            shown[name] = f"{scheme} {MASK}" if credentials else MASK
        elif is_secret_name(name):
            shown[name] = MASK
        else:
            shown[name] = value
    return shown


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + f"… ({len(text)} characters)"


def call_line(call: Call) -> str:
    """One line: ``#3 PUT /api/organizations/…/update -> 200 updateOrganization``, and what was odd."""
    query = "&".join(
        f"{key}={MASK if is_secret_name(key) else value}" for key, value in masked(dict(call.query)).items()
    )
    target = call.path + (f"?{query}" if query else "") if call.method else "(unparseable request)"
    status = "no answer" if call.status is None else str(call.status)
    operation = call.operation or "(no Lowcoder route)"
    line = f"#{call.seq} {call.method} {target} -> {status} {operation}".replace("  ", " ")
    notes = []
    if call.user_id is not None:
        notes.append(f"user {call.user_id}")
    if call.fault is not None:
        notes.append(f"fault {call.fault}")
    if call.fake_error is not None:
        notes.append("ERROR INSIDE THE FAKE")
    if call.protocol_error is not None:
        notes.append(f"unparseable: {masked_protocol_error(call.protocol_error)}")
    return line + (f" [{', '.join(notes)}]" if notes else "")


def describe_call(call: Call, *, indent: str = "    ") -> str:
    """The call's line, then what the client sent and got (secrets masked) and any trace of a fake error."""
    lines = [call_line(call)]
    headers = {k: v for k, v in masked_headers(call.headers).items() if k.lower() not in _QUIET_HEADERS}
    if headers:
        lines.append(indent + "headers: " + "; ".join(f"{name}: {value}" for name, value in headers.items()))
    if call.body is not None:
        lines.append(indent + "body: " + _short(masked(call.body)))
    elif call.raw_body:
        lines.append(indent + "raw body (not JSON): " + _short(_masked_text(call.raw_body)))
    if call.response is not None:
        lines.append(indent + "response: " + _short(masked(call.response)))
    if call.fake_error:
        trace = call.fake_error.rstrip().splitlines()[-_MAX_TRACE_LINES:]
        lines.append(indent + "error inside the fake:")
        lines.extend(indent + "  " + line for line in trace)
    return "\n".join(lines)


def format_journal(calls: Iterable[Call]) -> str:
    """Every call, described (for the journal section of a failed test's report)."""
    described = [describe_call(call) for call in calls]
    if not described:
        return "No calls were recorded."
    return "\n".join(described)
