"""The fake itself, apart from HTTP: its settings, state, journal and Python API.

The control endpoint and the Python API both call the methods here, so a
test gets the same answers whichever way it asks.
"""

from __future__ import annotations

import re
import secrets
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from lowcoder_fake import jwt
from lowcoder_fake.errors import FakeError, InvalidInput
from lowcoder_fake.faults import Faults
from lowcoder_fake.journal import DEFAULT_LIMIT, Journal
from lowcoder_fake.models import ApiKey, Org, User
from lowcoder_fake.seed import DataSet, default_data_set
from lowcoder_fake.specs import MEMBER_ROLES, org_from_json, user_from_json
from lowcoder_fake.store import Store
from lowcoder_fake.versions import DEFAULT_VERSION, Behaviours

__all__ = ["DEFAULT_COOKIE_NAME", "WORKSPACE_MODES", "FakeConfig", "LowcoderFake"]

DEFAULT_COOKIE_NAME: Final = "LOWCODER_CE_SELFHOST_TOKEN"
_COOKIE_NAME: Final = re.compile(r"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$")
WORKSPACE_MODES: Final = ("ENTERPRISE", "SAAS")


@dataclass(frozen=True, slots=True)
class FakeConfig:
    """How a fake behaves: which Lowcoder it imitates and what data it starts with."""

    lowcoder_version: str = DEFAULT_VERSION
    data: DataSet | None = None
    """The data set to start with (and return to on reset); None means the default one."""
    workspace_mode: str | None = None
    """``"ENTERPRISE"`` or ``"SAAS"``; None means the version's default (SAAS from 2.3.0)."""
    email_sign_up: bool = True
    """Whether the EMAIL auth config lets new users register."""
    cookie_name: str = DEFAULT_COOKIE_NAME
    api_key_secret: str | None = None
    """The secret API keys are signed with; None means the version's default."""
    journal_limit: int = DEFAULT_LIMIT
    """How many calls the journal keeps; older ones are dropped (and counted)."""
    control: bool = True
    """Serve the control endpoint ``/__fake__`` (False: the Lowcoder API only)."""
    control_token: str | None = None
    """When set, every control call must send ``Authorization: Bearer <token>``."""
    deployment_id: str = field(default_factory=lambda: secrets.token_hex(16))


