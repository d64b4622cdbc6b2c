"""The control endpoint ``/__fake__``: a thin JSON layer over the fake's Python API.

Control calls are never journaled. A bad control call gets 400 with a
message naming the field, and changes nothing.
"""

from __future__ import annotations

import hmac
import json
import logging
import math
import traceback
from typing import Any, Final

import aiohttp
from aiohttp import hdrs, web
from aiohttp.typedefs import Handler

from lowcoder_fake.api.http import FAKE
from lowcoder_fake.errors import InvalidInput
from lowcoder_fake.expect import tolerant_expect
from lowcoder_fake.journal import CallFilter
from lowcoder_fake.jsondepth import MAX_DEPTH, nested_too_deeply
from lowcoder_fake.jsontext import with_finite_numbers
from lowcoder_fake.views import api_key_json, org_json, user_json

__all__ = ["CONTROL_PREFIX", "add_routes", "guarded", "is_control_path"]

CONTROL_PREFIX: Final = "/__fake__"

_log = logging.getLogger("lowcoder_fake")
_routes = web.RouteTableDef()


def is_control_path(path: str) -> bool:
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


def add_routes(app: web.Application) -> None:
    """Add the control routes, each handler inside :func:`guarded`."""
    for route in _routes:
        assert isinstance(route, web.RouteDef)
        app.router.add_route(route.method, route.path, _guarded(route.handler), expect_handler=tolerant_expect)


def _guarded(handler: Handler) -> Handler:
    async def guard(request: web.Request) -> web.StreamResponse:
        return await guarded(request, handler)

    return guard


def _compact(value: Any) -> str:
    try:  # ASCII-escaped: safe for any stored text
        return json.dumps(value, separators=(",", ":"), allow_nan=False)
    except ValueError:  # an infinite float stored from a Lowcoder call (1e999 in a setting)
        return json.dumps(with_finite_numbers(value), separators=(",", ":"))


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=_compact)


#: Control routes that read a query string / a body; the others refuse one.
_TAKES_QUERY: Final = frozenset({("GET", CONTROL_PREFIX + "/calls")})
_TAKES_BODY: Final = frozenset(
    [("POST", CONTROL_PREFIX + name) for name in ("/orgs", "/users", "/sessions", "/faults", "/api-keys")]
    + [("POST", CONTROL_PREFIX + "/orgs/{id}/members"), ("PUT", CONTROL_PREFIX + "/settings")]
)


async def _check_unread_parts(request: web.Request) -> None:
    """Refuse query parameters and bodies a route would otherwise silently ignore."""
    resource = request.match_info.route.resource
    assert resource is not None
    route = (request.method, resource.canonical)
    for name in request.query:
        if route not in _TAKES_QUERY:
            raise InvalidInput(name, f"{request.method} {route[1]} takes no query parameters")
        if len(request.query.getall(name)) > 1:
            raise InvalidInput(name, "given more than once")
    if route not in _TAKES_BODY and (await _raw_body(request)).strip() not in (b"", b"{}"):
        raise InvalidInput("body", f"{request.method} {route[1]} takes no body")


def _problem(status: int, message: str, field: str | None = None) -> web.Response:
    body: dict[str, Any] = {"error": message}
    if field is not None:
        body["field"] = field
    return _json(body, status)


async def guarded(request: web.Request, handler: Any) -> web.StreamResponse:
    """Run a control handler; turn every failure into a JSON answer."""
    token = request.app[FAKE].config.control_token
    if token is not None and not hmac.compare_digest(
        # aiohttp keeps bytes that are not UTF-8 as surrogates: encode them back, not fail on them.
        request.headers.get(hdrs.AUTHORIZATION, "").encode("utf-8", "surrogateescape"),
        f"Bearer {token}".encode("utf-8", "surrogateescape"),
    ):
        return _problem(401, "lowcoder-fake: control calls need the header 'Authorization: Bearer <control token>'")
    try:
        resource = request.match_info.route.resource
        if resource is not None and is_control_path(resource.canonical):
            await _check_unread_parts(request)
        response: web.StreamResponse = await handler(request)
        return response
    except InvalidInput as error:
        return _problem(400, str(error), error.field)
    except web.HTTPNotFound:
        return _problem(404, f"lowcoder-fake: no control route {request.path!r}")
    except web.HTTPMethodNotAllowed as error:
        allowed = ", ".join(sorted(error.allowed_methods))
        return _problem(405, f"lowcoder-fake: {request.method} is not allowed on {request.path!r}; allowed: {allowed}")
    except web.HTTPException as error:
        return _problem(error.status, f"lowcoder-fake: {error.reason}")
    except Exception:
        _log.error("lowcoder-fake: control call %s %s failed\n%s", request.method, request.path, traceback.format_exc())
        return _problem(500, "lowcoder-fake: internal error in the control endpoint (see the fake's log)")


