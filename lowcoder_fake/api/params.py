"""Query parameters as Spring converts them for a Lowcoder handler (``@RequestParam``).

A value that does not convert is Lowcoder's 500/5002 with a reason naming the
Java parameter and its handler, e.g. ``pageNum' : OrganizationController.getOrgMembers``.
"""

from __future__ import annotations

import re
from typing import Final

from aiohttp import web

from lowcoder_fake.envelope import LowcoderError

__all__ = ["boolean_param", "int_param", "text_param"]

_INT_MIN: Final = -(2**31)
_INT_MAX: Final = 2**31 - 1
_HEX: Final = re.compile(r"(-?)(?:0[xX]|#)([0-9a-fA-F]+)")
_DECIMAL: Final = re.compile(r"[+-]?\d+")
_TRUE: Final = frozenset({"true", "on", "yes", "1"})
_FALSE: Final = frozenset({"false", "off", "no", "0"})


def _first(request: web.Request, name: str) -> str | None:
    """The first value (Spring converts a repeated parameter to a number or boolean from its first)."""
    values = request.query.getall(name, [])
    return values[0] if values else None


def text_param(request: web.Request, name: str) -> str | None:
    """A Java ``String``, or None when absent; a repeated parameter reads as its values joined by commas."""
    values = request.query.getall(name, [])
    return ",".join(values) if values else None


def int_param(request: web.Request, name: str, default: int, reason: str) -> int:
    """A Java ``int`` with a default: missing or empty gives the default.

    Spring strips all whitespace, reads ``0x``/``#`` as hex and anything else
    as a decimal (``NumberUtils.parseNumber``); outside the ``int`` range fails.
    """
    text = _first(request, name)
    if text is None or text == "":
        return default
    compact = "".join(char for char in text if not char.isspace())
    hex_match = _HEX.fullmatch(compact)
    if hex_match is not None:
        value = int(hex_match.group(2), 16) * (-1 if hex_match.group(1) else 1)
    elif _DECIMAL.fullmatch(compact):
        value = int(compact)
    else:
        raise LowcoderError.named("INVALID_PARAMETER", reason)
    if not _INT_MIN <= value <= _INT_MAX:
        raise LowcoderError.named("INVALID_PARAMETER", reason)
    return value


def boolean_param(request: web.Request, name: str, reason: str) -> bool | None:
    """A Java ``Boolean`` without a default: true/on/yes/1, false/off/no/0 (any case), else 5002."""
    text = _first(request, name)
    if text is None or text.strip() == "":
        return None
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise LowcoderError.named("INVALID_PARAMETER", reason)