class LowcoderFake:
    """One fake Lowcoder server's state, journal and behaviours."""

    def __init__(self, config: FakeConfig | None = None) -> None:
        self.config = config or FakeConfig()
        self.behaviours = Behaviours.of(self.config.lowcoder_version)
        if not _COOKIE_NAME.match(self.config.cookie_name):
            raise FakeError(
                f"lowcoder-fake: cookie name {self.config.cookie_name!r} is not a valid cookie name "
                "(letters, digits and !#$%&'*+-.^_`|~ only)"
            )
        mode = self.config.workspace_mode or self.behaviours.default_workspace_mode
        if mode not in WORKSPACE_MODES:
            raise FakeError(f"lowcoder-fake: unknown workspace mode {mode!r}; known: {', '.join(WORKSPACE_MODES)}")
        token = self.config.control_token
        if token is not None and (not isinstance(token, str) or not token.strip()):
            raise FakeError(f"lowcoder-fake: the control token must be non-blank text, got {token!r}")
        self._configured_workspace_mode: str = mode
        self.workspace_mode: str = mode
        self.api_key_secret = self.config.api_key_secret or self.behaviours.default_api_key_secret
        self.data_set = self.config.data if self.config.data is not None else default_data_set()
        self.store = Store()
        self.journal = Journal(self.config.journal_limit)
        self.faults = Faults()
        self.warmed_up = False
        self.epoch = 0
        """Counts resets: a call held or delayed across one is dropped, not applied or recorded."""
        self.reset()

    @property
    def lowcoder_version(self) -> str:
        return str(self.behaviours.version)

    def reset(self) -> None:
        """Back to the start: the data set's state and workspace mode, an empty journal, no fault
        rules, a cold health check. Calls held or delayed by a rule are dropped."""
        self.epoch += 1
        self.workspace_mode = self._configured_workspace_mode
        self.store.load(self.data_set.orgs, [(user, self._known_roles(roles)) for user, roles in self.data_set.users])
        self.journal.clear()
        self.faults.clear()
        self.warmed_up = False

    def sign_up_open(self) -> bool:
        """Whether form registration is allowed now (always, from 2.1.0, while there is no admin)."""
        if self.config.email_sign_up:
            return True
        return self.behaviours.register_allowed_without_admin and not self.store.has_member_with_role(
            self.behaviours.admin_roles()
        )

    # -- the Python twins of the control API ---------------------------------

    def add_org(self, description: dict[str, Any]) -> Org:
        """Create an org from its JSON description (``name`` required, ``id`` optional)."""
        return self.store.add_org(org_from_json(description))

    def add_user(self, description: dict[str, Any]) -> User:
        """Create a user from ``{"email", "password", "name"?, "orgs"?: {orgId: role}}``."""
        user, roles = user_from_json(description)
        return self.store.add_user(user, self._known_roles(roles))

    def _known_roles(self, roles: Mapping[str, str]) -> dict[str, str]:
        """Roles as this version stores them: one it does not know becomes ``member``."""
        known = self.behaviours.known_roles()
        return {org_id: role if role in known else "member" for org_id, role in roles.items()}

    def find_user(self, *, email: str | None = None, user_id: str | None = None) -> User:
        """The user named by exactly one of ``email`` and ``user_id``; InvalidInput otherwise."""
        if (email is None) == (user_id is None):
            raise InvalidInput("email", "give exactly one of email and userId")
        user = self.store.user_by_email(email) if email is not None else self.store.user(str(user_id))
        if user is None:
            field_name, value = ("email", email) if email is not None else ("userId", user_id)
            raise InvalidInput(field_name, f"no user with {field_name} {value!r}")
        return user

    def open_session(self, *, email: str | None = None, user_id: str | None = None) -> str:
        """A signed-in session token for the user, as login would give (no call recorded)."""
        return self.store.open_session(self.find_user(email=email, user_id=user_id).id)

    def issue_api_key(
        self, user: User, *, name: str | None = None, description: str | None = None, key_id: str | None = None
    ) -> ApiKey:
        """A new API key for ``user``: an HS256 JWT as Lowcoder makes it (same id replaces a key)."""
        claims = {"sub": user.id, "iat": int(time.time()), "userId": user.id, "createdBy": user.name}
        token = jwt.sign(claims, self.api_key_secret)
        key = ApiKey(key_id or uuid.uuid4().hex, user.id, name, description, token)
        return self.store.put_api_key(key)

    def add_member(self, org_id: str, role: str, *, email: str | None = None, user_id: str | None = None) -> None:
        """Make a user a member of an org with ``role`` (an existing member gets the role)."""
        if role not in MEMBER_ROLES:
            raise InvalidInput("role", f"{role!r} is not one of {', '.join(MEMBER_ROLES)}")
        user = self.find_user(email=email, user_id=user_id)
        self.store.set_member(org_id, user.id, self._known_roles({org_id: role})[org_id])
        if user.current_org_id is None:
            self.store.update_user(user.id, current_org_id=org_id)

    def drop_calls_in_flight(self) -> None:
        """Drop the calls a rule holds or delays now (as a reset does), e.g. before stopping."""
        self.epoch += 1

    def set_workspace_mode(self, mode: str) -> None:
        """Switch between ``ENTERPRISE`` and ``SAAS`` (until the next reset)."""
        if mode not in WORKSPACE_MODES:
            raise InvalidInput("workspaceMode", f"{mode!r} is not one of {', '.join(WORKSPACE_MODES)}")
        self.workspace_mode = mode
