"""Data sets: the orgs and users a fake starts with, and returns to on reset.

A data set comes from a JSON file (:func:`load_data_set`), from a JSON
document already parsed (:func:`data_set_from_json`), from a seed
(:func:`generate_data_set`, realistic and reproducible, made with faker), or
is the one shipped with the package (:func:`default_data_set`).

The file format is ``{"orgs": [<org>...], "users": [<user>...]}``; an org or
user takes the fields :mod:`lowcoder_fake.specs` accepts. Everything wrong
with a data set raises :class:`DataSetError`, whose message names the data
set and the bad entry and field.
"""

from __future__ import annotations

import copy
import json
import os
import re
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from lowcoder_fake.errors import InvalidInput
from lowcoder_fake.models import Org, User
from lowcoder_fake.specs import org_from_json, user_from_json
from lowcoder_fake.store import Store

if TYPE_CHECKING:
    from random import Random

__all__ = [
    "SEEDED_PASSWORDS",
    "DataSet",
    "DataSetError",
    "data_set_from_json",
    "data_set_to_json",
    "default_data_set",
    "generate_data_set",
    "load_data_set",
]

_TOP_LEVEL_FIELDS: Final = ("orgs", "users")

# Generated data sets start somewhere in 2022-2024 (epoch seconds).
_EPOCH_START: Final = 1_640_995_200  # 2022-01-01T00:00:00Z
_EPOCH_SPAN: Final = 3 * 365 * 24 * 3600
_DAY: Final = 24 * 3600


class DataSetError(InvalidInput):
    """A data set cannot be read or is wrong.

    ``source`` names the data set (a file path, ``seed 42``, ``default``);
    ``field`` the bad entry and field (``users[1].orgs.<id>``), empty when the
    whole data set is at fault (missing file, not JSON).
    """

    def __init__(self, source: str, field: str, problem: str) -> None:
        super().__init__(field, problem)
        self.source = source
        where = f"{field}: {problem}" if field else problem
        self.args = (f"lowcoder-fake: data set '{source}': {where}",)

    def within(self, prefix: str) -> DataSetError:
        """The same error, its field placed under ``prefix``."""
        moved = super().within(prefix)
        return DataSetError(self.source, moved.field, moved.problem)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return DataSetError, (self.source, self.field, self.problem)


@dataclass(frozen=True, slots=True)
class DataSet:
    """Orgs and users a fake starts with (and returns to on reset).

    Two data sets are equal when their orgs and users are; ``source`` only
    says where one came from, for messages.
    """

    orgs: tuple[Org, ...]
    users: tuple[tuple[User, Mapping[str, str]], ...]  # user, {org_id: role}
    source: str = field(compare=False)  # a file path, "seed 42", "default"


# -- reading -------------------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _array(document: Mapping[str, Any], name: str, source: str) -> list[Any]:
    value = document.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise DataSetError(source, name, f"expected an array, got {_kind(value)}")
    return value


def data_set_from_json(document: Any, source: str) -> DataSet:
    """The data set a JSON document (``{"orgs": [...], "users": [...]}``) describes.

    ``source`` names the document in error messages. Ids and times an entry
    leaves out are made now. A user's first org is its current org.
    """
    if not isinstance(document, dict):
        raise DataSetError(
            source, "", f'expected a JSON object with "orgs" and "users" at the top level, got {_kind(document)}'
        )
    for name in document:
        if name not in _TOP_LEVEL_FIELDS:
            raise DataSetError(source, str(name), f"unknown field; known fields: {', '.join(_TOP_LEVEL_FIELDS)}")

    orgs: list[Org] = []
    for index, entry in enumerate(_array(document, "orgs", source)):
        try:
            orgs.append(org_from_json(entry))
        except InvalidInput as error:
            raise _wrap(error.within(f"orgs[{index}]"), source) from None

    users: list[tuple[User, Mapping[str, str]]] = []
    for index, entry in enumerate(_array(document, "users", source)):
        try:
            user, roles = user_from_json(entry)
        except InvalidInput as error:
            raise _wrap(error.within(f"users[{index}]"), source) from None
        user = replace(user, current_org_id=next(iter(roles), None))
        users.append((user, MappingProxyType(dict(roles))))

    try:  # duplicate ids and emails, roles in unknown orgs
        Store().load(orgs, users)
    except InvalidInput as error:
        raise _wrap(error, source) from None

    user_ids = {user.id for user, _ in users}
    for index, org in enumerate(orgs):
        if org.created_by is not None and org.created_by not in user_ids:
            raise DataSetError(
                source, f"orgs[{index}].createdBy", f"no user with id {org.created_by!r} in the data set"
            )

    return DataSet(orgs=tuple(orgs), users=tuple(users), source=source)


