"""What Lowcoder handlers share: the call's state, answers, and Spring-style body decoding."""

from __future__ import annotations

import json
import math
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Final

from aiohttp import hdrs, web

from lowcoder_fake.envelope import ERRORS, LowcoderError, error_body, success_body
from lowcoder_fake.fake import LowcoderFake
from lowcoder_fake.jsondepth import MAX_DEPTH, nested_too_deeply
from lowcoder_fake.models import User
from lowcoder_fake.versions import Behaviours

__all__ = [
    "FAKE",
    "CallState",
    "EmptyAnswer",
    "JsonAnswer",
    "NumberText",
    "begin_call",
    "boolean_field",
    "call_state",
    "caller",
    "empty_response",
    "envelope_response",
    "error_response",
    "fake_of",
    "json_body",
    "json_object_body",
    "json_response",
    "parse_body",
    "text_field",
]


@dataclass(slots=True)
class CallState:
    """What the fake learned about a call before its handler ran."""

    raw_body: bytes = b""
    parsed_body: Any = None
    """The body as JSON (Jackson's leniency: text after the value ignored), None when it is not."""
    body_unreadable: bool = False
    """Over the buffer limit, or cut short: decoding it fails (500/5000, *derived*)."""
    caller: User | None = None
    session_token: str | None = None
    dead_api_key: bool = False


FAKE: Final = web.AppKey("lowcoder_fake", LowcoderFake)
_CURRENT_CALL: Final[ContextVar[CallState | None]] = ContextVar("lowcoder_fake_call", default=None)


