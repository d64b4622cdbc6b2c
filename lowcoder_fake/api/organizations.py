"""``/api/organizations``: the org itself — create, read, update, delete, switch, settings,
data source types (reference §4; members in ``org_members``, the logo in ``org_logo``).

Facts beyond the reference were read from Lowcoder's source (``OrganizationController``,
``OrgApiServiceImpl``, ``OrganizationServiceImpl``) at its tags.
"""

from __future__ import annotations

import copy
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any, Final

from aiohttp import web

from lowcoder_fake import jsontext
from lowcoder_fake.api.http import (
    EmptyAnswer,
    NumberText,
    boolean_field,
    caller,
    envelope_response,
    error_response,
    fake_of,
    json_object_body,
    json_response,
    text_field,
)
from lowcoder_fake.api.params import boolean_param
from lowcoder_fake.api.routing import OperationTable
from lowcoder_fake.envelope import ERRORS, LowcoderError, error_body
from lowcoder_fake.fake import LowcoderFake
from lowcoder_fake.jsondepth import json_depth
from lowcoder_fake.memberships import active_memberships, settle_current_org
from lowcoder_fake.models import ORG_STATES, Org, User, is_object_id, new_gid, new_object_id, now_ms
from lowcoder_fake.views import org_json

__all__ = [
    "DATASOURCE_TYPES",
    "java_value",
    "keyed_error",
    "require_admin",
    "require_member",
    "resolve_org_id",
    "routes",
]

routes = OperationTable()

UPDATE_REASON: Final = "updateOrgRequest' : OrganizationController.update"
CREATE_REASON: Final = "organization' : OrganizationController.create"
SETTINGS_REASON: Final = "request' : OrganizationController.updateOrgCommonSettings"
WITH_DELETED_REASON: Final = "withDeleted' : OrganizationController.getOrganization"

#: Lowcoder's ``default.orgsPerUser`` (BizThresholdChecker).
MAX_ORGS_PER_USER: Final = 100

#: Messages Lowcoder sends with a code whose catalogue text differs (locale_en.properties keys).
INVALID_ORG_PARAMETER_MESSAGE: Final = "Invalid parameter found: organization, please check and try again."
INVALID_ORG_ID_MESSAGE: Final = ERRORS["INVALID_ORG_ID"].message

#: Update-body field → org attribute; every one a plain string, stored as sent.
_UPDATABLE: Final = (
    ("orgName", "name"),
    ("contactName", "contact_name"),
    ("contactEmail", "contact_email"),
    ("contactPhoneNumber", "contact_phone_number"),
)


def _is_uuid(text: str) -> bool:
    if "-" not in text:  # first the cheap test: an org id (no dash) never raises below
        return False
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


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


def require_member(fake: LowcoderFake, user: User, org_id: str) -> None:
    """NOT_AUTHORIZED unless ``user`` is a member of the org, in any role."""
    if fake.store.membership(org_id, user.id) is None:
        raise LowcoderError.named("NOT_AUTHORIZED")


def keyed_error(fake: LowcoderFake, name: str, message: str) -> web.Response:
    """Error ``name``'s code and HTTP status with another message: Lowcoder pairs a code with a
    message key per call site (e.g. 5002 with "Image type should be JPEG or PNG.")."""
    kind = ERRORS[name]
    return json_response(error_body(kind.code, message), kind.http_status(fake.behaviours))


def java_value(value: Any) -> Any:
    """A JSON value as Lowcoder stores and shows an untyped (``Object``) one.

    Jackson reads integers as int/long (a bigger one as BigInteger, which Spring
    Data stores as text, *derived*) and other numbers as double. A double is
    written back in Python's notation, which differs from Java's outside
    [1e-3, 1e7) (``1e+16`` vs ``1.0E16``).
    """
    if isinstance(value, NumberText):
        if re.fullmatch(r"-?[0-9]+", value):
            if len(value.lstrip("-")) > 19:  # beyond a long: no need to convert (Python refuses over 4,300 digits)
                return str(value)
            number = int(value)
            return number if -(2**63) <= number < 2**63 else str(number)
        return float(value)
    if isinstance(value, dict):
        return {key: java_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [java_value(item) for item in value]
    return value


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


# -- create ------------------------------------------------------------------------

#: Create-body string fields (the body is a whole Organization; unknown fields are ignored).
_CREATE_TEXT_FIELDS: Final = (
    "name",
    "contactName",
    "contactEmail",
    "contactPhoneNumber",
    "source",
    "thirdPartyCompanyId",
)


def _decoded_state(body: dict[str, Any]) -> None:
    """``state`` decodes as the enum (name or index) or fails; Lowcoder then sets ACTIVE anyway."""
    value = body.get("state")
    if value is None or (isinstance(value, str) and value in ORG_STATES):
        return
    if isinstance(value, NumberText) and value in ("0", "1"):
        return
    raise LowcoderError.named("INVALID_PARAMETER", CREATE_REASON)


def _timestamp(micros: int) -> str:
    """A Java ``Instant`` as Jackson writes it: decimal epoch seconds, nine fraction digits."""
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}000"