def _wrap(error: InvalidInput, source: str) -> DataSetError:
    return DataSetError(source, error.field, error.problem)


class _RepeatedKeyError(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object_without_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _RepeatedKeyError(key)
        obj[key] = value
    return obj


def _parse(raw: bytes, source: str) -> DataSet:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataSetError(source, "", f"not UTF-8 text (bad byte at offset {error.start})") from None
    try:
        document = json.loads(text, object_pairs_hook=_object_without_repeats)
    except json.JSONDecodeError as error:
        raise DataSetError(
            source, "", f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except _RepeatedKeyError as error:
        raise DataSetError(source, "", f"the key {error.key!r} appears twice in one object") from None
    return data_set_from_json(document, source)


def _read(path: Path, source: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataSetError(source, "", "no such file") from None
    except IsADirectoryError:
        raise DataSetError(source, "", "is a directory, not a file") from None
    except OSError as error:
        raise DataSetError(source, "", f"cannot read it: {error.strerror or error}") from None


def load_data_set(path: str | os.PathLike[str]) -> DataSet:
    """The data set in a JSON file; its source is the path as given."""
    source = os.fspath(path)
    return _parse(_read(Path(source), source), source)


@cache
def default_data_set() -> DataSet:
    """The data set shipped with lowcoder-fake (``fixtures/default.json``), source ``default``.

    An installed package has it at ``lowcoder_fake/_data/default.json``; a
    source checkout at ``fixtures/default.json``. Read and checked once per
    process (a data set is immutable): every fake without ``data`` starts from it.
    """
    import importlib.resources  # only here: import time of the package matters

    resource = importlib.resources.files("lowcoder_fake") / "_data" / "default.json"
    if resource.is_file():
        return _parse(resource.read_bytes(), "default")
    checkout = Path(__file__).resolve().parent.parent / "fixtures" / "default.json"
    if not checkout.is_file():
        raise DataSetError(
            "default", "", f"not found in the package (lowcoder_fake/_data/default.json) nor at {checkout}"
        )
    return _parse(_read(checkout, "default"), "default")


# -- writing -------------------------------------------------------------------


def _org_to_json(org: Org) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": org.id, "name": org.name, "gid": org.gid}
    optional: tuple[tuple[str, Any], ...] = (
        ("slug", org.slug),
        ("createdBy", org.created_by),
        ("isAutoGeneratedOrganization", org.is_auto_generated or None),
        ("contactName", org.contact_name),
        ("contactEmail", org.contact_email),
        ("contactPhoneNumber", org.contact_phone_number),
        ("source", org.source),
        ("thirdPartyCompanyId", org.third_party_company_id),
    )
    entry.update((name, value) for name, value in optional if value is not None)
    entry["state"] = org.state
    if org.common_settings:
        entry["commonSettings"] = copy.deepcopy(dict(org.common_settings))
    if org.logo_url:
        entry["logoUrl"] = org.logo_url
    entry["createTime"] = org.create_time
    if org.auth_configs:
        entry["authConfigs"] = [copy.deepcopy(dict(config)) for config in org.auth_configs]
    return entry


def _user_to_json(user: User, roles: Mapping[str, str]) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "password": user.password,
        "name": user.name,
        "orgs": dict(roles),
        "createTime": user.create_time,
    }


def data_set_to_json(data_set: DataSet) -> dict[str, Any]:
    """The data set as a JSON document in the file format (passwords included).

    :func:`data_set_from_json` gives back an equal data set. A user's current
    org is not written: it is the first org of its roles.
    """
    return {
        "orgs": [_org_to_json(org) for org in data_set.orgs],
        "users": [_user_to_json(user, roles) for user, roles in data_set.users],
    }


# -- generating ----------------------------------------------------------------


def _object_id(random: Random, epoch_second: int) -> str:
    """An ObjectId-like id: 8 hex digits of the second, 16 random hex digits."""
    return f"{epoch_second:08x}{random.getrandbits(64):016x}"


def _email_local_part(first: str, last: str) -> str:
    def clean(text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]", "", ascii_text.lower())

    return ".".join(part for part in (clean(first), clean(last)) if part) or "user"


#: The password of every generated user, by role (documented in the README).
SEEDED_PASSWORDS: Final = MappingProxyType({"admin": "Admin-Password-1", "member": "Member-Password-1"})


def generate_data_set(seed: int, *, orgs: int = 3) -> DataSet:
    """A realistic data set made with faker, the same for the same seed (and faker version).

    Each org gets an admin (who created it, and is its contact) and a
    member. Ids, gids and times come from the seed; passwords are the
    documented ``Admin-Password-1`` and ``Member-Password-1``, so a client
    can sign in with form login.
    """
    source = f"seed {seed}"
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise DataSetError(source, "seed", f"must be a whole number >= 0, got {seed!r}")
    if isinstance(orgs, bool) or not isinstance(orgs, int) or orgs < 1:
        raise DataSetError(source, "orgs", f"must be a whole number >= 1, got {orgs!r}")
    try:
        from faker import Faker  # only here: import time of the package matters
    except ImportError:
        raise DataSetError(source, "", "generating a data set needs faker (pip install faker)") from None

    fake = Faker("en_US")
    fake.seed_instance(seed)
    random = fake.random
    emails: set[str] = set()

    def new_user(epoch_ms: int, org_id: str, role: str) -> tuple[User, Mapping[str, str]]:
        first, last = fake.first_name(), fake.last_name()
        local, domain = _email_local_part(first, last), fake.safe_domain_name()
        email, number = f"{local}@{domain}", 1
        while email in emails:
            number += 1
            email = f"{local}{number}@{domain}"
        emails.add(email)
        user = User(
            id=_object_id(random, epoch_ms // 1000),
            email=email,
            password=SEEDED_PASSWORDS[role],
            name=f"{first} {last}",
            create_time=epoch_ms,
            current_org_id=org_id,
        )
        return user, MappingProxyType({org_id: role})

    org_list: list[Org] = []
    users: list[tuple[User, Mapping[str, str]]] = []
    signup_ms = (_EPOCH_START + random.randrange(_EPOCH_SPAN)) * 1000
    for _ in range(orgs):
        signup_ms += random.randrange(_DAY, 60 * _DAY) * 1000 + random.randrange(1000)
        org_ms = signup_ms + random.randrange(1000, 5000)  # the admin makes the org right after signing up
        org_id = _object_id(random, org_ms // 1000)
        admin = new_user(signup_ms, org_id, "admin")
        member = new_user(org_ms + random.randrange(3600, 30 * _DAY) * 1000 + random.randrange(1000), org_id, "member")
        org_list.append(
            Org(
                id=org_id,
                name=fake.company(),
                gid=str(uuid.UUID(int=random.getrandbits(128), version=4)),
                created_by=admin[0].id,
                contact_name=admin[0].name,
                contact_email=admin[0].email,
                contact_phone_number=fake.phone_number(),
                create_time=org_ms,
            )
        )
        users += [admin, member]
    return DataSet(orgs=tuple(org_list), users=tuple(users), source=source)
