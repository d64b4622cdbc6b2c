"""Shared test fixtures: a fake Lowcoder app behind an aiohttp test client."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import DummyCookieJar
from support import ADMIN, COOKIE, MEMBER, MakeFake, Running

from lowcoder_fake.app import create_app
from lowcoder_fake.fake import FakeConfig, LowcoderFake

__all__ = ["ADMIN", "COOKIE", "MEMBER", "MakeFake", "Running"]


@pytest.fixture
def make_fake(aiohttp_client: Any) -> MakeFake:
    """``await make_fake("2.7.6", workspace_mode=...)``: a fresh fake and its client.

    The client keeps no cookies between calls, so each call says who it is.
    """

    async def make(version: str = "2.1.6", **config: Any) -> Running:
        fake = LowcoderFake(FakeConfig(lowcoder_version=version, **config))
        client = await aiohttp_client(create_app(fake), cookie_jar=DummyCookieJar())
        return Running(client, fake)

    return make
