"""``/api/auth``: form login (and registration) and logout (reference §3)."""

from __future__ import annotations

import time
from email.utils import formatdate
from typing import Any, Final

from aiohttp import hdrs, web

from lowcoder_fake import jsontext
from lowcoder_fake.api.http import (
    boolean_field,
    call_state,
    caller,
    envelope_response,
    fake_of,
    json_object_body,
    text_field,
)
from lowcoder_fake.api.routing import OperationTable
from lowcoder_fake.envelope import LowcoderError
from lowcoder_fake.fake import LowcoderFake
from lowcoder_fake.models import User, new_object_id
from lowcoder_fake.versions import Behaviours
from lowcoder_fake.workspaces import place_new_user

__all__ = ["routes", "session_cookie"]

routes = OperationTable()

LOGIN_REASON: Final = "formLoginRequest' : AuthenticationController.formLogin"
EMAIL_AUTH_ID: Final = "EMAIL"


def session_cookie(fake: LowcoderFake, token: str, *, secure: bool, now: float | None = None) -> str:
    """The ``Set-Cookie`` value Lowcoder sends at sign-in, attribute for attribute."""
    max_age = fake.behaviours.cookie_max_age_seconds
    expires = formatdate((now if now is not None else time.time()) + max_age, usegmt=True)
    same_site = "Secure; HttpOnly; SameSite=None" if secure else "HttpOnly; SameSite=Lax"
    return f"{fake.config.cookie_name}={token}; Path=/; Max-Age={max_age}; Expires={expires}; {same_site}"


@routes.route("POST", "/auth/form/login", "loginWithUserPassword", prefixes=("/api",))
async def form_login(request: web.Request) -> web.StreamResponse:
    """Sign in, or register first when ``register`` is true; answers ``true`` and the cookie."""
    fake = fake_of(request)
    body = json_object_body(request, LOGIN_REASON)
    login_id = text_field(body, "loginId", LOGIN_REASON)
    password = text_field(body, "password", LOGIN_REASON)
    register = boolean_field(body, "register", LOGIN_REASON)
    auth_id = text_field(body, "authId", LOGIN_REASON) or text_field(body, "source", LOGIN_REASON)
    if auth_id != EMAIL_AUTH_ID:
        raise LowcoderError.named("LOG_IN_SOURCE_NOT_SUPPORTED")
    if register:
        user = _register(fake, login_id or "", password or "")
    else:
        found = fake.store.user_by_email(login_id) if login_id else None
        if found is None or found.password != password:
            raise LowcoderError.named("INVALID_PASSWORD")
        user = found
    token = fake.store.open_session(user.id)
    response = envelope_response(True)
    secure = request.headers.get(hdrs.REFERER, "").lower().startswith("https:")
    response.headers.add(hdrs.SET_COOKIE, session_cookie(fake, token, secure=secure))
    return response


def _register(fake: LowcoderFake, login_id: str, password: str) -> User:
    if not fake.sign_up_open():
        raise LowcoderError.named("UNSUPPORTED_OPERATION")
    if fake.store.user_by_email(login_id) is not None:
        raise LowcoderError.named("USER_LOGIN_ID_EXIST")
    user = fake.store.add_user(User(id=new_object_id(), email=login_id, password=password, name=login_id))
    return place_new_user(fake, user)


@routes.route("POST", "/auth/logout", "logout", prefixes=("/api",))
async def logout(request: web.Request) -> web.StreamResponse:
    """End the session; the cookie is not cleared."""
    token = call_state(request).session_token
    if token is not None:
        fake_of(request).store.close_session(token)
    return envelope_response(True)


# -- API keys (from 2.1.3) ------------------------------------------------------

API_KEY_REASON: Final = "apiKeyRequest' : AuthenticationController.createAPIKey"
_MASK: Final = "*" * 13


def _has_api_keys(behaviours: Behaviours) -> bool:
    return behaviours.api_keys


def _map_string(body: dict[str, Any], name: str) -> str | None:
    """A field of Lowcoder's map-typed request, read as ``MapUtils.getString`` does."""
    value = body.get(name)
    if value is None or isinstance(value, str):
        return None if value is None else str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return jsontext.dumps(value)


def _masked(token: str) -> str:
    return token[:6] + _MASK + token[-6:]


@routes.route("POST", "/auth/api-key", "createApiKey", prefixes=("/api",), available=_has_api_keys)
async def create_api_key(request: web.Request) -> web.StreamResponse:
    """``{"name","description"}`` (no validation; an ``id`` replaces that key) → the new token."""
    fake = fake_of(request)
    body = json_object_body(request, API_KEY_REASON)
    key = fake.issue_api_key(
        caller(request),
        name=_map_string(body, "name"),
        description=_map_string(body, "description"),
        key_id=_map_string(body, "id"),
    )
    if fake.behaviours.api_key_answer_has_id:
        return envelope_response({"id": key.id, "token": key.token})
    return envelope_response({"token": key.token})


@routes.route("GET", "/auth/api-keys", "listApiKeys", prefixes=("/api",), available=_has_api_keys)
async def list_api_keys(request: web.Request) -> web.StreamResponse:
    """The caller's keys; tokens masked from 2.7.0."""
    fake = fake_of(request)
    mask = fake.behaviours.api_key_list_masks_tokens
    return envelope_response(
        [
            {
                "id": key.id,
                "name": key.name,
                "description": key.description,
                "token": _masked(key.token) if mask else key.token,
            }
            for key in fake.store.api_keys_of(caller(request).id)
        ]
    )


@routes.route("DELETE", "/auth/api-key/{id}", "deleteApiKey", prefixes=("/api",), available=_has_api_keys)
async def delete_api_key(request: web.Request) -> web.StreamResponse:
    """Success without ``data``, also for an unknown id or another user's key."""
    fake_of(request).store.delete_api_key(caller(request).id, request.match_info["id"])
    return envelope_response(None)