async def _raw_body(request: web.Request) -> bytes:
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge:
        limit = request.app[FAKE].behaviours.max_body_bytes
        raise InvalidInput("body", f"larger than the {limit} bytes the fake reads") from None
    except (aiohttp.ClientPayloadError, ConnectionError, ValueError):
        raise InvalidInput("body", "could not be read (cut short or badly encoded)") from None


async def _body(request: web.Request) -> Any:
    raw = await _raw_body(request)
    try:
        text = raw.decode("utf-8")
        value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except UnicodeDecodeError:
        raise InvalidInput("body", "not UTF-8 text") from None
    except (ValueError, RecursionError) as error:
        raise InvalidInput("body", f"not valid JSON ({error})") from None
    if nested_too_deeply(text, value):
        raise InvalidInput("body", f"nested deeper than {MAX_DEPTH} levels")
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text} is too large for a float")
    return value


async def _object_body(request: web.Request) -> dict[str, Any]:
    body = await _body(request)
    if not isinstance(body, dict):
        raise InvalidInput("body", "expected a JSON object")
    return body


# -- routes ------------------------------------------------------------------


@_routes.get(CONTROL_PREFIX + "/health")
async def _health(request: web.Request) -> web.Response:
    return _json({"status": "ok", "lowcoderVersion": request.app[FAKE].lowcoder_version})


@_routes.post(CONTROL_PREFIX + "/orgs")
async def _create_org(request: web.Request) -> web.Response:
    fake = request.app[FAKE]
    org = fake.add_org(await _object_body(request))
    return _json(org_json(org, fake.behaviours), 201)


@_routes.get(CONTROL_PREFIX + "/orgs")
async def _list_orgs(request: web.Request) -> web.Response:
    fake = request.app[FAKE]
    return _json({"orgs": [org_json(org, fake.behaviours) for org in fake.store.orgs()]})


@_routes.get(CONTROL_PREFIX + "/orgs/{id}")
async def _get_org(request: web.Request) -> web.Response:
    fake = request.app[FAKE]
    org_id = request.match_info["id"]
    org = fake.store.org(org_id)
    if org is None:
        return _problem(404, f"lowcoder-fake: no org with id {org_id!r}", "id")
    return _json(org_json(org, fake.behaviours))


@_routes.post(CONTROL_PREFIX + "/users")
async def _create_user(request: web.Request) -> web.Response:
    fake = request.app[FAKE]
    user = fake.add_user(await _object_body(request))
    return _json(user_json(user, fake.store), 201)


@_routes.get(CONTROL_PREFIX + "/users")
async def _list_users(request: web.Request) -> web.Response:
    fake = request.app[FAKE]
    return _json({"users": [user_json(user, fake.store) for user in fake.store.users()]})


@_routes.get(CONTROL_PREFIX + "/users/{id}")
async def _get_user(request: web.Request) -> web.Response:
    fake = request.app[FAKE]
    user_id = request.match_info["id"]
    user = fake.store.user(user_id)
    if user is None:
        return _problem(404, f"lowcoder-fake: no user with id {user_id!r}", "id")
    return _json(user_json(user, fake.store))


@_routes.post(CONTROL_PREFIX + "/sessions")
async def _create_session(request: web.Request) -> web.Response:
    fake = request.app[FAKE]
    body = await _object_body(request)
    for name in body:
        if name not in ("email", "userId"):
            raise InvalidInput(name, "unknown field; known fields: email, userId")
    for name in ("email", "userId"):
        if name in body and not isinstance(body[name], str):
            raise InvalidInput(name, "expected a string")
    token = fake.open_session(email=body.get("email"), user_id=body.get("userId"))
    return _json({"cookieName": fake.config.cookie_name, "token": token}, 201)


_CALL_FILTERS: Final = ("operation", "method", "path", "orgId", "since", "limit")


def _whole_number(name: str, text: str) -> int:
    if not (text.isascii() and text.isdigit()):  # "²" is a digit to isdigit(), not to int()
        raise InvalidInput(name, f"expected a whole number >= 0, got {text!r}")
    return int(text)


def _call_filter(request: web.Request) -> CallFilter:
    query = request.query
    for name in query:
        if name not in _CALL_FILTERS:
            raise InvalidInput(name, f"unknown filter; known filters: {', '.join(_CALL_FILTERS)}")
    return CallFilter(
        operation=query.get("operation") or None,  # CallFilter checks it
        method=query.get("method") or None,
        path=query.get("path") or None,
        org_id=query.get("orgId") or None,
        since=_whole_number("since", query["since"]) if query.get("since") else None,
        limit=_whole_number("limit", query["limit"]) if query.get("limit") else None,
    )


