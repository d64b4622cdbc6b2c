"""``/api/auth``: form login (and registration) and logout (reference §3)."""

from __future__ import annotations

import time
from email.utils import formatdate
from typing import Final

from aiohttp import hdrs, web

from lowcoder_fake.api.http import (
    boolean_field,
    call_state,
    envelope_response,
    fake_of,
    json_object_body,
    text_field,
)
from lowcoder_fake.api.routing import OperationTable
from lowcoder_fake.envelope import LowcoderError
from lowcoder_fake.fake import LowcoderFake
from lowcoder_fake.models import User, new_object_id
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
