"""Carrying out a fault rule's effect on a live aiohttp request.

:func:`run_fault` returns the response to send, or None when the client gets
no answer (the connection was reset or closed, or the client left while held).
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import Awaitable, Callable
from typing import Final

from aiohttp import web

from lowcoder_fake import jsontext
from lowcoder_fake.api.http import error_response, json_response
from lowcoder_fake.faults import FaultRule
from lowcoder_fake.versions import Behaviours

__all__ = ["MALFORMED_BODY", "drop_connection", "run_fault"]

#: What a ``malformed`` rule answers: the start of a success envelope, cut off.
MALFORMED_BODY: Final = '{"code":1,"message":"","data":tru'

_HOLD_POLL_S: Final = 0.02


async def run_fault(
    rule: FaultRule,
    request: web.Request,
    answer: Callable[[], Awaitable[web.StreamResponse]],
    behaviours: Behaviours,
    still_current: Callable[[], bool],
) -> web.StreamResponse | None:
    """The answer under ``rule``: ``answer()`` is the normal handling of the call.

    Phase ``after`` handles the call first (its changes stay), then fails the reply.
    A call that waited (``delayMs``, ``hang``) and whose client left, or whose
    fake was reset meanwhile (``still_current()`` is false), is dropped: it
    changes nothing more and gets no answer.
    """
    applied = await answer() if rule.phase == "after" else None
    if rule.delay_ms:
        await asyncio.sleep(rule.delay_ms / 1000)
    if rule.effect == "hang":
        await _held_until_released(rule, request, still_current)
    if (rule.delay_ms or rule.effect == "hang") and (_client_gone(request) or not still_current()):
        drop_connection(request, reset=False)
        return None
    if rule.effect in ("delay", "hang"):
        return applied if applied is not None else await answer()
    if rule.effect == "error":
        assert rule.error is not None
        return error_response(rule.error, behaviours, rule.reason)
    if rule.effect == "status":
        return _scripted_response(rule)
    if rule.effect == "malformed":
        return json_response(MALFORMED_BODY)
    drop_connection(request, reset=rule.effect == "reset")
    return None


def _scripted_response(rule: FaultRule) -> web.Response:
    assert rule.status is not None
    headers = dict(rule.headers)
    if not rule.has_body:
        return web.Response(status=rule.status, headers=headers)
    if isinstance(rule.body, str):
        headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        text = rule.body
    else:
        headers.setdefault("Content-Type", "application/json")
        text = jsontext.dumps(rule.body)
    return web.Response(status=rule.status, body=text.encode("utf-8"), headers=headers)


def _client_gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


async def _held_until_released(rule: FaultRule, request: web.Request, still_current: Callable[[], bool]) -> None:
    """Wait for a release of ``rule``, the client leaving, or a reset of the fake."""
    releases = rule.releases
    while rule.releases == releases and still_current() and not _client_gone(request):
        await asyncio.sleep(_HOLD_POLL_S)


def drop_connection(request: web.Request, *, reset: bool) -> None:
    """Close the client's connection: with an RST (``reset``) or a plain FIN."""
    transport = request.transport
    if transport is None:
        return
    if reset:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    else:
        transport.close()
