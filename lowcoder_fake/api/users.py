"""``/api/users``: the caller's profile (reference §3)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from lowcoder_fake.api.http import call_state, envelope_response, fake_of
from lowcoder_fake.api.routing import OperationTable
from lowcoder_fake.fake import LowcoderFake
from lowcoder_fake.models import User
from lowcoder_fake.views import org_json

__all__ = ["routes"]

routes = OperationTable()


def _client_ip(request: web.Request) -> str:
    return request.headers.get("X-Real-IP") or request.remote or ""


def anonymous_profile(ip: str) -> dict[str, Any]:
    """``users/me`` of a caller without credentials, key for key."""
    return {
        "id": None,
        "orgAndRoles": None,
        "currentOrgId": None,
        "username": "anonymous",
        "connections": None,
        "avatar": None,
        "avatarUrl": None,
        "hasPassword": False,
        "hasSetNickname": False,
        "hasShownNewUserGuidance": False,
        "userStatus": None,
        "createdTimeMs": 0,
        "ip": ip,
        "enabled": False,
        "anonymous": True,
        "orgDev": False,
        "isAnonymous": True,
        "isEnabled": False,
    }


def user_profile(fake: LowcoderFake, user: User, ip: str) -> dict[str, Any]:
    """``users/me`` of a signed-in user: the anonymous keys, filled.

    ``tokens`` lists the user's live session tokens; ``enabled``/``isEnabled``
    and ``hasShownNewUserGuidance`` stay false (Lowcoder never sets them).
    """
    store = fake.store
    org_and_roles = []
    current_role = None
    for membership in store.memberships_of_user(user.id):
        org = store.org(membership.org_id)
        if org is None or not org.active:
            continue
        org_and_roles.append({"org": org_json(org, fake.behaviours), "role": membership.role})
        if org.id == user.current_org_id:
            current_role = membership.role
    profile = anonymous_profile(ip)
    profile.update(
        {
            "id": user.id,
            "orgAndRoles": org_and_roles,
            "currentOrgId": user.current_org_id,
            "username": user.name,
            "connections": [
                {
                    "authId": "EMAIL",
                    "source": "EMAIL",
                    "name": user.email,
                    "avatar": None,
                    "rawUserInfo": {"email": user.email},
                    "tokens": store.session_tokens_of(user.id),
                }
            ],
            "hasPassword": bool(user.password.strip()),
            "userStatus": {"newUserGuidance": False},
            "createdTimeMs": user.create_time,
            "anonymous": False,
            "orgDev": current_role in fake.behaviours.admin_roles(),
            "isAnonymous": False,
        }
    )
    return profile


@routes.route("GET", "/users/me", "getUserProfile")
async def get_user_profile(request: web.Request) -> web.StreamResponse:
    """Public: the anonymous profile, or the signed-in user's."""
    user = call_state(request).caller
    fake = fake_of(request)
    ip = _client_ip(request)
    return envelope_response(user_profile(fake, user, ip) if user else anonymous_profile(ip))
