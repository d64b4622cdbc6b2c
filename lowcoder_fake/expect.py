"""The ``Expect`` header, handled without aiohttp's text error page."""

from __future__ import annotations

from aiohttp import hdrs, web

__all__ = ["tolerant_expect"]


async def tolerant_expect(request: web.Request) -> None:
    """``Expect: 100-continue`` gets its interim answer; any other expectation is ignored
    and the call served as usual (instead of aiohttp's text 417 page)."""
    if request.version >= (1, 1) and request.headers.get(hdrs.EXPECT, "").lower() == "100-continue":
        await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
