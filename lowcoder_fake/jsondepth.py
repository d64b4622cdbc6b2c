"""How deeply nested a JSON value the fake takes.

Python walks JSON recursively (decoding, comparing, masking, encoding), and
the interpreter's recursion limit (1,000 frames, some already in use) would be
hit by a value nested a few hundred levels deep. The fake therefore refuses
anything nested deeper than :data:`MAX_DEPTH` as it refuses malformed JSON:
a Lowcoder call gets Lowcoder's answer for a body it cannot decode, a control
call a 400. Lowcoder's Jackson takes deeper values (*derived*: no real payload
comes near the limit).
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["MAX_DEPTH", "json_depth", "nested_too_deeply"]

MAX_DEPTH: Final = 200


def nested_too_deeply(text: str | bytes, value: Any) -> bool:
    """True when ``value``, decoded from ``text``, nests objects and arrays deeper than :data:`MAX_DEPTH`."""
    if len(text) <= MAX_DEPTH:  # too short to hold that many brackets
        return False
    openings = text.count("[") + text.count("{") if isinstance(text, str) else text.count(b"[") + text.count(b"{")
    return openings > MAX_DEPTH and json_depth(value) > MAX_DEPTH


def json_depth(value: Any) -> int:
    """How deeply objects and arrays nest in ``value``: 0 for a scalar, 1 for ``{}`` or ``[1]``.

    A loop, not recursion: it must work for any depth a decoder produced.
    """
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in children)
    return deepest
