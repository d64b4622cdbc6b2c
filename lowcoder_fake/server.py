"""FakeServer: one fake Lowcoder on a real socket, on the caller's loop or in a thread.

async with FakeServer() as server:        # on the running event loop
    ...server.url...

with FakeServer() as server:              # in a background thread, for sync code
    ...server.url...
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import threading
from concurrent.futures import Future
from types import TracebackType
from typing import Any

from aiohttp import web

from lowcoder_fake.app import create_app, pathless_target_handler
from lowcoder_fake.errors import FakeError
from lowcoder_fake.fake import FakeConfig, LowcoderFake
from lowcoder_fake.protocol import LowcoderAppRunner

__all__ = ["FakeServer"]

_SHUTDOWN_TIMEOUT_S = 1.0


class FakeServer:
    """A running fake: ``url``, and its state, journal and settings as ``fake``.

    ``port=0`` (the default) takes a free port; ``url`` tells which.
    """

    def __init__(self, config: FakeConfig | None = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.fake = LowcoderFake(config)
        if not _is_loopback(host) and self.fake.config.control and self.fake.config.control_token is None:
            raise FakeError(
                f"lowcoder-fake: host {host!r} is reachable from other machines; give a control token "
                "(--control-token TOKEN) or turn the control endpoint off (--no-control)"
            )
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._thread_loop: asyncio.AbstractEventLoop | None = None

    @property
    def url(self) -> str:
        """``http://host:port`` without a trailing slash; only while running."""
        if self._runner is None:
            raise FakeError("lowcoder-fake: the server is not running, so it has no URL yet")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._runner is not None

    # -- on the caller's loop ---------------------------------------------------

    async def start(self) -> None:
        """Listen on ``host:port``; raises :class:`FakeError` if started already or the port is taken."""
        if self._runner is not None:
            raise FakeError(f"lowcoder-fake: the server is running already at {self.url}")
        runner = LowcoderAppRunner(
            create_app(self.fake),
            self.fake,
            pathless_target_handler(self.fake),
            access_log=None,
            shutdown_timeout=_SHUTDOWN_TIMEOUT_S,
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError as error:
            await runner.cleanup()
            if error.errno == errno.EADDRINUSE:
                raise FakeError(
                    f"lowcoder-fake: port {self.port} on {self.host} is taken; "
                    "choose another with --port (0 picks a free one)"
                ) from None
            raise FakeError(f"lowcoder-fake: cannot listen on {self.host}:{self.port}: {error.strerror}") from None
        self._runner = runner
        self.port = _bound_port(runner, self.port)

    async def stop(self) -> None:
        """Stop listening and close open connections (idempotent)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            self.fake.drop_calls_in_flight()  # held calls end now instead of at the shutdown timeout
            await runner.cleanup()

    async def __aenter__(self) -> FakeServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- in a background thread ---------------------------------------------------

    def start_in_thread(self) -> None:
        """Run the server on its own event loop in a daemon thread; returns once it listens."""
        if self._thread is not None or self._runner is not None:
            raise FakeError("lowcoder-fake: the server is running already")
        started: Future[None] = Future()
        self._thread = threading.Thread(
            target=self._serve_in_thread, args=(started,), name="lowcoder-fake", daemon=True
        )
        self._thread.start()
        try:
            started.result()
        except BaseException:
            self._thread.join()
            self._thread = None
            raise

    def _serve_in_thread(self, started: Future[None]) -> None:
        loop = asyncio.new_event_loop()
        self._thread_loop = loop
        try:
            loop.run_until_complete(self.start())
        except BaseException as error:
            started.set_exception(error)
            loop.close()
            return
        started.set_result(None)
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self.stop())
            loop.close()

    def stop_thread(self) -> None:
        """Stop a server started with :meth:`start_in_thread` (idempotent)."""
        thread, loop = self._thread, self._thread_loop
        if thread is None or loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        self._thread = self._thread_loop = None

    def __enter__(self) -> FakeServer:
        self.start_in_thread()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop_thread()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bound_port(runner: web.AppRunner, requested: int) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            port: Any = address[1]
            return int(port)
    return requested
