"""JSON text written the way Lowcoder's Jackson writes it: compact, UTF-8, in key order.

Jackson may write the same key twice (``GET /api/configs`` really sends
``authType`` twice); a :class:`RepeatedKeys` object keeps such pairs.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any, Final

__all__ = ["RepeatedKeys", "dumps", "with_finite_numbers"]

_encode_scalar = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode

#: A surrogate left alone in a string (a JSON ``\ud800`` escape without its pair).
_LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")


class RepeatedKeys:
    """A JSON object given as ``(key, value)`` pairs, duplicates allowed."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: Iterable[tuple[str, Any]]) -> None:
        self.pairs = tuple(pairs)


def _contains_repeated(value: Any) -> bool:
    if isinstance(value, RepeatedKeys):
        return True
    if isinstance(value, dict):
        return any(_contains_repeated(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(_contains_repeated(item) for item in value)
    return False


def _write(value: Any) -> str:
    if isinstance(value, RepeatedKeys):
        return "{" + ",".join(f"{_encode_scalar(key)}:{_write(item)}" for key, item in value.pairs) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_encode_scalar(key)}:{_write(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_write(item) for item in value) + "]"
    return _encode_scalar(value)


def _escape_surrogate(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04X}"


def dumps(value: Any) -> str:
    """``value`` as compact JSON text: non-ASCII kept as is, lone surrogates escaped
    (so the text is valid UTF-8, as Jackson's is), infinities and NaN as strings."""
    try:
        text = _write(value) if _contains_repeated(value) else _encode_scalar(value)
    except ValueError:  # a float JSON cannot write
        return dumps(with_finite_numbers(value))
    return _LONE_SURROGATE.sub(_escape_surrogate, text)


_NON_FINITE_TEXT: Final = {math.inf: "Infinity", -math.inf: "-Infinity"}


def with_finite_numbers(value: Any) -> Any:
    """A copy of ``value`` with each infinite or NaN float as the string Jackson writes for it
    (``"Infinity"``, ``"-Infinity"``, ``"NaN"``): JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return _NON_FINITE_TEXT.get(value, "NaN")
    if isinstance(value, RepeatedKeys):
        return RepeatedKeys((key, with_finite_numbers(item)) for key, item in value.pairs)
    if isinstance(value, dict):
        return {key: with_finite_numbers(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [with_finite_numbers(item) for item in value]
    return value