@routes.route("POST", "/organizations", "createOrganization")
async def create_organization(request: web.Request) -> web.StreamResponse:
    """A new org administered by the caller; the caller's current org stays.

    Checks in Lowcoder's order: body, org count (100), ENTERPRISE mode (400/5003), a
    non-blank ``id`` (5002 with Lowcoder's INVALID_PARAMETER text, not the body reason).
    Not modelled: a ``gid``/``slug``/``organizationDomain`` in the body, the instance
    super admin who joins every new org.
    """
    fake = fake_of(request)
    user = caller(request)
    body = json_object_body(request, CREATE_REASON)
    texts = {field: text_field(body, field, CREATE_REASON) for field in _CREATE_TEXT_FIELDS}
    given_id = text_field(body, "id", CREATE_REASON)
    text_field(body, "createdBy", CREATE_REASON)  # decoded, then set by Spring's auditing
    auto_generated = boolean_field(body, "isAutoGeneratedOrganization", CREATE_REASON)
    _decoded_state(body)
    settings = body.get("commonSettings")
    if settings is not None and not isinstance(settings, dict):
        raise LowcoderError.named("INVALID_PARAMETER", CREATE_REASON)
    if len(active_memberships(fake, user.id)) >= MAX_ORGS_PER_USER:
        raise LowcoderError.named("EXCEED_MAX_USER_ORG_COUNT")
    if fake.workspace_mode == "ENTERPRISE":
        raise LowcoderError.named("UNSUPPORTED_OPERATION")
    if given_id is not None and given_id.strip():
        return keyed_error(fake, "INVALID_PARAMETER", INVALID_ORG_PARAMETER_MESSAGE)
    template = fake.behaviours.new_org_password_reset_template
    if template is not None:  # from 2.4.0 Lowcoder replaces the given settings by this one
        settings = {"PASSWORD_RESET_EMAIL_TEMPLATE": template}
    micros = time.time_ns() // 1000
    org = Org(
        id=new_object_id(),
        name=texts["name"],
        gid=new_gid(),
        created_by=user.id,
        # null in Lowcoder when the body has none; the fake's org JSON shows false
        is_auto_generated=auto_generated,
        contact_name=texts["contactName"],
        contact_email=texts["contactEmail"],
        contact_phone_number=texts["contactPhoneNumber"],
        source=texts["source"],
        third_party_company_id=texts["thirdPartyCompanyId"],
        common_settings=MappingProxyType(java_value(settings or {})),
        create_time=micros // 1000,
    )
    fake.store.add_org(org)
    fake.store.set_member(org.id, user.id, "admin")
    data = jsontext.dumps({"orgId": org.id, "orgName": org.name})
    if fake.behaviours.create_org_answer_has_times:
        stamp = _timestamp(micros)  # createdAt and updatedAt: the same auditing instant
        data = data[:-1] + f',"createdAt":{stamp},"updatedAt":{stamp}}}'
    return json_response('{"code":1,"message":"","data":' + data + ',"success":true}')


# -- read, delete, switch -------------------------------------------------------------


@routes.route("GET", "/organizations/{orgId}", "getOrganization", available=lambda b: b.get_organization)
async def get_organization(request: web.Request) -> web.StreamResponse:
    """The org JSON, to any signed-in user: Lowcoder checks no membership here.

    A gid naming no org is ORGANIZATION_NOT_FOUND (400/6701); an unknown or deleted
    org is code 5105 with the INVALID_ORG_ID text (``withDeleted=true`` from 2.7.0
    finds a deleted one).
    """
    fake = fake_of(request)
    caller(request)
    with_deleted = False
    if fake.behaviours.get_organization_with_deleted:
        with_deleted = bool(boolean_param(request, "withDeleted", WITH_DELETED_REASON))
    try:
        org_id = resolve_org_id(fake, request.match_info["orgId"])
    except EmptyAnswer:
        raise LowcoderError.named("ORGANIZATION_NOT_FOUND") from None
    org = fake.store.org(org_id)
    if org is None or not (org.active or with_deleted):
        return keyed_error(fake, "UNABLE_TO_FIND_VALID_ORG", INVALID_ORG_ID_MESSAGE)
    return envelope_response(org_json(org, fake.behaviours))


@routes.route("DELETE", "/organizations/{orgId}", "deleteOrganization")
async def delete_organization(request: web.Request) -> web.StreamResponse:
    """Soft delete (state DELETED), then every membership goes; members' current orgs move on."""
    fake = fake_of(request)
    user = caller(request)
    org_id = resolve_org_id(fake, request.match_info["orgId"])
    require_admin(fake, user, org_id)
    for member_id in fake.store.delete_org(org_id):
        settle_current_org(fake, member_id)
    return envelope_response(True)