@_routes.get(CONTROL_PREFIX + "/calls")
async def _list_calls(request: web.Request) -> web.Response:
    journal = request.app[FAKE].journal
    calls = journal.calls(_call_filter(request))
    return _json({"calls": [call.to_json() for call in calls], "dropped": journal.dropped})


@_routes.delete(CONTROL_PREFIX + "/calls")
async def _clear_calls(request: web.Request) -> web.Response:
    request.app[FAKE].journal.clear()
    return _json({"status": "ok"})


@_routes.post(CONTROL_PREFIX + "/reset")
async def _reset(request: web.Request) -> web.Response:
    request.app[FAKE].reset()
    return _json({"status": "ok"})


# -- fault rules -----------------------------------------------------------------


@_routes.post(CONTROL_PREFIX + "/faults")
async def _add_fault(request: web.Request) -> web.Response:
    rule = request.app[FAKE].faults.add(await _object_body(request))
    return _json(rule.to_json(), 201)


@_routes.get(CONTROL_PREFIX + "/faults")
async def _list_faults(request: web.Request) -> web.Response:
    return _json({"faults": [rule.to_json() for rule in request.app[FAKE].faults.rules()]})


@_routes.delete(CONTROL_PREFIX + "/faults")
async def _clear_faults(request: web.Request) -> web.Response:
    request.app[FAKE].faults.clear()
    return _json({"status": "ok"})


@_routes.delete(CONTROL_PREFIX + "/faults/{id}")
async def _remove_fault(request: web.Request) -> web.Response:
    rule_id = request.match_info["id"]
    return _done_to_rule(request.app[FAKE].faults.remove(rule_id), rule_id)


@_routes.post(CONTROL_PREFIX + "/faults/{id}/release")
async def _release_fault(request: web.Request) -> web.Response:
    rule_id = request.match_info["id"]
    return _done_to_rule(request.app[FAKE].faults.release(rule_id), rule_id)


def _done_to_rule(done: bool, rule_id: str) -> web.Response:
    """``ok`` when the rule was there to act on, else 404 naming the id."""
    if not done:
        return _problem(404, f"lowcoder-fake: no fault rule with id {rule_id!r}", "id")
    return _json({"status": "ok"})


# -- members, API keys, settings ---------------------------------------------------


def _checked_fields(body: dict[str, Any], known: tuple[str, ...]) -> None:
    for name, value in body.items():
        if name not in known:
            raise InvalidInput(name, f"unknown field; known fields: {', '.join(known)}")
        if value is not None and not isinstance(value, str):
            raise InvalidInput(name, "expected a string")


@_routes.post(CONTROL_PREFIX + "/orgs/{id}/members")
async def _add_member(request: web.Request) -> web.Response:
    fake = request.app[FAKE]
    body = await _object_body(request)
    _checked_fields(body, ("email", "userId", "role"))
    if body.get("role") is None:
        raise InvalidInput("role", "required")
    org_id = request.match_info["id"]
    if fake.store.org(org_id) is None:
        return _problem(404, f"lowcoder-fake: no org with id {org_id!r}", "id")
    user = fake.find_user(email=body.get("email"), user_id=body.get("userId"))
    fake.add_member(org_id, body["role"], user_id=user.id)
    membership = fake.store.membership(org_id, user.id)
    assert membership is not None
    return _json({"orgId": org_id, "userId": user.id, "role": membership.role}, 201)


@_routes.post(CONTROL_PREFIX + "/api-keys")
async def _add_api_key(request: web.Request) -> web.Response:
    fake = request.app[FAKE]
    body = await _object_body(request)
    _checked_fields(body, ("email", "userId", "name", "description"))
    user = fake.find_user(email=body.get("email"), user_id=body.get("userId"))
    key = fake.issue_api_key(user, name=body.get("name"), description=body.get("description"))
    return _json(api_key_json(key), 201)


@_routes.get(CONTROL_PREFIX + "/api-keys")
async def _list_api_keys(request: web.Request) -> web.Response:
    store = request.app[FAKE].store
    return _json({"apiKeys": [api_key_json(key) for user in store.users() for key in store.api_keys_of(user.id)]})


@_routes.get(CONTROL_PREFIX + "/settings")
async def _get_settings(request: web.Request) -> web.Response:
    return _json({"workspaceMode": request.app[FAKE].workspace_mode})


@_routes.put(CONTROL_PREFIX + "/settings")
async def _put_settings(request: web.Request) -> web.Response:
    fake = request.app[FAKE]
    body = await _object_body(request)
    _checked_fields(body, ("workspaceMode",))
    if body.get("workspaceMode") is not None:
        fake.set_workspace_mode(body["workspaceMode"])
    return _json({"workspaceMode": fake.workspace_mode})
