"""What a test drives a fake with, in-process or over HTTP: state, sessions, one-call setups.

:class:`~lowcoder_fake.running.RunningFake` (the pytest fixture's object)
and :class:`~lowcoder_fake.client.FakeClient` (a fake running elsewhere)
both implement :class:`FakeFacade`, so a test reads the same either way:
orgs and users as the control API shows them (JSON objects), sessions as
:class:`Session`, and :meth:`FakeFacade.given_user` for the usual setup.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from lowcoder_fake.assertions import CallAssertions

__all__ = ["DEFAULT_ORG_NAME", "DEFAULT_PASSWORD", "Account", "FakeFacade", "Session", "user_description"]

DEFAULT_PASSWORD: Final = "Fake-Password-1"
DEFAULT_ORG_NAME: Final = "Acme"


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in session: what Lowcoder's login puts in its cookie."""

    cookie_name: str
    token: str = field(repr=False)

    @property
    def cookies(self) -> dict[str, str]:
        """``{cookie name: token}``, for ``requests``/``httpx``/``aiohttp`` ``cookies=``."""
        return {self.cookie_name: self.token}

    @property
    def headers(self) -> dict[str, str]:
        """``{"Cookie": "NAME=token"}``, for any client's ``headers=``."""
        return {"Cookie": f"{self.cookie_name}={self.token}"}


@dataclass(frozen=True, slots=True)
class Account:
    """A user made for a test: its org, its role there, its credentials and a session."""

    org_id: str
    user_id: str
    email: str
    password: str = field(repr=False)
    role: str
    session: Session

    @property
    def cookies(self) -> dict[str, str]:
        """The session's cookies (see :attr:`Session.cookies`)."""
        return self.session.cookies

    @property
    def headers(self) -> dict[str, str]:
        """The session's ``Cookie`` header (see :attr:`Session.headers`)."""
        return self.session.headers


def user_description(
    email: str, password: str, *, name: str | None = None, orgs: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A user as the control API (and ``LowcoderFake.add_user``) takes it."""
    description: dict[str, Any] = {"email": email, "password": password, "orgs": dict(orgs or {})}
    if name is not None:
        description["name"] = name
    return description


class FakeFacade(abc.ABC):
    """A fake as a test sees it: ``url``, ``journal``, ``faults``, state and sessions."""

    @property
    @abc.abstractmethod
    def url(self) -> str:
        """The fake's base URL, ``http://host:port``, without a trailing slash."""

    @property
    @abc.abstractmethod
    def journal(self) -> CallAssertions:
        """The recorded calls, with ``calls()``, ``assert_called()``, ``wait_for()``…"""

    @abc.abstractmethod
    def add_org(self, name: str, **fields: Any) -> dict[str, Any]:
        """Create an org; ``fields`` as the control API takes them (``contactName``, ``id``…).

        Returns the org as Lowcoder shows it.
        """

    @abc.abstractmethod
    def add_user(
        self,
        email: str,
        password: str = DEFAULT_PASSWORD,
        *,
        name: str | None = None,
        orgs: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """Create a user with roles: ``{org_id: "admin" | "member" | "super_admin"}``.

        The first org listed becomes its current org. Returns the user as the control API shows it.
        """

    @abc.abstractmethod
    def sign_in(self, email: str | None = None, *, user_id: str | None = None) -> Session:
        """A signed-in session for the user, as login would give, without calling login (nothing recorded)."""

    @abc.abstractmethod
    def orgs(self) -> list[dict[str, Any]]:
        """Every org, as Lowcoder shows it."""

    @abc.abstractmethod
    def org(self, org_id: str) -> dict[str, Any] | None:
        """One org as Lowcoder shows it, or None."""

    @abc.abstractmethod
    def user(self, user_id: str) -> dict[str, Any] | None:
        """One user as the control API shows it, or None."""

    @abc.abstractmethod
    def users(self) -> list[dict[str, Any]]:
        """Every user, as the control API shows it (``id``, ``email``, ``orgs``: roles…; never the password)."""

    @abc.abstractmethod
    def reset(self) -> None:
        """State back to the data set, the journal emptied, no fault rules."""

    def given_user(
        self,
        *,
        role: str = "admin",
        org_name: str = DEFAULT_ORG_NAME,
        org_id: str | None = None,
        email: str | None = None,
        password: str = DEFAULT_PASSWORD,
        name: str | None = None,
    ) -> Account:
        """An org (a new one named ``org_name``, or ``org_id``'s), a user with ``role`` in it, and a session.

        The email defaults to one made from the role and org id, unique in the fake.
        """
        if org_id is None:
            org_id = str(self.add_org(org_name)["id"])
        email = email or self._free_email(f"{role.replace('_', '-')}-{org_id[-8:]}")
        user = self.add_user(email, password, name=name, orgs={org_id: role})
        session = self.sign_in(user_id=str(user["id"]))
        return Account(org_id, str(user["id"]), email, password, role, session)

    def _free_email(self, local_part: str) -> str:
        taken = {user["email"] for user in self.users()}
        email, number = f"{local_part}@example.com", 1
        while email in taken:
            number += 1
            email = f"{local_part}-{number}@example.com"
        return email

    def given_admin(self, org_name: str = DEFAULT_ORG_NAME, **options: Any) -> Account:
        """A new org, its admin and a signed-in session: ``given_user(role="admin", org_name=...)``."""
        return self.given_user(role="admin", org_name=org_name, **options)