@routes.route("PUT", "/organizations/switchOrganization/{orgId}", "switchOrganization")
async def switch_organization(request: web.Request) -> web.StreamResponse:
    """Make one of the caller's active orgs their current one; any other id is INVALID_ORG_ID."""
    fake = fake_of(request)
    user = caller(request)
    org_id = resolve_org_id(fake, request.match_info["orgId"])
    if not any(membership.org_id == org_id for membership in active_memberships(fake, user.id)):
        raise LowcoderError.named("INVALID_ORG_ID")
    fake.store.update_user(user.id, current_org_id=org_id)
    return envelope_response(True)


# -- common settings ---------------------------------------------------------------------


@routes.route("GET", "/organizations/{orgId}/common-settings", "getOrganizationSettings")
async def get_organization_settings(request: web.Request) -> web.StreamResponse:
    """The settings map, to a member (of an org that is still ACTIVE: else 5105, INVALID_ORG_ID text)."""
    fake = fake_of(request)
    user = caller(request)
    org_id = resolve_org_id(fake, request.match_info["orgId"])
    require_member(fake, user, org_id)
    org = fake.store.org(org_id)
    if org is None or not org.active:
        return keyed_error(fake, "UNABLE_TO_FIND_VALID_ORG", INVALID_ORG_ID_MESSAGE)
    return envelope_response(dict(org.common_settings))


class _SettingPathError(Exception):
    """MongoDB refuses the ``commonSettings.<key>`` path."""


#: MongoDB's limit on nested documents and arrays: an org (1), its commonSettings (2), then the key's segments.
_MONGO_MAX_DEPTH: Final = 100


def _set_path(settings: dict[str, Any], key: str, value: Any) -> None:
    """``$set`` of ``commonSettings.<key>``: a dotted key is a nested path (*derived* from MongoDB's
    rules: an empty or ``$``-prefixed segment, a path through a non-object, or a document nested
    deeper than 100 levels, fails)."""
    *parents, leaf = key.split(".")
    if 2 + len(parents) + 1 + json_depth(value) > _MONGO_MAX_DEPTH:
        raise _SettingPathError(key)
    node = settings
    for segment in (*parents, leaf):
        if not segment or segment.startswith("$"):
            raise _SettingPathError(key)
    for segment in parents:
        child = node.setdefault(segment, {})
        if not isinstance(child, dict):
            raise _SettingPathError(key)
        node = child
    node[leaf] = value


def _with_setting(key: str, value: Any, update_time: int) -> Callable[[Org], Org]:
    def change(org: Org) -> Org:
        settings = copy.deepcopy(dict(org.common_settings))
        _set_path(settings, key, value)
        _set_path(settings, f"{key}_updateTime", update_time)
        return replace(org, common_settings=MappingProxyType(settings))

    return change


@routes.route("PUT", "/organizations/{orgId}/common-settings", "updateOrganizationSettings")
async def update_organization_settings(request: web.Request) -> web.StreamResponse:
    """``{"key", "value"}``: stores the value (any JSON) and ``<key>_updateTime`` (epoch ms), to an admin.

    A null key is stored as ``"null"``.
    """
    fake = fake_of(request)
    user = caller(request)
    body = json_object_body(request, SETTINGS_REASON)
    key = text_field(body, "key", SETTINGS_REASON)
    value = java_value(body.get("value"))
    org_id = resolve_org_id(fake, request.match_info["orgId"])
    require_admin(fake, user, org_id)
    try:
        fake.store.change_org(org_id, _with_setting("null" if key is None else key, value, now_ms()))
    except _SettingPathError:
        return error_response("INTERNAL_SERVER_ERROR", fake.behaviours)
    return envelope_response(True)


# -- data source types ------------------------------------------------------------------------

#: Lowcoder's Java data source plugins, in its order: (id, name, hasStructureInfo).
DATASOURCE_TYPES: Final = (
    ("postgres", "PostgreSQL", True),
    ("restApi", "REST API", False),
    ("mongodb", "MongoDB", True),
    ("mysql", "MySQL", True),
    ("lowcoderApi", "Lowcoder API", False),
    ("es", "Elasticsearch", False),
    ("redis", "Redis", False),
    ("mssql", "Microsoft SQL Server", True),
    ("oracle", "Oracle", True),
    ("mariadb", "MariaDB", True),
    ("smtp", "SMTP", False),
    ("clickHouse", "ClickHouse", True),
    ("snowflake", "Snowflake", True),
    ("googleSheets", "Google Sheets", False),
    ("graphql", "GraphQL", False),
)


def datasource_types(fake: LowcoderFake) -> list[Mapping[str, Any]]:
    """The list as Lowcoder shows it (without the JS plugins a node-service would add)."""
    return [
        {"version": "default", "hasStructureInfo": structure, "definition": None, "id": type_id, "name": name}
        for type_id, name, structure in DATASOURCE_TYPES
        if type_id != "lowcoderApi" or fake.behaviours.lowcoder_api_datasource_type
    ]


@routes.route("GET", "/organizations/{orgId}/datasourceTypes", "getOrganizationDatasourceTypes")
async def get_organization_datasource_types(request: web.Request) -> web.StreamResponse:
    """Public; ``orgId`` is not looked at."""
    return envelope_response(datasource_types(fake_of(request)))
