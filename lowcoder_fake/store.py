"""The fake's state: orgs, users, memberships and sessions, in memory.

Plain Python, no aiohttp. Every public method takes the store's one lock, so
the server's event loop and a test's own thread can both use the store.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields, replace
from operator import attrgetter
from typing import Any, TypeVar

from lowcoder_fake.errors import InvalidInput
from lowcoder_fake.models import ApiKey, Membership, Org, User, now_ms

__all__ = ["Store"]


_Record = TypeVar("_Record", Org, User)


def _replaced(record: _Record, changes: dict[str, Any]) -> _Record:
    """``dataclasses.replace``, without its per-call introspection (it is on the hot path).

    A change that sets every field to the value it has gives back ``record`` itself
    (records are immutable): re-applying the same settings is common and costs little.
    """
    kind = type(record)
    layout = _LAYOUTS.get(kind)
    if layout is None:
        names = tuple(field.name for field in fields(record))
        layout = _LAYOUTS[kind] = ({name: index for index, name in enumerate(names)}, attrgetter(*names))
    positions, read_all = layout
    unchanged = True
    for name, value in changes.items():
        if name not in positions:
            raise TypeError(f"{kind.__name__} has no field {name!r}")
        old = getattr(record, name)
        unchanged = unchanged and (old is value or (type(old) is type(value) and old == value))
    if unchanged:
        return record
    values = list(read_all(record))
    for name, value in changes.items():
        values[positions[name]] = value
    return kind(*values)


_LAYOUTS: dict[type, tuple[dict[str, int], Callable[[Any], tuple[Any, ...]]]] = {}


class Store:
    """Orgs, users, memberships and sessions of one fake server."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._orgs: dict[str, Org] = {}
        self._users: dict[str, User] = {}
        self._memberships: dict[tuple[str, str], Membership] = {}
        self._sessions: dict[str, str] = {}
        self._api_keys: dict[str, dict[str, ApiKey]] = {}
        self._deleted_assets: set[str] = set()

    # -- whole state -------------------------------------------------------

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._orgs.clear()
            self._users.clear()
            self._memberships.clear()
            self._sessions.clear()
            self._api_keys.clear()
            self._deleted_assets.clear()

    # -- orgs ---------------------------------------------------------------

    def add_org(self, org: Org) -> Org:
        """Store a new org; its id, gid and slug must be free."""
        with self._lock:
            if org.id in self._orgs:
                raise InvalidInput("id", f"an org with id {org.id!r} exists already")
            for other in self._orgs.values():
                if other.gid == org.gid:
                    raise InvalidInput("gid", f"an org with gid {org.gid!r} exists already")
                if org.slug is not None and other.slug == org.slug:
                    raise InvalidInput("slug", f"an org with slug {org.slug!r} exists already")
            self._orgs[org.id] = org
            return org

    def org(self, org_id: str) -> Org | None:
        """The org with this id, or None."""
        with self._lock:
            return self._orgs.get(org_id)

    def org_by(self, *, gid: str | None = None, slug: str | None = None) -> Org | None:
        """The org with this gid or slug, or None."""
        with self._lock:
            for org in self._orgs.values():
                if (gid is not None and org.gid == gid) or (slug is not None and org.slug == slug):
                    return org
            return None

    def orgs(self) -> list[Org]:
        """All orgs, oldest first."""
        with self._lock:
            return list(self._orgs.values())

    def update_org(self, org_id: str, **changes: Any) -> Org:
        """Replace the given fields of an org; ``KeyError`` if there is none."""
        with self._lock:
            org = _replaced(self._orgs[org_id], changes)
            self._orgs[org_id] = org
            return org

    def change_org(self, org_id: str, change: Callable[[Org], Org]) -> Org:
        """Replace an org by ``change(org)`` in one step; ``KeyError`` if there is none.

        ``change`` runs under the lock: it reads the org as it is and must not block.
        """
        with self._lock:
            org = change(self._orgs[org_id])
            self._orgs[org_id] = org
            return org

    def delete_org(self, org_id: str) -> list[str]:
        """Soft-delete an org (state ``DELETED``) and remove all its memberships, in one step.

        Returns the ids of the users who were its members; ``KeyError`` if there is no such org.
        """
        with self._lock:
            self._orgs[org_id] = replace(self._orgs[org_id], state="DELETED")
            keys = [key for key in self._memberships if key[0] == org_id]
            for key in keys:
                del self._memberships[key]
            return [user_id for _, user_id in keys]

    def delete_asset(self, asset_id: str) -> bool:
        """Delete an uploaded asset (an org logo); False when it was deleted already.

        Asset contents are not kept: any id counts as existing until deleted.
        """
        with self._lock:
            if asset_id in self._deleted_assets:
                return False
            self._deleted_assets.add(asset_id)
            return True

    def first_active_org(self) -> Org | None:
        """The oldest ACTIVE org, or None."""
        with self._lock:
            return next((org for org in self._orgs.values() if org.active), None)

    # -- users --------------------------------------------------------------

    def add_user(self, user: User, roles: Mapping[str, str] | None = None) -> User:
        """Store a new user and its memberships (``{org_id: role}``).

        When the user has no current org, the first org of ``roles`` becomes it.
        """
        roles = dict(roles or {})
        with self._lock:
            if user.id in self._users:
                raise InvalidInput("id", f"a user with id {user.id!r} exists already")
            if self._user_by_email(user.email) is not None:
                raise InvalidInput("email", f"a user with email {user.email!r} exists already")
            for org_id in roles:
                if org_id not in self._orgs:
                    raise InvalidInput(f"orgs.{org_id}", f"no org with id {org_id!r}")
            if user.current_org_id is None and roles:
                user = replace(user, current_org_id=next(iter(roles)))
            self._users[user.id] = user
            for org_id, role in roles.items():
                self._memberships[(org_id, user.id)] = Membership(org_id, user.id, role)
            return user

    def user(self, user_id: str) -> User | None:
        """The user with this id, or None."""
        with self._lock:
            return self._users.get(user_id)

    def user_by_email(self, email: str) -> User | None:
        """The user whose login email is ``email``, or None."""
        with self._lock:
            return self._user_by_email(email)

    def _user_by_email(self, email: str) -> User | None:
        return next((user for user in self._users.values() if user.email == email), None)

    def users(self) -> list[User]:
        """All users, oldest first."""
        with self._lock:
            return list(self._users.values())

    def update_user(self, user_id: str, **changes: Any) -> User:
        """Replace the given fields of a user; ``KeyError`` if there is none."""
        with self._lock:
            user = _replaced(self._users[user_id], changes)
            self._users[user_id] = user
            return user

    # -- memberships --------------------------------------------------------

    def set_member(self, org_id: str, user_id: str, role: str) -> Membership:
        """Make the user a member of the org with ``role`` (keeping the join time of a member)."""
        with self._lock:
            if org_id not in self._orgs:
                raise InvalidInput("orgId", f"no org with id {org_id!r}")
            if user_id not in self._users:
                raise InvalidInput("userId", f"no user with id {user_id!r}")
            previous = self._memberships.get((org_id, user_id))
            join_time = previous.join_time if previous else now_ms()
            membership = Membership(org_id, user_id, role, join_time)
            self._memberships[(org_id, user_id)] = membership
            return membership

    def membership(self, org_id: str, user_id: str) -> Membership | None:
        """The user's membership of the org, or None."""
        with self._lock:
            return self._memberships.get((org_id, user_id))

    def memberships_of_user(self, user_id: str) -> list[Membership]:
        """The user's memberships, in the order they were made."""
        with self._lock:
            return [m for m in self._memberships.values() if m.user_id == user_id]

    def active_memberships_of_user(self, user_id: str) -> list[Membership]:
        """The user's memberships of ACTIVE orgs, in the order they were made."""
        with self._lock:
            return [
                m
                for m in self._memberships.values()
                if m.user_id == user_id and (org := self._orgs.get(m.org_id)) is not None and org.active
            ]

    def set_role(self, org_id: str, user_id: str, role: str) -> bool:
        """Change a member's role (keeping the join time); False, and no change, for a non-member."""
        with self._lock:
            membership = self._memberships.get((org_id, user_id))
            if membership is None:
                return False
            self._memberships[(org_id, user_id)] = replace(membership, role=role)
            return True

    def remove_member(self, org_id: str, user_id: str) -> bool:
        """End a membership; False when there was none."""
        with self._lock:
            return self._memberships.pop((org_id, user_id), None) is not None

    def has_member_with_role(self, roles: Iterable[str]) -> bool:
        """True when any user holds one of ``roles`` in any org."""
        wanted = set(roles)
        with self._lock:
            return any(m.role in wanted for m in self._memberships.values())

    def members_of_org(self, org_id: str) -> list[Membership]:
        """The org's memberships, in the order they were made."""
        with self._lock:
            return [m for m in self._memberships.values() if m.org_id == org_id]

    # -- sessions -----------------------------------------------------------

    def open_session(self, user_id: str) -> str:
        """A new session token (32 hex digits) for the user."""
        with self._lock:
            if user_id not in self._users:
                raise InvalidInput("userId", f"no user with id {user_id!r}")
            token = secrets.token_hex(16)
            self._sessions[token] = user_id
            return token

    def session_user(self, token: str) -> User | None:
        """The user signed in with this session token, or None."""
        with self._lock:
            user_id = self._sessions.get(token)
            return self._users.get(user_id) if user_id is not None else None

    def close_session(self, token: str) -> None:
        """End a session (unknown tokens are ignored)."""
        with self._lock:
            self._sessions.pop(token, None)

    def session_tokens_of(self, user_id: str) -> list[str]:
        """The user's live session tokens, oldest first."""
        with self._lock:
            return [token for token, owner in self._sessions.items() if owner == user_id]

    # -- API keys -------------------------------------------------------------

    def put_api_key(self, key: ApiKey) -> ApiKey:
        """Store a user's key (a key with the same id is replaced, as Lowcoder does)."""
        with self._lock:
            if key.user_id not in self._users:
                raise InvalidInput("userId", f"no user with id {key.user_id!r}")
            self._api_keys.setdefault(key.user_id, {})[key.id] = key
            return key

    def api_keys_of(self, user_id: str) -> list[ApiKey]:
        """The user's keys, oldest first."""
        with self._lock:
            return list(self._api_keys.get(user_id, {}).values())

    def delete_api_key(self, user_id: str, key_id: str) -> bool:
        """Delete one of the user's keys; False when the user has no key with that id."""
        with self._lock:
            return self._api_keys.get(user_id, {}).pop(key_id, None) is not None

    def has_api_key_token(self, user_id: str, token: str) -> bool:
        """True when ``token`` is one of the user's live keys."""
        with self._lock:
            return any(key.token == token for key in self._api_keys.get(user_id, {}).values())

    def load(self, orgs: Iterable[Org], users: Iterable[tuple[User, Mapping[str, str]]]) -> None:
        """Replace everything with these orgs and users (with their roles), or nothing on error."""
        fresh = Store()
        for index, org in enumerate(orgs):
            try:
                fresh.add_org(org)
            except InvalidInput as error:
                raise error.within(f"orgs[{index}]") from None
        for index, (user, roles) in enumerate(users):
            try:
                fresh.add_user(user, roles)
            except InvalidInput as error:
                raise error.within(f"users[{index}]") from None
        with self._lock:
            self._orgs, self._users = fresh._orgs, fresh._users
            self._memberships, self._sessions = fresh._memberships, fresh._sessions
            self._api_keys = fresh._api_keys
            self._deleted_assets = fresh._deleted_assets
