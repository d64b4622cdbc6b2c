"""The org logo: upload (multipart part ``file``) and delete — reference §4, refined from
Lowcoder's source (OrgApiServiceImpl, OrganizationServiceImpl, AssetServiceImpl)."""

from __future__ import annotations

import re
from typing import Any

import aiohttp
import pytest
from lowcoder_http import (
    ADMIN_EMAIL,
    INTERNAL,
    MEMBER_EMAIL,
    NOT_AUTHORIZED,
    TRUE,
    error,
    not_authorized_status,
    users_me,
)
from orgs_support import IMAGE_TYPE, PAYLOAD_TOO_LARGE, bad_parameter, call, state

LOGO_REASON = "fileMono' : OrganizationController.uploadLogo"
NO_LOGO = error(5005, "Oops, asset  cannot be found, it might be removed or deleted.")
BOUNDARY = "----lowcoderfakeboundary"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\r\n--\r\n" * 10  # binary, with CRLFs and dashes inside


def multipart(*parts: tuple[str, str | None, bytes]) -> bytes:
    """A multipart/form-data body of (name, content type or None, content) parts."""
    out = b""
    for name, content_type, content in parts:
        out += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="logo"\r\n'.encode()
        if content_type is not None:
            out += f"Content-Type: {content_type}\r\n".encode()
        out += b"\r\n" + content + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


async def upload(r: Any, body: bytes, *, email: str = ADMIN_EMAIL, content_type: str = MULTIPART) -> tuple[int, str]:
    return await call(r, "POST", f"/organizations/{r.first_org_id}/logo", body, email=email, content_type=content_type)


def logo(r: Any) -> str:
    return str(r.fake.store.org(r.first_org_id).logo_url)


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize("content_type", ["image/png", "image/jpeg", "IMAGE/PNG"])
async def test_admin_uploads_a_logo(make_fake: Any, version: str, content_type: str) -> None:
    r = await make_fake(version)
    assert await upload(r, multipart(("file", content_type, PNG))) == (200, TRUE)
    assert re.fullmatch(r"/api/assets/[0-9a-f]{24}", logo(r))
    me = await users_me(r, r.session_headers(ADMIN_EMAIL))
    assert me["orgAndRoles"][0]["org"]["logoUrl"] == logo(r)


