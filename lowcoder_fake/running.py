"""RunningFake: a fake on a real socket in this process, as the pytest fixture hands it out.

It is :class:`~lowcoder_fake.facade.FakeFacade` over a
:class:`~lowcoder_fake.server.FakeServer` run in a background thread, so
it serves sync and async tests alike: ``url``, ``journal``, ``faults``,
``store``, state helpers and sessions. The journal, faults and store are the
fake's own objects (thread-safe), not copies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lowcoder_fake.facade import DEFAULT_PASSWORD, FakeFacade, Session, user_description
from lowcoder_fake.fake import FakeConfig, LowcoderFake
from lowcoder_fake.faults import Faults
from lowcoder_fake.journal import Journal
from lowcoder_fake.server import FakeServer
from lowcoder_fake.store import Store
from lowcoder_fake.views import org_json, user_json

__all__ = ["RunningFake"]


class RunningFake(FakeFacade):
    """A fake served from a background thread of this process.

    ``with RunningFake.start(config) as fake: ...`` starts and stops one; the
    pytest fixture keeps one per configuration and resets it between tests.
    """

    def __init__(self, server: FakeServer) -> None:
        self.server = server

    @classmethod
    def start(cls, config: FakeConfig | None = None) -> RunningFake:
        """Start a fake on a free loopback port, in a background thread."""
        server = FakeServer(config)
        server.start_in_thread()
        return cls(server)

    def stop(self) -> None:
        """Stop serving (idempotent)."""
        self.server.stop_thread()

    def __enter__(self) -> RunningFake:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self.server.running

    def __repr__(self) -> str:
        where = self.url if self.running else "stopped"
        return f"RunningFake(Lowcoder {self.fake.lowcoder_version}, {where})"

    # -- what it is made of ----------------------------------------------------------

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def fake(self) -> LowcoderFake:
        """The fake itself: config, behaviours, data set."""
        return self.server.fake

    @property
    def journal(self) -> Journal:
        return self.server.fake.journal

    @property
    def faults(self) -> Faults:
        """The fault rules: ``add(match=..., effect=...)``, ``rules()``, ``remove(id)``, ``clear()``."""
        return self.server.fake.faults

    @property
    def store(self) -> Store:
        """The state as records (orgs, users, memberships, sessions)."""
        return self.server.fake.store

    @property
    def lowcoder_version(self) -> str:
        return self.server.fake.lowcoder_version

    @property
    def cookie_name(self) -> str:
        """The session cookie's name (``LOWCODER_CE_SELFHOST_TOKEN`` unless configured)."""
        return self.server.fake.config.cookie_name

    # -- state -------------------------------------------------------------------------

    def add_org(self, name: str, **fields: Any) -> dict[str, Any]:
        org = self.fake.add_org({**fields, "name": name})
        return org_json(org, self.fake.behaviours)

    def add_user(
        self,
        email: str,
        password: str = DEFAULT_PASSWORD,
        *,
        name: str | None = None,
        orgs: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        description = user_description(email, password, name=name, orgs=orgs)
        return user_json(self.fake.add_user(description), self.store)

    def sign_in(self, email: str | None = None, *, user_id: str | None = None) -> Session:
        return Session(self.cookie_name, self.fake.open_session(email=email, user_id=user_id))

    def orgs(self) -> list[dict[str, Any]]:
        return [org_json(org, self.fake.behaviours) for org in self.store.orgs()]

    def org(self, org_id: str) -> dict[str, Any] | None:
        org = self.store.org(org_id)
        return org_json(org, self.fake.behaviours) if org is not None else None

    def user(self, user_id: str) -> dict[str, Any] | None:
        user = self.store.user(user_id)
        return user_json(user, self.store) if user is not None else None

    def users(self) -> list[dict[str, Any]]:
        return [user_json(user, self.store) for user in self.store.users()]

    def reset(self) -> None:
        self.fake.reset()
