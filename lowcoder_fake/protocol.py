"""Requests too broken to parse: answered as Lowcoder's Netty server does, and recorded.

aiohttp answers an unparseable request itself, with a text error page and a
logged traceback, before any handler runs. Lowcoder's reactor-netty server
answers with an empty body and closes the connection: 414 for a request line
over 4096 bytes, 431 for a header over 8192 bytes, 400 for anything else
(*derived* from reactor-netty's defaults). This module swaps in a request
handler that does that, and records the call in the journal.

It leans on two aiohttp internals (``AppRunner._make_server`` and
``RequestHandler.handle_error``); tests/test_protocol.py fails if they change.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any, Final

from aiohttp import web
from aiohttp.http_exceptions import LineTooLong
from aiohttp.typedefs import Handler
from aiohttp.web_protocol import RequestHandler

from lowcoder_fake.control import is_control_path
from lowcoder_fake.fake import LowcoderFake

__all__ = ["MAX_FIELD_BYTES", "MAX_LINE_BYTES", "LowcoderAppRunner"]

#: reactor-netty's limits: the initial line, and a header.
MAX_LINE_BYTES: Final = 4096
MAX_FIELD_BYTES: Final = 8192

_log = logging.getLogger("lowcoder_fake")


def _status_for(error: BaseException | None, status: int) -> int:
    if isinstance(error, LineTooLong) and len(error.args) > 1:
        return 414 if error.args[1] == MAX_LINE_BYTES else 431
    return 400 if status < 500 else status


class _NettyLikeHandler(RequestHandler):
    """aiohttp's connection handler, answering parse failures with an empty body."""

    __slots__ = ()

    def handle_error(
        self,
        request: Any,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        answer = _status_for(exc, status)
        _log.debug("lowcoder-fake: unparseable request answered %s: %s", answer, message or exc)
        manager = self._manager
        parsed = request is not None and getattr(request, "method", "UNKNOWN") != "UNKNOWN"
        path = request.path if parsed else ""
        if isinstance(manager, _LowcoderServer) and not is_control_path(path):
            manager.fake.journal.record(
                operation=None,
                method=request.method if parsed else "",
                path=path,
                path_params={},
                query={},
                headers={},
                body=None,
                raw_body="",
                user_id=None,
                status=answer,
                response=None,
                fault=None,
                duration_ms=0.0,
                protocol_error=str(message or exc or "bad request"),
            )
        response = web.Response(status=answer)
        response.force_close()
        return response


class _LowcoderServer(web.Server):
    """aiohttp's low-level server, making :class:`_NettyLikeHandler` connections."""

    fake: LowcoderFake

    def __call__(self) -> RequestHandler:
        handler = super().__call__()
        handler.__class__ = _NettyLikeHandler
        return handler


class LowcoderAppRunner(web.AppRunner):
    """An ``AppRunner`` whose connections answer unparseable requests like Lowcoder, and hand
    a request whose target has no path (which aiohttp's router cannot take) to ``pathless``."""

    def __init__(self, app: web.Application, fake: LowcoderFake, pathless: Handler, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._fake = fake
        self._pathless = pathless

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.__class__ = _LowcoderServer
        assert isinstance(server, _LowcoderServer)
        server.fake = self._fake
        routed, pathless = server.request_handler, self._pathless

        def handle(request: web.BaseRequest) -> Awaitable[web.StreamResponse]:  # no coroutine of its own per call
            if request.rel_url.path_safe:
                return routed(request)
            return pathless(request)  # type: ignore[arg-type]  # a web.Request: the app made it

        server.request_handler = handle
        return server