async def test_upload_with_aiohttp_form_data(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    form = aiohttp.FormData()
    form.add_field("other", "x")
    form.add_field("file", PNG, filename="logo.png", content_type="image/png")
    resp = await r.client.post(
        f"/api/v1/organizations/{r.first_org_id}/logo", data=form, headers=r.session_headers(ADMIN_EMAIL)
    )
    assert (resp.status, await resp.text()) == (200, TRUE)
    assert logo(r).startswith("/api/assets/")


async def test_a_new_upload_replaces_the_logo(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    assert await upload(r, multipart(("file", "image/png", PNG))) == (200, TRUE)
    first = logo(r)
    assert await upload(r, multipart(("file", "image/jpeg", b"\xff\xd8\xff"))) == (200, TRUE)
    assert logo(r) != first


@pytest.mark.parametrize(
    "content_type", ["image/gif", "image/svg+xml", "image/jpg", "application/octet-stream", "image/png; q=1", None]
)
async def test_other_image_types_are_refused(make_fake: Any, content_type: str | None) -> None:
    """AssetServiceImpl: BizError.INVALID_PARAMETER with the INCORRECT_IMAGE_TYPE message."""
    r = await make_fake("2.1.6")
    before = state(r)
    assert await upload(r, multipart(("file", content_type, PNG))) == (500, IMAGE_TYPE)
    assert state(r) == before


@pytest.mark.parametrize(("size", "accepted"), [(300 * 1024, True), (300 * 1024 + 1, False), (2 * 1024 * 1024, False)])
async def test_logo_size_limit(make_fake: Any, size: int, accepted: bool) -> None:
    r = await make_fake("2.7.6")
    before = state(r)
    result = await upload(r, multipart(("file", "image/png", b"\x00" * size)))
    if accepted:
        assert result == (200, TRUE)
    else:
        assert result == (413, PAYLOAD_TOO_LARGE)
        assert state(r) == before


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (multipart(("logo", "image/png", PNG)), MULTIPART),
        (multipart(("File", "image/png", PNG)), MULTIPART),
        (multipart(), MULTIPART),
        (b'{"file":"x"}', "application/json"),
        (b"", "application/octet-stream"),
        (PNG, "image/png"),
    ],
    ids=["other-name", "name-case", "no-parts", "json", "empty", "raw-png"],
)
async def test_no_file_part_is_5002(make_fake: Any, body: bytes, content_type: str) -> None:
    r = await make_fake("2.1.6")
    before = state(r)
    assert await upload(r, body, content_type=content_type) == (500, bad_parameter(LOGO_REASON))
    assert state(r) == before


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nno end', "multipart/form-data; boundary=x"),
        (multipart(("file", "image/png", PNG)), "multipart/form-data"),
    ],
    ids=["unterminated", "no-boundary"],
)
async def test_an_unreadable_multipart_body_is_5000(make_fake: Any, body: bytes, content_type: str) -> None:
    """*Derived*: Spring's multipart decoder fails, which Lowcoder answers 500/5000."""
    r = await make_fake("2.1.6")
    before = state(r)
    assert await upload(r, body, content_type=content_type) == (500, INTERNAL)
    assert state(r) == before


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize("body", [multipart(("file", "image/png", PNG)), b"junk"], ids=["good", "junk"])
async def test_upload_needs_an_admin_before_anything_else(make_fake: Any, version: str, body: bytes) -> None:
    r = await make_fake(version)
    before = state(r)
    assert await upload(r, body, email=MEMBER_EMAIL) == (not_authorized_status(version), NOT_AUTHORIZED)
    assert state(r) == before


# -- DELETE /organizations/{orgId}/logo ------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_delete_without_a_logo_is_no_resource(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    before = state(r)
    assert await call(r, "DELETE", f"/organizations/{r.first_org_id}/logo") == (500, NO_LOGO)
    assert state(r) == before


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_delete_keeps_pointing_at_the_deleted_asset(make_fake: Any, version: str) -> None:
    """Lowcoder's deleteLogo writes a null logoAssetId, which Mongo updates skip: the org keeps
    its logoUrl, and a second delete fails naming the asset."""
    r = await make_fake(version)
    assert await upload(r, multipart(("file", "image/png", PNG))) == (200, TRUE)
    url = logo(r)
    path = f"/organizations/{r.first_org_id}/logo"
    assert await call(r, "DELETE", path) == (200, TRUE)
    assert logo(r) == url
    asset_id = url.removeprefix("/api/assets/")
    expected = error(5005, f"Oops, asset {asset_id} cannot be found, it might be removed or deleted.")
    assert await call(r, "DELETE", path, prefix="/api/v1") == (500, expected)
    assert await upload(r, multipart(("file", "image/png", PNG))) == (200, TRUE)
    assert logo(r) != url
    assert await call(r, "DELETE", path) == (200, TRUE)


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_delete_needs_an_admin(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    assert await upload(r, multipart(("file", "image/png", PNG))) == (200, TRUE)
    before = state(r)
    path = f"/organizations/{r.first_org_id}/logo"
    assert await call(r, "DELETE", path, email=MEMBER_EMAIL) == (not_authorized_status(version), NOT_AUTHORIZED)
    assert await call(r, "DELETE", path, email=None) == (401, "")
    assert state(r) == before
    assert await call(r, "DELETE", path) == (200, TRUE)


async def test_logo_calls_are_journaled_by_name(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    await upload(r, multipart(("file", "image/png", PNG)))
    await call(r, "DELETE", f"/organizations/{r.first_org_id}/logo")
    assert [(c.operation, c.status) for c in r.fake.journal.calls()] == [
        ("uploadOrganizationLogo", 200),
        ("deleteOrganizationLogo", 200),
    ]
