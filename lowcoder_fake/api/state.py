"""Health: ``HEAD /api/state/healthCheck``, ``GET /`` and ``GET /api/status/health`` (reference §5)."""

from __future__ import annotations

from typing import Final

from aiohttp import web

from lowcoder_fake.api.http import envelope_response, error_response, fake_of, json_response
from lowcoder_fake.api.routing import OperationTable
from lowcoder_fake.versions import Behaviours

__all__ = ["routes"]

routes = OperationTable()

ROOT_MESSAGE: Final = "Lowcoder API is up and runnig"  # the typo is Lowcoder's
ACTUATOR_HEALTH: Final = (
    '{"status":"UP","components":{"mongo":{"status":"UP"},"ping":{"status":"UP"},"redis":{"status":"UP"}}}'
)


def _has_health_pages(behaviours: Behaviours) -> bool:
    return behaviours.root_and_status_health


@routes.route("HEAD", "/state/healthCheck", "healthCheck")
async def health_check(request: web.Request) -> web.StreamResponse:
    """503 (SERVER_NOT_READY) on the first call after start, 200 after."""
    fake = fake_of(request)
    if not fake.warmed_up:
        fake.warmed_up = True
        return error_response("SERVER_NOT_READY", fake.behaviours)
    return envelope_response(True)


@routes.route("GET", "/", "getRoot", prefixes=("",), available=_has_health_pages)
async def root(request: web.Request) -> web.StreamResponse:
    return json_response('{"code":1,"message":"' + ROOT_MESSAGE + '","success":true}')


@routes.route("GET", "/status/health", "getStatusHealth", prefixes=("/api",), available=_has_health_pages)
async def status_health(request: web.Request) -> web.StreamResponse:
    """Spring actuator's health JSON (components shown, details not), not the envelope."""
    return json_response(ACTUATOR_HEALTH, content_type="application/vnd.spring-boot.actuator.v3+json")