class EmptyAnswer(Exception):
    """Answer with this HTTP status and an empty body (Lowcoder's non-envelope answers)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def fake_of(request: web.Request) -> LowcoderFake:
    return request.app[FAKE]


def begin_call() -> CallState:
    """A fresh state for the call being served (the pipeline calls this first)."""
    state = CallState()
    _CURRENT_CALL.set(state)
    return state


def call_state(request: web.Request) -> CallState:
    """The state of the call being served (each request runs in its own task)."""
    state = _CURRENT_CALL.get()
    if state is None:
        raise RuntimeError(f"lowcoder-fake: no call is being served for {request.path!r}")
    return state


def caller(request: web.Request) -> User:
    """The signed-in user; a protected route never runs without one."""
    user = call_state(request).caller
    if user is None:
        raise EmptyAnswer(401)
    return user


class JsonAnswer(web.Response):
    """A JSON answer that may carry its own parsed form, so the journal need not parse it back."""

    parsed: Any = None


def json_response(
    text: str, status: int = 200, content_type: str = "application/json", parsed: Any = None
) -> JsonAnswer:
    """JSON text with the content type as Spring sends it (no charset parameter)."""
    answer = JsonAnswer(status=status, body=text.encode("utf-8"), content_type=content_type)
    answer.parsed = parsed
    return answer


_SCALARS: Final = (bool, int, str, type(None))
_TRUE_ENVELOPE_BYTES: Final = success_body(True).encode("utf-8")


def envelope_response(data: Any = None) -> JsonAnswer:
    if data is True:  # the most common answer: encoded once; a parsed form of its own for each record
        answer = JsonAnswer(body=_TRUE_ENVELOPE_BYTES, content_type="application/json")
        answer.parsed = {"code": 1, "message": "", "data": True, "success": True}
        return answer
    parsed = None
    if type(data) in _SCALARS:  # cheap to give the parsed form; others are parsed when recorded
        parsed = {"code": 1, "message": ""} | ({} if data is None else {"data": data}) | {"success": True}
    return json_response(success_body(data), parsed=parsed)


def error_response(name: str, behaviours: Behaviours, reason: str = "") -> JsonAnswer:
    kind = ERRORS[name]
    parsed = {"code": kind.code, "message": kind.text(reason), "success": False}
    return json_response(error_body(kind.code, kind.text(reason)), kind.http_status(behaviours), parsed=parsed)


def empty_response(status: int) -> web.Response:
    return web.Response(status=status)


# -- request bodies, decoded as Spring WebFlux + Jackson would -----------------


class NumberText(str):
    """A JSON number kept as its literal text (Jackson gives string fields that text)."""


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON token {name}")


_JSON_WHITESPACE: Final = " \t\r\n"


def _finite_float(text: str) -> float | NumberText:
    """A JSON number as a float, or as its text when a float cannot hold it (``1e999``): the
    journal and the control API then still give valid JSON, never ``Infinity``."""
    value = float(text)
    return value if math.isfinite(value) else NumberText(text)


def _int_or_text(text: str) -> int | NumberText:
    """A JSON integer, or its text when Python refuses to convert that many digits (over 4,300)."""
    try:
        return int(text)
    except ValueError:
        return NumberText(text)


_DECODER: Final = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float, parse_int=_int_or_text)
_LITERAL_DECODER: Final = json.JSONDecoder(
    parse_int=NumberText, parse_float=NumberText, parse_constant=_refuse_constant
)


def parse_body(raw: bytes, decoder: json.JSONDecoder = _DECODER) -> Any:
    """``raw`` as Jackson reads a request body: UTF-8 (a BOM skipped), one JSON value, the rest
    ignored; NaN and Infinity refused. Raises ``ValueError`` when it is not JSON, or is nested
    too deeply for the fake (see :mod:`lowcoder_fake.jsondepth`)."""
    try:
        text = raw.decode("utf-8")  # the C codec; "utf-8-sig" is Python code, slower on every call
        if text.startswith("\ufeff"):
            text = text[1:]
        start = len(text) - len(text.lstrip(_JSON_WHITESPACE))
        if start == len(text):
            raise ValueError("no request body")
        value, _ = decoder.raw_decode(text, start)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if nested_too_deeply(text, value):
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
    return value


def _has_numbers(value: Any) -> bool:
    """True when the decoded JSON ``value`` holds a number anywhere (booleans are not numbers).

    JSON decodes to exact types only, so ``type(...) is`` tests suffice (this runs on every JSON body).
    """
    kind = type(value)
    if kind is dict:
        items: Any = value.values()
    elif kind is list:
        items = value
    else:
        return kind is int or kind is float
    for item in items:
        kind = type(item)
        if kind is int or kind is float:
            return True
        if (kind is dict or kind is list) and _has_numbers(item):
            return True
    return False


def _is_json_type(content_type: str) -> bool:
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def json_body(request: web.Request, reason: str) -> Any:
    """The call's JSON body, or the error Lowcoder gives for it.

    A body that is not JSON by its content type (or has none while not
    empty) is 500/5000; a missing, empty or malformed body 500/5002 with
    ``reason``; a body over the buffer limit 500/5000 (*derived*). Text
    after the first JSON value is ignored, as Jackson does. Numbers come back
    as :class:`NumberText`.
    """
    state = call_state(request)
    sent_type = request.headers.get(hdrs.CONTENT_TYPE)
    if sent_type is not None:
        # The usual "application/json" needs no parsing; anything else is parsed by aiohttp.
        if sent_type != "application/json" and not _is_json_type(request.content_type):
            raise LowcoderError.named("INTERNAL_SERVER_ERROR")
    elif state.raw_body or state.body_unreadable:
        raise LowcoderError.named("INTERNAL_SERVER_ERROR")
    if state.body_unreadable:
        raise LowcoderError.named("INTERNAL_SERVER_ERROR")
    value = state.parsed_body  # parsed once per call by the pipeline
    if value is None:
        raise LowcoderError.named("INVALID_PARAMETER", reason)
    if _has_numbers(value):  # parse again, keeping each number's literal text
        return parse_body(state.raw_body, _LITERAL_DECODER)
    return value


def json_object_body(request: web.Request, reason: str) -> dict[str, Any]:
    """The call's JSON body, which must be an object (anything else is 500/5002)."""
    body = json_body(request, reason)
    if not isinstance(body, dict):
        raise LowcoderError.named("INVALID_PARAMETER", reason)
    return body


def text_field(body: dict[str, Any], name: str, reason: str) -> str | None:
    """A string field as Jackson reads it: numbers and booleans become their text."""
    value = body.get(name)
    if value is None or isinstance(value, str):
        return None if value is None else str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    raise LowcoderError.named("INVALID_PARAMETER", reason)


_TRUE_TEXTS: Final = ("true", "True", "TRUE")
_FALSE_TEXTS: Final = ("false", "False", "FALSE", "")


def boolean_field(body: dict[str, Any], name: str, reason: str) -> bool:
    """A boolean field as Jackson reads it: ``true``/``"true"``, ``0``/``1``; others are 500/5002."""
    value = body.get(name)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, NumberText):
        if value.lstrip("-").isdigit():
            return value.lstrip("-").strip("0") != ""  # not int(value): any number of digits
        raise LowcoderError.named("INVALID_PARAMETER", reason)
    if isinstance(value, str) and value in _TRUE_TEXTS + _FALSE_TEXTS:
        return value in _TRUE_TEXTS
    raise LowcoderError.named("INVALID_PARAMETER", reason)
