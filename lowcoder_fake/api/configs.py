"""``/api/configs``: the public instance configuration (reference §5)."""

from __future__ import annotations

from aiohttp import web

from lowcoder_fake.api.http import envelope_response, fake_of
from lowcoder_fake.api.routing import OperationTable
from lowcoder_fake.fake import LowcoderFake
from lowcoder_fake.jsontext import RepeatedKeys

__all__ = ["routes"]

routes = OperationTable()


def _email_auth_entry(enable_register: bool) -> RepeatedKeys:
    """An auth entry as Lowcoder writes it: ``authType`` really appears twice."""
    return RepeatedKeys(
        [
            ("authType", "FORM"),
            ("id", "EMAIL"),
            ("source", "EMAIL"),
            ("sourceName", "EMAIL"),
            ("enable", True),
            ("enableRegister", enable_register),
            ("authType", "FORM"),
        ]
    )


def _auth_configs(fake: LowcoderFake) -> list[RepeatedKeys]:
    entries = [_email_auth_entry(fake.sign_up_open())]
    if fake.workspace_mode == "ENTERPRISE" and fake.behaviours.global_email_auth_config:
        entries.append(_email_auth_entry(fake.sign_up_open()))
    return entries


@routes.route("GET", "/configs", "listConfigs")
async def list_configs(request: web.Request) -> web.StreamResponse:
    fake = fake_of(request)
    return envelope_response(
        {
            "authConfigs": _auth_configs(fake),
            "workspaceMode": fake.workspace_mode,
            "selfDomain": False,
            "cookieName": fake.config.cookie_name,
            "cloudHosting": False,
        }
    )


@routes.route("GET", "/configs/deploymentId", "getDeploymentId")
async def get_deployment_id(request: web.Request) -> web.StreamResponse:
    """A raw 32-hex string, no envelope."""
    return web.Response(text=fake_of(request).config.deployment_id, content_type="text/plain")
