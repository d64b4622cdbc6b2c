"""Helpers shared by the tests (importable as ``support``: pytest puts tests/ on sys.path)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestClient

from lowcoder_fake.fake import LowcoderFake

#: The default data set's documented accounts (README).
ADMIN = {"email": "admin@example.com", "password": "Admin-Password-1"}
MEMBER = {"email": "member@example.com", "password": "Member-Password-1"}
COOKIE = "LOWCODER_CE_SELFHOST_TOKEN"


@dataclass
class Running:
    """A fake behind a test client."""

    client: TestClient[Any, Any]
    fake: LowcoderFake

    @property
    def first_org_id(self) -> str:
        """The default data set's first org, administered by ADMIN, with MEMBER as member."""
        return self.fake.store.orgs()[0].id

    def session_headers(self, email: str) -> dict[str, str]:
        """A Cookie header signing in as ``email`` (a session made without calling login)."""
        return {"Cookie": f"{COOKIE}={self.fake.open_session(email=email)}"}


MakeFake = Callable[..., Awaitable[Running]]
