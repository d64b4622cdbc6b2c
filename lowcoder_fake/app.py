"""The aiohttp application: Lowcoder routes, the call pipeline and the control endpoint.

A Lowcoder call goes: read the body → identify the caller → refuse an
anonymous caller on a protected path → route → answer → record in the
journal. Whatever happens, the client gets a Lowcoder-shaped answer and the
call is recorded once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import traceback
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import aiohttp
from aiohttp import hdrs, web
from aiohttp.typedefs import Handler

from lowcoder_fake import control
from lowcoder_fake.api import OPERATION_TABLES
from lowcoder_fake.api.http import (
    FAKE,
    CallState,
    EmptyAnswer,
    JsonAnswer,
    begin_call,
    empty_response,
    error_response,
    json_response,
    parse_body,
)
from lowcoder_fake.api.routing import Operation
from lowcoder_fake.envelope import LowcoderError, error_body
from lowcoder_fake.expect import tolerant_expect
from lowcoder_fake.fake import LowcoderFake
from lowcoder_fake.fault_effects import drop_connection, run_fault
from lowcoder_fake.faults import CallView, FaultRule
from lowcoder_fake.jsondepth import nested_too_deeply
from lowcoder_fake.protocol import MAX_FIELD_BYTES, MAX_LINE_BYTES
from lowcoder_fake.security import identify, is_public

__all__ = ["create_app", "pathless_target_handler"]

_log = logging.getLogger("lowcoder_fake")


def create_app(fake: LowcoderFake) -> web.Application:
    """An aiohttp application serving ``fake``: its Lowcoder API and ``/__fake__``.

    No middleware: each route's handler is wrapped in the pipeline when it is
    added, and a last resource takes every other request target.
    """
    # Bodies over Lowcoder's buffer limit are read as "too large" and answered as
    # Lowcoder does; lines and headers have Netty's limits (see protocol.py).
    app = web.Application(
        client_max_size=fake.behaviours.max_body_bytes,
        # Netty hands Spring the body as sent: no request decompression.
        handler_args={"max_line_size": MAX_LINE_BYTES, "max_field_size": MAX_FIELD_BYTES, "auto_decompress": False},
    )
    app[FAKE] = fake
    for table in OPERATION_TABLES:
        for operation in table:
            if not operation.available(fake.behaviours):
                continue
            serve = _served(fake, operation)
            # Spring serves HEAD wherever it serves GET.
            methods = (operation.method, "HEAD") if operation.method == "GET" else (operation.method,)
            for path in operation.paths():
                for method in methods:
                    app.router.add_route(method, path, serve, expect_handler=tolerant_expect)
    if fake.config.control:
        control.add_routes(app)
    # Last: whatever no route takes, so that it is answered and recorded like any call.
    everything = _AnyTarget(r"/{unrouted:[\s\S]*}")
    app.router.register_resource(everything)
    everything.add_route("*", _unrouted_call(fake), expect_handler=tolerant_expect)
    return app


class _AnyTarget(web.DynamicResource):
    """Matches every request target that has a path, even one without a leading slash
    (``OPTIONS *``), which aiohttp's own resources never match. A target with no path at
    all never reaches the router: see :func:`pathless_target_handler`."""

    def _match(self, path: str) -> dict[str, str]:
        return {"unrouted": path}


async def _unrouted(request: web.Request) -> web.StreamResponse:
    """No route for this call: 405 when the path is known with other methods, else 404
    (the pipeline turns either into Lowcoder's answer)."""
    allowed = set()
    for resource in request.app.router.resources():
        info = resource.get_info()
        pattern, path = info.get("pattern"), info.get("path")
        if (pattern is not None and pattern.fullmatch(request.path)) or path == request.path:
            allowed |= {route.method for route in resource if route.method != "*"}
    if allowed:
        raise web.HTTPMethodNotAllowed(request.method, allowed)
    raise web.HTTPNotFound()


def _served(fake: LowcoderFake, operation: Operation) -> Handler:
    """``operation``'s handler inside the pipeline: answered, faulted and recorded."""
    handler = operation.handler

    async def serve(request: web.Request) -> web.StreamResponse:
        return await _serve_and_record(request, handler, fake, operation)

    return serve


def _unrouted_call(fake: LowcoderFake) -> Handler:
    """The handler of every call that no route takes: the control endpoint's 404/405, or Lowcoder's."""
    control_on = fake.config.control

    async def unrouted(request: web.Request) -> web.StreamResponse:
        if control_on and control.is_control_path(request.path):
            return await control.guarded(request, _unrouted)
        return await _serve_and_record(request, _unrouted, fake, None)

    return unrouted


def pathless_target_handler(fake: LowcoderFake) -> Handler:
    """The handler of a request whose target has no path (``CONNECT host:443``, ``GET http://host``).

    aiohttp's router never sees such a request; the server (see protocol.py) hands it
    here, to be answered as a call that no route takes, and recorded.
    """

    async def pathless(request: web.Request) -> web.StreamResponse:
        return await _serve_and_record(request, _no_route, fake, None)

    return pathless


async def _no_route(request: web.Request) -> web.StreamResponse:
    raise web.HTTPNotFound()


async def _serve_and_record(
    request: web.Request, handler: Handler, fake: LowcoderFake, operation: Operation | None
) -> web.StreamResponse:
    started = time.perf_counter()
    epoch = fake.epoch  # a reset while this call runs makes it part of the old journal (not recorded)
    state = begin_call()
    try:
        state.raw_body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        state.body_unreadable = True
    except (aiohttp.ClientPayloadError, ConnectionError, ValueError):  # a body that ends early or is broken
        state.body_unreadable = True
    if fake.epoch != epoch:  # reset while the body arrived: a call of the old state, dropped like a held one
        drop_connection(request, reset=False)
        return web.Response()
    credentials = identify(request.headers.getall(hdrs.COOKIE, ()), request.headers.get(hdrs.AUTHORIZATION), fake)
    state.caller, state.session_token = credentials.user, credentials.session_token
    state.dead_api_key = credentials.dead_api_key
    path_params: Mapping[str, str] = dict(request.match_info) if operation and request.match_info else _NOTHING
    body = state.parsed_body = _parsed_body(state.raw_body)
    rule = fake.faults.decide(
        CallView(operation.name if operation else None, request.method, request.path, path_params.get("orgId"), body)
    )
    fake_error: str | None = None
    response: web.StreamResponse | None = None
    try:
        if rule is None:
            response = await _answer(request, handler, fake, state)
        else:
            response = await run_fault(
                rule,
                request,
                lambda: _answer(request, handler, fake, state),
                fake.behaviours,
                lambda: fake.epoch == epoch,
            )
    except asyncio.CancelledError:  # the client left and the server cancels handlers: no answer
        if fake.epoch == epoch:
            _record(request, fake, state, operation, path_params, body, None, rule, started, None)
        raise
    except Exception:  # a bug in the fake: answer as Lowcoder would, and keep the trace
        fake_error = traceback.format_exc()
        _log.error("lowcoder-fake: error handling %s %s\n%s", request.method, request.path, fake_error)
        response = error_response("INTERNAL_SERVER_ERROR", fake.behaviours)
    if fake.epoch == epoch:
        _record(request, fake, state, operation, path_params, body, response, rule, started, fake_error)
    # No answer (connection dropped): aiohttp's write to the closed transport fails quietly.
    return response if response is not None else web.Response()


def _record(
    request: web.Request,
    fake: LowcoderFake,
    state: CallState,
    operation: Operation | None,
    path_params: Mapping[str, str],
    body: Any,
    response: web.StreamResponse | None,
    rule: FaultRule | None,
    started: float,
    fake_error: str | None,
) -> None:
    """Journal the call with what the client got (None: no answer)."""
    fake.journal.record(
        operation=operation.name if operation else None,
        method=request.method,
        path=request.path,
        path_params=path_params,
        query=_query(request),
        headers=request.headers,  # read-only and case-insensitive already
        body=body,
        raw_body=state.raw_body.decode("utf-8", "replace"),
        user_id=state.caller.id if state.caller else None,
        status=response.status if response is not None else None,
        response=_recorded_response(request, response) if response is not None else None,
        fault=rule.id if rule else None,
        duration_ms=round((time.perf_counter() - started) * 1_000_000) / 1000,  # to the µs; round(x, 3) is slower
        fake_error=fake_error,
    )


async def _answer(request: web.Request, handler: Handler, fake: LowcoderFake, state: CallState) -> web.StreamResponse:
    if state.dead_api_key:
        return empty_response(200)
    if state.caller is None and not is_public(request.method, request.path, fake.behaviours):
        return empty_response(401)
    try:
        response: web.StreamResponse = await handler(request)
        return response
    except LowcoderError as error:
        return error_response(error.kind.name, fake.behaviours, error.reason)
    except EmptyAnswer as answer:
        return empty_response(answer.status)
    except web.HTTPNotFound:
        return _unknown_route(fake)
    except web.HTTPException:  # wrong method, or anything else the router refuses (*derived*)
        return error_response("INTERNAL_SERVER_ERROR", fake.behaviours)


def _unknown_route(fake: LowcoderFake) -> web.Response:
    """Before 2.4.0 Spring's 404 in Lowcoder's shape; from 2.4.0 500/5000 (*derived*)."""
    if fake.behaviours.unknown_route_is_server_error:
        return error_response("INTERNAL_SERVER_ERROR", fake.behaviours)
    return json_response(error_body(404, "Not Found"), 404)


_NOTHING: Final[Mapping[str, Any]] = MappingProxyType({})  # shared by every call without query or path params


def _query(request: web.Request) -> Mapping[str, str | list[str]]:
    if not request.query_string or not request.query:  # no query string: no parsed query built
        return _NOTHING
    query: dict[str, str | list[str]] = {}
    for key in request.query:
        values = request.query.getall(key)
        query[key] = values[0] if len(values) == 1 else list(values)
    return query


def _parsed_body(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return parse_body(raw)
    except ValueError:
        return None


def _parsed_json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return None if nested_too_deeply(raw, value) else value


def _recorded_response(request: web.Request, response: web.StreamResponse) -> Any:
    """What the client got: parsed JSON, else text, else None (HEAD gets no body)."""
    if type(response) is JsonAnswer and response.parsed is not None:  # most answers: parsed already
        return None if request.method == "HEAD" else response.parsed
    if request.method == "HEAD" or not isinstance(response, web.Response) or not response.body:
        return None
    body = response.body
    raw = body if isinstance(body, bytes) else bytes(body) if isinstance(body, (bytearray, memoryview)) else b""
    parsed = _parsed_json(raw)
    return parsed if parsed is not None else raw.decode("utf-8", "replace")
