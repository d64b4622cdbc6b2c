"""Data sets: the default one, generated ones, files, and the errors bad files give."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lowcoder_fake.errors import FakeError, InvalidInput
from lowcoder_fake.seed import (
    DataSet,
    DataSetError,
    data_set_from_json,
    data_set_to_json,
    default_data_set,
    generate_data_set,
    load_data_set,
)

ORG_A = "65a000000000000000000001"
ORG_B = "65a000000000000000000002"
USER_A = "65a0000000000000000000a1"
UNKNOWN = "65a0000000000000000000ff"

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")


def org(**fields: Any) -> dict[str, Any]:
    return {"id": ORG_A, "name": "Acme", **fields}


def user(email: str = "a@example.com", **fields: Any) -> dict[str, Any]:
    return {"email": email, "password": "pw", **fields}


def write(tmp_path: Path, content: str | dict[str, Any] | list[Any]) -> Path:
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(FakeError) as caught:
        load_data_set(path)
    message = str(caught.value)
    assert message.startswith(f"lowcoder-fake: data set '{path}': "), message
    return message


def roles_by_org(data_set: DataSet) -> dict[str, dict[str, str]]:
    """{org_id: {email: role}}"""
    result: dict[str, dict[str, str]] = {o.id: {} for o in data_set.orgs}
    for u, roles in data_set.users:
        for org_id, role in roles.items():
            result[org_id][u.email] = role
    return result


# -- the default data set ------------------------------------------------------


def test_default_data_set_has_three_orgs_each_with_an_admin_and_a_member() -> None:
    data_set = default_data_set()
    assert data_set.source == "default"
    assert len(data_set.orgs) == 3
    assert len(data_set.users) == 6
    for members in roles_by_org(data_set).values():
        assert sorted(members.values()) == ["admin", "member"]


def test_default_data_set_has_documented_logins() -> None:
    data_set = default_data_set()
    first = data_set.orgs[0].id
    assert roles_by_org(data_set)[first] == {"admin@example.com": "admin", "member@example.com": "member"}
    for u, roles in data_set.users:
        role = roles[u.current_org_id or ""]
        assert u.password == ("Admin-Password-1" if role == "admin" else "Member-Password-1")
        assert u.email.rsplit("@", 1)[1] in ("example.com", "example.org", "example.net")


def test_default_data_set_is_well_formed() -> None:
    data_set = default_data_set()
    users = {u.id: (u, roles) for u, roles in data_set.users}
    for o in data_set.orgs:
        assert OBJECT_ID.match(o.id)
        assert o.name and o.contact_name and o.contact_email and o.contact_phone_number
        assert o.created_by is not None and users[o.created_by][1] == {o.id: "admin"}


def test_default_data_set_is_the_same_each_time() -> None:
    assert default_data_set() == default_data_set()


# -- generated data sets -------------------------------------------------------


def test_same_seed_gives_the_same_data_set() -> None:
    assert generate_data_set(42) == generate_data_set(42)
    assert data_set_to_json(generate_data_set(7, orgs=2)) == data_set_to_json(generate_data_set(7, orgs=2))


def test_different_seeds_give_different_data_sets() -> None:
    one, two = generate_data_set(1), generate_data_set(2)
    assert one != two
    assert not {o.id for o in one.orgs} & {o.id for o in two.orgs}
    assert [u.email for u, _ in one.users] != [u.email for u, _ in two.users]


def test_generated_data_set_is_realistic() -> None:
    data_set = generate_data_set(3, orgs=4)
    assert data_set.source == "seed 3"
    assert len(data_set.orgs) == 4
    assert len(data_set.users) == 8
    assert len({u.email for u, _ in data_set.users}) == 8
    for members in roles_by_org(data_set).values():
        assert sorted(members.values()) == ["admin", "member"]
    for u, roles in data_set.users:
        assert OBJECT_ID.match(u.id)
        assert int(u.id[:8], 16) == u.create_time // 1000  # the id starts with its creation second
        assert u.current_org_id == next(iter(roles))
        assert " " in u.name and "@" in u.email and len(u.password) >= 8
    for o in data_set.orgs:
        assert OBJECT_ID.match(o.id) and int(o.id[:8], 16) == o.create_time // 1000
        assert o.name and o.gid and o.contact_phone_number
        admin = next(u for u, roles in data_set.users if roles.get(o.id) == "admin")
        assert (o.created_by, o.contact_email) == (admin.id, admin.email)
    # times are plausible (2022 or later) and do not come from the clock
    assert all(o.create_time > 1_640_995_200_000 for o in data_set.orgs)


def test_generate_is_reproducible_across_processes() -> None:
    code = (
        "import json; from lowcoder_fake.seed import *; "
        "print(json.dumps(data_set_to_json(generate_data_set(99, orgs=2))))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == data_set_to_json(generate_data_set(99, orgs=2))


def test_importing_seed_does_not_import_faker() -> None:
    code = "import sys, lowcoder_fake.seed; print('faker' in sys.modules)"
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize(
    ("seed", "orgs", "expected"),
    [
        (-1, 3, "lowcoder-fake: data set 'seed -1': seed: must be a whole number >= 0, got -1"),
        (1, 0, "lowcoder-fake: data set 'seed 1': orgs: must be a whole number >= 1, got 0"),
    ],
)
def test_generate_refuses_bad_arguments(seed: int, orgs: int, expected: str) -> None:
    with pytest.raises(FakeError) as caught:
        generate_data_set(seed, orgs=orgs)
    assert str(caught.value) == expected


# -- writing and reading back --------------------------------------------------


@pytest.mark.parametrize("which", ["generated", "default"])
def test_round_trip(which: str, tmp_path: Path) -> None:
    data_set = generate_data_set(5) if which == "generated" else default_data_set()
    document = data_set_to_json(data_set)
    again = data_set_from_json(document, "copy")
    assert again == data_set
    assert again.orgs == data_set.orgs and again.users == data_set.users
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    assert load_data_set(path) == data_set


def test_round_trip_keeps_every_org_field() -> None:
    document = {
        "orgs": [
            org(
                gid="4f8b2a8e-3b1c-4d2e-9f00-1234567890ab",
                slug="acme",
                isAutoGeneratedOrganization=True,
                contactName="Ann",
                contactEmail="ann@example.com",
                contactPhoneNumber="555-0100",
                source="saml",
                thirdPartyCompanyId="x-1",
                state="DELETED",
                commonSettings={"themeList": [{"id": "t"}]},
                logoUrl="https://example.com/logo.png",
                createTime=1700000000000,
                authConfigs=[{"authType": "FORM"}],
                createdBy=USER_A,
            )
        ],
        "users": [user(id=USER_A, name="Ann", orgs={ORG_A: "super_admin"}, createTime=1700000000001)],
    }
    data_set = data_set_from_json(document, "x")
    assert data_set_to_json(data_set) == document
    assert data_set_from_json(data_set_to_json(data_set), "y") == data_set


def test_missing_keys_mean_empty_lists() -> None:
    data_set = data_set_from_json({}, "empty")
    assert data_set == DataSet(orgs=(), users=(), source="other")
    assert data_set_from_json({"orgs": [org()]}, "x").users == ()


def test_first_org_of_a_user_is_its_current_org() -> None:
    document = {"orgs": [org(), org(id=ORG_B, name="Other")], "users": [user(orgs={ORG_B: "member", ORG_A: "admin"})]}
    ((u, roles),) = data_set_from_json(document, "x").users
    assert u.current_org_id == ORG_B
    assert dict(roles) == {ORG_B: "member", ORG_A: "admin"}


# -- bad files -----------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nothing.json"
    assert load_error(path).endswith(": no such file")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    assert "is a directory" in load_error(tmp_path)


def test_invalid_json_gives_line_and_column(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, '{\n  "orgs": [\n    {"name": "x",}\n  ]\n}\n'))
    assert "not valid JSON" in message and "line 3, column 18" in message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(b'{"orgs": [{"name": "\xff"}]}')
    assert "not UTF-8" in load_error(path)


def test_repeated_key(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, '{"users": [], "users": []}'))
    assert "'users' appears twice" in message


def test_top_level_array(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, [org()]))
    assert message.endswith('expected a JSON object with "orgs" and "users" at the top level, got an array')


def test_unknown_top_level_key(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, {"orgs": [], "groups": []}))
    assert message.endswith(": groups: unknown field; known fields: orgs, users")


def test_orgs_not_an_array(tmp_path: Path) -> None:
    assert load_error(write(tmp_path, {"orgs": {}})).endswith(": orgs: expected an array, got an object")


def test_org_missing_name(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, {"orgs": [org(), {"id": ORG_B}]}))
    assert message.endswith(": orgs[1].name: required")


def test_org_not_an_object(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, {"orgs": ["Acme"]}))
    assert message.endswith(": orgs[0]: expected a JSON object, got a string")


def test_org_unknown_field(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, {"orgs": [org(colour="red")]}))
    assert ": orgs[0].colour: unknown field" in message


def test_user_with_unknown_org_id(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {"orgs": [org()], "users": [user(orgs={ORG_A: "admin"}), user("b@example.com", orgs={UNKNOWN: "member"})]},
    )
    message = load_error(path)
    assert message.endswith(f": users[1].orgs.{UNKNOWN}: no org with id '{UNKNOWN}'")


def test_duplicate_org_id(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, {"orgs": [org(), org(name="Again")]}))
    assert message.endswith(f": orgs[1].id: an org with id '{ORG_A}' exists already")


def test_duplicate_email(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, {"users": [user(), user()]}))
    assert message.endswith(": users[1].email: a user with email 'a@example.com' exists already")


def test_bad_role(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, {"orgs": [org()], "users": [user(orgs={ORG_A: "owner"})]}))
    assert message.endswith(f": users[0].orgs.{ORG_A}: role 'owner' is not one of admin, member, super_admin")


def test_user_missing_password(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, {"users": [{"email": "a@example.com"}]}))
    assert message.endswith(": users[0].password: required")


def test_created_by_unknown_user(tmp_path: Path) -> None:
    path = write(tmp_path, {"orgs": [org(createdBy=UNKNOWN)], "users": [user(id=USER_A, orgs={ORG_A: "admin"})]})
    message = load_error(path)
    assert message.endswith(f": orgs[0].createdBy: no user with id '{UNKNOWN}' in the data set")


def test_created_by_known_user_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "good.json"
    path.write_text(json.dumps({"orgs": [org(createdBy=USER_A)], "users": [user(id=USER_A)]}), encoding="utf-8")
    assert load_data_set(path).orgs[0].created_by == USER_A


def test_data_set_from_json_names_its_source() -> None:
    with pytest.raises(FakeError, match=r"^lowcoder-fake: data set 'control API': orgs\[0\]\.name: required$"):
        data_set_from_json({"orgs": [{}]}, "control API")


def test_data_set_error_is_an_invalid_input_with_field_and_source() -> None:
    with pytest.raises(DataSetError) as caught:
        data_set_from_json({"orgs": [org()], "users": [user(orgs={ORG_A: "owner"})]}, "here")
    error = caught.value
    assert isinstance(error, InvalidInput)
    assert (error.source, error.field) == ("here", f"users[0].orgs.{ORG_A}")
    copied = pickle.loads(pickle.dumps(error))
    assert str(copied) == str(error)
