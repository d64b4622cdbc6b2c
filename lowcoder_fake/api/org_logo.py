"""``/api/organizations/{orgId}/logo``: upload and delete the org's logo (reference §4).

Facts beyond the reference were read from Lowcoder's source (``OrgApiServiceImpl``,
``OrganizationServiceImpl``, ``AssetServiceImpl``) at its tags.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from email.parser import BytesHeaderParser
from typing import Final

from aiohttp import hdrs, web

from lowcoder_fake.api.http import call_state, caller, envelope_response, fake_of
from lowcoder_fake.api.organizations import keyed_error, require_admin, resolve_org_id
from lowcoder_fake.api.routing import OperationTable
from lowcoder_fake.envelope import LowcoderError
from lowcoder_fake.models import new_object_id

__all__ = ["ASSET_PATH", "MAX_LOGO_BYTES", "routes"]

routes = OperationTable()

LOGO_REASON: Final = "fileMono' : OrganizationController.uploadLogo"
IMAGE_TYPE_MESSAGE: Final = "Image type should be JPEG or PNG."
ASSET_PATH: Final = "/api/assets/"

#: 300 KB (``logoMaxSizeInKb``). Lowcoder counts the part's 4 KiB chunks (``4 * chunks > 300``),
#: which comes to more than 300 * 1024 bytes (*derived*).
MAX_LOGO_BYTES: Final = 300 * 1024
_IMAGE_TYPES: Final = ("image/jpeg", "image/png")


@dataclass(frozen=True, slots=True)
class _Part:
    headers: Message
    content: bytes


class _Unreadable(Exception):
    """A multipart body that cannot be parsed."""


def _parts(body: bytes, boundary: str) -> list[_Part]:
    """The parts of a ``multipart/form-data`` body, byte for byte."""
    delimiter = b"\r\n--" + boundary.encode("latin-1")
    sections = (b"\r\n" + body).split(delimiter)
    parts: list[_Part] = []
    for section in sections[1:]:
        if section.startswith(b"--"):
            return parts
        head, separator, content = section.partition(b"\r\n\r\n")
        if not separator:
            raise _Unreadable("a part without a blank line after its headers")
        headers = BytesHeaderParser().parsebytes(head.lstrip(b" \t").removeprefix(b"\r\n") + b"\r\n\r\n")
        parts.append(_Part(headers, content))
    raise _Unreadable("no closing boundary")


def _file_part(request: web.Request) -> _Part | None:
    """The first part named ``file``; None when there is none or the body is not multipart."""
    if hdrs.CONTENT_TYPE not in request.headers or request.content_type != "multipart/form-data":
        return None
    header = Message()
    header[hdrs.CONTENT_TYPE] = request.headers[hdrs.CONTENT_TYPE]
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise _Unreadable("no boundary")
    for part in _parts(call_state(request).raw_body, boundary):
        if part.headers.get_param("name", header="content-disposition") == "file":
            return part
    return None


def _content_type(part: _Part) -> str | None:
    """The part's media type as Spring compares it: type and subtype in lower case, with any
    parameters (``image/png; q=1`` is not ``image/png``)."""
    raw = part.headers.get(hdrs.CONTENT_TYPE)
    if raw is None:
        return None
    media, _, parameters = str(raw).partition(";")
    media = media.strip().lower()
    return media if not parameters.strip() else f"{media};{parameters.strip()}"


@routes.route("POST", "/organizations/{orgId}/logo", "uploadOrganizationLogo")
async def upload_organization_logo(request: web.Request) -> web.StreamResponse:
    """Multipart part ``file``, JPEG or PNG, at most 300 KB; the logo becomes ``/api/assets/<id>``.

    Checks in Lowcoder's order: admin (the part is read only after it), a ``file``
    part (5002), its type (5002, message "Image type should be JPEG or PNG."), its
    size (413/5700). A body that is multipart but unparseable is 500/5000 (*derived*).
    """
    fake = fake_of(request)
    user = caller(request)
    org_id = resolve_org_id(fake, request.match_info["orgId"])
    require_admin(fake, user, org_id)
    try:
        part = _file_part(request)
    except _Unreadable:
        raise LowcoderError.named("INTERNAL_SERVER_ERROR") from None
    if part is None:
        raise LowcoderError.named("INVALID_PARAMETER", LOGO_REASON)
    if _content_type(part) not in _IMAGE_TYPES:
        return keyed_error(fake, "INVALID_PARAMETER", IMAGE_TYPE_MESSAGE)
    if len(part.content) > MAX_LOGO_BYTES:
        raise LowcoderError.named("PAYLOAD_TOO_LARGE")
    asset_id = new_object_id()
    fake.store.update_org(org_id, logo_url=ASSET_PATH + asset_id)
    return envelope_response(True)


@routes.route("DELETE", "/organizations/{orgId}/logo", "deleteOrganizationLogo")
async def delete_organization_logo(request: web.Request) -> web.StreamResponse:
    """Delete the logo's asset, to an admin; no logo is NO_RESOURCE_FOUND (500/5005).

    Lowcoder's bug, kept: the org still points at the deleted asset (its ``logoUrl``
    stays; a null field is never written), so a second delete fails naming the asset.
    """
    fake = fake_of(request)
    user = caller(request)
    org_id = resolve_org_id(fake, request.match_info["orgId"])
    require_admin(fake, user, org_id)
    org = fake.store.org(org_id)
    if org is None or not org.active:
        return envelope_response(True)
    if not org.logo_url.strip():
        raise LowcoderError.named("NO_RESOURCE_FOUND")
    asset_id = org.logo_url.removeprefix(ASSET_PATH)
    if not fake.store.delete_asset(asset_id):
        raise LowcoderError.named("NO_RESOURCE_FOUND", asset_id)
    return envelope_response(True)
