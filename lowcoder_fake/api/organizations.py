"""``/api/organizations``: the org update (reference §4)."""

from __future__ import annotations

import uuid
from typing import Final

from aiohttp import web

from lowcoder_fake.api.http import (
    EmptyAnswer,
    caller,
    envelope_response,
    fake_of,
    json_object_body,
    text_field,
)
from lowcoder_fake.api.routing import OperationTable
from lowcoder_fake.envelope import LowcoderError
from lowcoder_fake.fake import LowcoderFake
from lowcoder_fake.models import ORG_STATES, User, is_object_id

__all__ = ["require_admin", "resolve_org_id", "routes"]

routes = OperationTable()

UPDATE_REASON: Final = "updateOrgRequest' : OrganizationController.update"

#: Update-body field → org attribute; every one a plain string, stored as sent.
_UPDATABLE: Final = (
    ("orgName", "name"),
    ("contactName", "contact_name"),
    ("contactEmail", "contact_email"),
    ("contactPhoneNumber", "contact_phone_number"),
)


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return "-" in text


def resolve_org_id(fake: LowcoderFake, path_id: str) -> str:
    """The org id that a path's ``{orgId}`` names: the id, or by version a gid or a slug.

    An unknown gid answers 200 with an empty body from 2.5.2 (*derived*).
    """
    behaviours = fake.behaviours
    if behaviours.org_path_accepts_gid and _is_uuid(path_id):
        org = fake.store.org_by(gid=path_id)
        if org is not None:
            return org.id
        if behaviours.unknown_gid_answers_empty:
            raise EmptyAnswer(200)
        return path_id
    if behaviours.org_path_accepts_slug and not is_object_id(path_id):
        org = fake.store.org_by(slug=path_id)
        if org is not None:
            return org.id
    return path_id


def require_admin(fake: LowcoderFake, user: User, org_id: str) -> None:
    """NOT_AUTHORIZED unless ``user`` has an admin role in the org (only membership is checked)."""
    membership = fake.store.membership(org_id, user.id)
    if membership is None or membership.role not in fake.behaviours.admin_roles():
        raise LowcoderError.named("NOT_AUTHORIZED")


@routes.route("PUT", "/organizations/{orgId}/update", "updateOrganization")
async def update_organization(request: web.Request) -> web.StreamResponse:
    """Partial update, no validation; scalars coerced to text, unknown fields ignored."""
    fake = fake_of(request)
    user = caller(request)
    body = json_object_body(request, UPDATE_REASON)
    changes: dict[str, str] = {}
    for field, attribute in _UPDATABLE:
        value = text_field(body, field, UPDATE_REASON)
        if value is not None:
            changes[attribute] = value
    if fake.behaviours.update_accepts_state:
        state = text_field(body, "state", UPDATE_REASON)
        if state is not None:
            if state not in ORG_STATES:
                raise LowcoderError.named("INVALID_PARAMETER", UPDATE_REASON)
            changes["state"] = state
    org_id = resolve_org_id(fake, request.match_info["orgId"])
    require_admin(fake, user, org_id)
    if changes:
        fake.store.update_org(org_id, **changes)
    return envelope_response(True)
