"""Helpers for the organization endpoint tests: Lowcoder's exact answers, one call helper.

Expected texts come from the reference (LOWCODER_BEHAVIOUR.md) and from Lowcoder's
source (locale_en.properties, BizError), never from the fake's code.
"""

from __future__ import annotations

from typing import Any

from lowcoder_http import ADMIN_EMAIL, compact, error, json_bytes

FALSE = '{"code":1,"message":"","data":false,"success":true}'
INVALID_ORG_ID = error(5100, "Illegal workspace ID, it might be deleted or does not exist.")
LAST_ADMIN = error(5102, "Sorry, the last admin of the workspace cannot leave.")
NO_VALID_ORG = error(5105, "Cannot find a valid workspace for current user.")
#: UNABLE_TO_FIND_VALID_ORG's code with the INVALID_ORG_ID message key (OrganizationServiceImpl.getById).
ORG_NOT_ACTIVE = error(5105, "Illegal workspace ID, it might be deleted or does not exist.")
ORGANIZATION_NOT_FOUND = error(6701, "Organization not found.")
TOO_MANY_ORGS = error(5103, "Sorry, you have reached maximum count of workspaces.")
TOO_MANY_DEVELOPERS = error(5106, "Sorry, you have reached maximum count of developers.")
PAYLOAD_TOO_LARGE = error(5700, "Sorry,the maximum file size is 300 KB, your payload has reached the limit.")
IMAGE_TYPE = error(5002, "Image type should be JPEG or PNG.")

#: A well-formed gid that names no org.
UNKNOWN_GID = "00000000-0000-4000-8000-000000000000"

_NO_BODY: Any = object()


def ok(data: Any) -> str:
    """A success envelope with ``data``."""
    return '{"code":1,"message":"","data":' + compact(data) + ',"success":true}'


def bad_parameter(reason: str) -> str:
    """INVALID_PARAMETER for a request part Spring could not read (500/5002)."""
    return error(5002, f"Sorry, an invalid parameter was passed, please check: {reason}.")


async def call(
    r: Any,
    method: str,
    path: str,
    body: Any = _NO_BODY,
    *,
    email: str | None = ADMIN_EMAIL,
    content_type: str | None = "application/json",
    params: dict[str, str] | list[tuple[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    prefix: str = "/api",
) -> tuple[int, str]:
    """``method prefix+path`` as ``email`` (None: anonymous); ``body`` JSON-encoded unless bytes/str."""
    sent: dict[str, str] = {}
    if email is not None:
        sent.update(r.session_headers(email))
    data = None
    if body is not _NO_BODY:
        data = json_bytes(body)
        if content_type is not None:
            sent["Content-Type"] = content_type
    sent.update(headers or {})
    resp = await r.client.request(
        method, prefix + path, data=data, params=params, headers=sent, skip_auto_headers=["Content-Type"]
    )
    return resp.status, await resp.text()


def state(r: Any) -> tuple[Any, ...]:
    """What an org call could change: orgs, users, memberships (not sessions: each call opens one)."""
    store = r.fake.store
    users = tuple(store.users())
    return tuple(store.orgs()), users, tuple(tuple(store.memberships_of_user(user.id)) for user in users)


def user_id(r: Any, email: str) -> str:
    user = r.fake.store.user_by_email(email)
    assert user is not None, email
    return str(user.id)


def current_org(r: Any, email: str) -> str | None:
    user = r.fake.store.user_by_email(email)
    assert user is not None, email
    return user.current_org_id


def roles(r: Any, org_id: str) -> dict[str, str]:
    """``{email: role}`` of the org's members, in the order they joined."""
    store = r.fake.store
    return {store.user(m.user_id).email: m.role for m in store.members_of_org(org_id)}


def add_user(r: Any, email: str, orgs: dict[str, str]) -> str:
    """A user with these memberships (the first org is current), made through the Python API."""
    return str(r.fake.add_user({"email": email, "password": "Password-1", "orgs": orgs}).id)


def add_org(r: Any, name: str) -> str:
    return str(r.fake.add_org({"name": name}).id)
