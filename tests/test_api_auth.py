"""Form login, registration, the session cookie, logout and users/me — reference §3."""

from __future__ import annotations

import json
import re
import time
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from lowcoder_http import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    COOKIE,
    INTERNAL,
    INVALID_PARAMETER_PREFIX,
    INVALID_PASSWORD,
    LOGIN_ID_EXISTS,
    MEMBER_EMAIL,
    MEMBER_PASSWORD,
    SOURCE_NOT_SUPPORTED,
    TRUE,
    UNSUPPORTED,
    anonymous_profile,
    anonymous_profile_text,
    login,
    login_body,
    org_json_2_1_6,
    put_update,
    snapshot,
    unknown_route,
    users_me,
)

RFC_1123 = (
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}"
    r" \d{2}:\d{2}:\d{2} GMT"
)


def cookie_pattern(name: str, max_age: int, secure: bool) -> re.Pattern[str]:
    tail = "; Secure; HttpOnly; SameSite=None" if secure else "; HttpOnly; SameSite=Lax"
    return re.compile(
        rf"^{re.escape(name)}=(?P<token>[0-9a-f]{{32}}); Path=/; Max-Age={max_age}; Expires=(?P<expires>{RFC_1123})"
        + re.escape(tail)
        + "$"
    )


def assert_session_cookie(resp: Any, max_age: int, *, secure: bool = False, name: str = COOKIE) -> str:
    """The one Set-Cookie of a sign-in, attribute for attribute; returns the token."""
    (header,) = resp.headers.getall("Set-Cookie")
    match = cookie_pattern(name, max_age, secure).match(header)
    assert match, header
    expires = parsedate_to_datetime(match["expires"]).timestamp()
    assert abs(expires - (time.time() + max_age)) < 60
    return match["token"]


def max_age_of(version: str) -> int:
    return 86400 if tuple(int(p) for p in version.split(".")) >= (2, 4, 0) else 2592000


def error_code(text: str) -> int:
    document = json.loads(text)
    assert list(document) == ["code", "message", "success"]
    assert document["success"] is False
    return int(document["code"])


# -- signing in -----------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.0.1", "2.1.6", "2.3.0", "2.4.0", "2.4.8", "2.7.6"])
@pytest.mark.parametrize("register", ["false", False, "absent"])
async def test_sign_in_sets_the_session_cookie(make_fake: Any, version: str, register: Any) -> None:
    r = await make_fake(version)
    body = login_body(ADMIN_EMAIL, ADMIN_PASSWORD, register)
    if register == "absent":
        del body["register"]
    users_before = r.fake.store.users()
    resp = await login(r, body)
    assert resp.status == 200
    assert await resp.text() == TRUE
    assert resp.content_type == "application/json"
    token = assert_session_cookie(resp, max_age_of(version))
    assert r.fake.store.users() == users_before
    me = await users_me(r, {"Cookie": f"{COOKIE}={token}"})
    assert me["id"] == r.fake.store.user_by_email(ADMIN_EMAIL).id


@pytest.mark.parametrize(
    "auth",
    [{"authId": "EMAIL"}, {"source": "EMAIL"}, {"authId": "EMAIL", "source": "EMAIL"}],
    ids=["authId", "source", "both"],
)
async def test_auth_id_or_source_email(make_fake: Any, auth: dict[str, str]) -> None:
    r = await make_fake("2.1.6")
    resp = await login(r, {"loginId": MEMBER_EMAIL, "password": MEMBER_PASSWORD, "register": "false", **auth})
    assert (resp.status, await resp.text()) == (200, TRUE)
    assert_session_cookie(resp, 2592000)


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize(
    ("referer", "secure"),
    [
        ("https://lowcoder.example.com/apps", True),
        ("https://localhost:3000/", True),
        ("http://lowcoder.example.com/apps", False),
        (None, False),
    ],
)
async def test_https_referer_makes_a_secure_cross_site_cookie(
    make_fake: Any, version: str, referer: str | None, secure: bool
) -> None:
    r = await make_fake(version)
    headers = {"Referer": referer} if referer else {}
    resp = await login(r, login_body(ADMIN_EMAIL, ADMIN_PASSWORD), headers)
    assert (resp.status, await resp.text()) == (200, TRUE)
    assert_session_cookie(resp, max_age_of(version), secure=secure)


async def test_the_cookie_works_for_the_next_calls(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    resp = await login(r, login_body(ADMIN_EMAIL, ADMIN_PASSWORD))
    token = assert_session_cookie(resp, 2592000)
    headers = {"Cookie": f"{COOKIE}={token}"}
    resp = await r.client.put(
        f"/api/organizations/{r.first_org_id}/update", json={"orgName": "Cookie Co"}, headers=headers
    )
    assert (resp.status, await resp.text()) == (200, TRUE)
    assert r.fake.store.org(r.first_org_id).name == "Cookie Co"
    assert (await users_me(r, headers))["username"] == "Michelle Garcia"


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_the_cookie_is_never_sent_again(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    token = assert_session_cookie(await login(r, login_body(ADMIN_EMAIL, ADMIN_PASSWORD)), max_age_of(version))
    headers = {"Cookie": f"{COOKIE}={token}"}
    for resp in (
        await r.client.get("/api/users/me", headers=headers),
        await r.client.put(f"/api/organizations/{r.first_org_id}/update", json={"orgName": "A"}, headers=headers),
        await r.client.get("/api/configs", headers=headers),
    ):
        assert resp.status == 200
        assert "Set-Cookie" not in resp.headers


async def test_each_sign_in_gives_a_new_token(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    tokens = {assert_session_cookie(await login(r, login_body(ADMIN_EMAIL, ADMIN_PASSWORD)), 2592000) for _ in range(3)}
    assert len(tokens) == 3


async def test_session_cookie_among_other_cookies(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    token = r.fake.open_session(email=ADMIN_EMAIL)
    headers = {"Cookie": f"a=1; theme=dark; {COOKIE}={token}; z=2"}
    assert await put_update(r, r.first_org_id, {"orgName": "Among"}, email=None, headers=headers) == (200, TRUE)


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_session_token_in_a_header_is_not_read(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    token = assert_session_cookie(await login(r, login_body(ADMIN_EMAIL, ADMIN_PASSWORD)), max_age_of(version))
    before = snapshot(r)
    headers = {COOKIE: token}
    assert await put_update(r, r.first_org_id, {"orgName": "Header"}, email=None, headers=headers) == (401, "")
    assert snapshot(r) == before
    resp = await r.client.get("/api/users/me", headers=headers)
    assert (resp.status, await resp.text()) == (200, anonymous_profile_text("127.0.0.1"))


async def test_configured_cookie_name(make_fake: Any) -> None:
    r = await make_fake("2.7.6", cookie_name="MY_SESSION")
    resp = await login(r, login_body(ADMIN_EMAIL, ADMIN_PASSWORD))
    token = assert_session_cookie(resp, 86400, name="MY_SESSION")
    assert (await users_me(r, {"Cookie": f"MY_SESSION={token}"}))["username"] == "Michelle Garcia"
    assert (await users_me(r, {"Cookie": f"{COOKIE}={token}"}))["username"] == "anonymous"


# -- sign-in errors -------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize(
    ("email", "password"),
    [
        (ADMIN_EMAIL, "wrong"),
        (ADMIN_EMAIL, ""),
        (ADMIN_EMAIL, MEMBER_PASSWORD),
        (MEMBER_EMAIL, ADMIN_PASSWORD),
        ("nobody@example.com", ADMIN_PASSWORD),
        ("", ""),
    ],
)
async def test_bad_password_or_unknown_user_is_5608(make_fake: Any, version: str, email: str, password: str) -> None:
    r = await make_fake(version)
    before = snapshot(r)
    resp = await login(r, login_body(email, password))
    assert (resp.status, await resp.text()) == (403, INVALID_PASSWORD)
    assert "Set-Cookie" not in resp.headers
    assert snapshot(r) == before


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize(
    "auth",
    [{}, {"authId": "GOOGLE"}, {"source": "GITHUB"}, {"authId": "OAUTH2"}, {"authId": None, "source": None}],
    ids=["none", "authId-google", "source-github", "authId-oauth2", "nulls"],
)
@pytest.mark.parametrize("register", ["false", "true"])
async def test_no_or_unknown_login_source_is_5602(
    make_fake: Any, version: str, auth: dict[str, Any], register: str
) -> None:
    r = await make_fake(version)
    before = snapshot(r)
    email = ADMIN_EMAIL if register == "false" else "new.user@example.com"
    resp = await login(r, {"loginId": email, "password": ADMIN_PASSWORD, "register": register, **auth})
    assert (resp.status, await resp.text()) == (403, SOURCE_NOT_SUPPORTED)
    assert "Set-Cookie" not in resp.headers
    assert snapshot(r) == before


@pytest.mark.parametrize("register", ["yes", "no", "maybe"])
async def test_register_string_other_than_true_or_false_is_5002(make_fake: Any, register: str) -> None:
    r = await make_fake("2.1.6")
    before = snapshot(r)
    resp = await login(r, login_body("new.user@example.com", "pw", register))
    text = await resp.text()
    assert resp.status == 500
    assert error_code(text) == 5002
    assert json.loads(text)["message"].startswith(INVALID_PARAMETER_PREFIX)
    assert "Set-Cookie" not in resp.headers
    assert snapshot(r) == before


@pytest.mark.parametrize("raw", [b"{broken", b"", b"[]", b'"x"'], ids=repr)
async def test_malformed_login_body_is_5002(make_fake: Any, raw: bytes) -> None:
    r = await make_fake("2.1.6")
    before = snapshot(r)
    resp = await login(r, raw)
    text = await resp.text()
    assert resp.status == 500
    assert error_code(text) == 5002
    assert json.loads(text)["message"].startswith(INVALID_PARAMETER_PREFIX)
    assert snapshot(r) == before


async def test_login_with_a_text_content_type_is_5000(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    resp = await r.client.post(
        "/api/auth/form/login",
        data=json.dumps(login_body(ADMIN_EMAIL, ADMIN_PASSWORD)).encode(),
        headers={"Content-Type": "text/plain"},
    )
    assert (resp.status, await resp.text()) == (500, INTERNAL)
    assert "Set-Cookie" not in resp.headers


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_auth_paths_exist_only_under_api_auth(make_fake: Any, version: str) -> None:
    """/api/v1/auth/form/login has no route: signed in, it is an unknown route."""
    r = await make_fake(version)
    resp = await r.client.post(
        "/api/v1/auth/form/login",
        json=login_body(ADMIN_EMAIL, ADMIN_PASSWORD),
        headers=r.session_headers(MEMBER_EMAIL),
    )
    assert (resp.status, await resp.text()) == unknown_route(version)
    assert "Set-Cookie" not in resp.headers


# -- registering ------------------------------------------------------------------------

NEW_EMAIL = "new.user@example.com"


@pytest.mark.parametrize(
    ("version", "mode", "lands"),
    [
        ("2.1.6", None, "ENTERPRISE"),
        ("2.2.0", None, "ENTERPRISE"),
        ("2.3.0", None, "SAAS"),
        ("2.7.6", None, "SAAS"),
        ("2.1.6", "SAAS", "SAAS"),
        ("2.7.6", "ENTERPRISE", "ENTERPRISE"),
    ],
)
@pytest.mark.parametrize("register", [True, "true"])
async def test_registering_creates_the_user_where_the_mode_says(
    make_fake: Any, version: str, mode: str | None, lands: str, register: Any
) -> None:
    r = await make_fake(version, **({"workspace_mode": mode} if mode else {}))
    orgs_before = r.fake.store.orgs()
    resp = await login(r, login_body(NEW_EMAIL, "Secret-1", register))
    assert (resp.status, await resp.text()) == (200, TRUE)
    token = assert_session_cookie(resp, max_age_of(version))
    user = r.fake.store.user_by_email(NEW_EMAIL)
    assert user is not None
    assert user.name == NEW_EMAIL
    if lands == "ENTERPRISE":
        assert r.fake.store.orgs() == orgs_before
        org_id, role = r.first_org_id, "member"
    else:
        (new_org,) = [org for org in r.fake.store.orgs() if org not in orgs_before]
        assert new_org.name == f"{NEW_EMAIL}'s workspace"
        assert new_org.state == "ACTIVE"
        org_id, role = new_org.id, "admin"
    assert r.fake.store.membership(org_id, user.id).role == role
    assert [m.org_id for m in r.fake.store.memberships_of_user(user.id)] == [org_id]
    me = await users_me(r, {"Cookie": f"{COOKIE}={token}"})
    assert me["id"] == user.id
    assert me["username"] == NEW_EMAIL
    assert me["currentOrgId"] == org_id
    assert [(entry["org"]["id"], entry["role"]) for entry in me["orgAndRoles"]] == [(org_id, role)]
    assert me["userStatus"] == {"newUserGuidance": False}
    # and the new account signs in with its password
    again = await login(r, login_body(NEW_EMAIL, "Secret-1", "false"))
    assert (again.status, await again.text()) == (200, TRUE)


async def test_enterprise_registration_joins_the_first_active_org(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    first, second = r.fake.store.orgs()[:2]
    r.fake.store.update_org(first.id, state="DELETED")
    resp = await login(r, login_body(NEW_EMAIL, "pw", "true"))
    assert (resp.status, await resp.text()) == (200, TRUE)
    user = r.fake.store.user_by_email(NEW_EMAIL)
    assert r.fake.store.membership(first.id, user.id) is None
    assert r.fake.store.membership(second.id, user.id).role == "member"
    assert r.fake.store.user(user.id).current_org_id == second.id


async def test_enterprise_registration_without_any_org_makes_one(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    r.fake.store.clear()
    resp = await login(r, login_body(NEW_EMAIL, "pw", "true"))
    assert (resp.status, await resp.text()) == (200, TRUE)
    user = r.fake.store.user_by_email(NEW_EMAIL)
    (org,) = r.fake.store.orgs()
    assert r.fake.store.membership(org.id, user.id) is not None
    assert r.fake.store.user(user.id).current_org_id == org.id


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
@pytest.mark.parametrize("email", [ADMIN_EMAIL, MEMBER_EMAIL])
async def test_registering_an_existing_email_is_5607(make_fake: Any, version: str, email: str) -> None:
    r = await make_fake(version)
    before = snapshot(r)
    resp = await login(r, login_body(email, "whatever", "true"))
    assert (resp.status, await resp.text()) == (403, LOGIN_ID_EXISTS)
    assert "Set-Cookie" not in resp.headers
    assert snapshot(r) == before


@pytest.mark.parametrize("version", ["2.0.1", "2.1.6", "2.7.6"])
@pytest.mark.parametrize("email", [NEW_EMAIL, ADMIN_EMAIL], ids=["new", "existing"])
async def test_sign_up_disabled_is_5003_checked_first(make_fake: Any, version: str, email: str) -> None:
    r = await make_fake(version, email_sign_up=False)
    before = snapshot(r)
    resp = await login(r, login_body(email, "pw", "true"))
    assert (resp.status, await resp.text()) == (400, UNSUPPORTED)
    assert "Set-Cookie" not in resp.headers
    assert snapshot(r) == before
    # signing in is still allowed
    ok = await login(r, login_body(ADMIN_EMAIL, ADMIN_PASSWORD))
    assert (ok.status, await ok.text()) == (200, TRUE)


@pytest.mark.parametrize(("version", "allowed"), [("2.0.1", False), ("2.1.0", True), ("2.1.6", True)])
async def test_registration_is_open_while_there_is_no_admin_from_2_1_0(
    make_fake: Any, version: str, allowed: bool
) -> None:
    r = await make_fake(version, email_sign_up=False)
    r.fake.store.clear()
    resp = await login(r, login_body(NEW_EMAIL, "pw", "true"))
    if allowed:
        assert (resp.status, await resp.text()) == (200, TRUE)
        assert r.fake.store.user_by_email(NEW_EMAIL) is not None
    else:
        assert (resp.status, await resp.text()) == (400, UNSUPPORTED)
        assert r.fake.store.users() == []


# -- logout ----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_logout_ends_the_session_without_clearing_the_cookie(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    token = assert_session_cookie(await login(r, login_body(ADMIN_EMAIL, ADMIN_PASSWORD)), max_age_of(version))
    other = r.fake.open_session(email=ADMIN_EMAIL)
    headers = {"Cookie": f"{COOKIE}={token}"}
    resp = await r.client.post("/api/auth/logout", headers=headers)
    assert (resp.status, await resp.text()) == (200, TRUE)
    assert "Set-Cookie" not in resp.headers
    assert r.fake.store.session_user(token) is None
    resp = await r.client.get("/api/users/me", headers=headers)
    assert (resp.status, await resp.text()) == (200, anonymous_profile_text("127.0.0.1"))
    before = snapshot(r)
    assert await put_update(r, r.first_org_id, {"orgName": "After"}, email=None, headers=headers) == (401, "")
    assert snapshot(r) == before
    # another session of the same user lives on
    other_headers = {"Cookie": f"{COOKIE}={other}"}
    assert (await users_me(r, other_headers))["username"] == "Michelle Garcia"


async def test_logout_without_a_session_answers_true(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    resp = await r.client.post("/api/auth/logout")
    assert (resp.status, await resp.text()) == (200, TRUE)
    assert "Set-Cookie" not in resp.headers


# -- users/me -------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.0.1", "2.1.6", "2.7.6"])
@pytest.mark.parametrize("path", ["/api/users/me", "/api/v1/users/me"])
@pytest.mark.parametrize(
    ("headers", "ip"),
    [
        ({}, "127.0.0.1"),
        ({"X-Real-IP": "203.0.113.7"}, "203.0.113.7"),
        ({"X-Real-IP": "2001:db8::1"}, "2001:db8::1"),
        ({"X-Forwarded-For": "198.51.100.1"}, "127.0.0.1"),
        ({"Cookie": f"{COOKIE}=ffffffffffffffffffffffffffffffff"}, "127.0.0.1"),
        ({"Cookie": f"{COOKIE}="}, "127.0.0.1"),
    ],
    ids=["peer", "x-real-ip", "x-real-ip-v6", "x-forwarded-for-ignored", "unknown-session", "empty-session"],
)
async def test_users_me_anonymous(make_fake: Any, version: str, path: str, headers: dict[str, str], ip: str) -> None:
    r = await make_fake(version)
    resp = await r.client.get(path, headers=headers)
    assert resp.status == 200
    assert resp.content_type == "application/json"
    assert await resp.text() == anonymous_profile_text(ip)


@pytest.mark.parametrize("version", ["2.1.6", "2.7.6"])
async def test_users_me_signed_in(make_fake: Any, version: str) -> None:
    r = await make_fake(version)
    admin = r.fake.store.user_by_email(ADMIN_EMAIL)
    me = await users_me(r, {**r.session_headers(ADMIN_EMAIL), "X-Real-IP": "10.9.8.7"})
    assert list(me) == list(anonymous_profile("x"))
    assert me["id"] == admin.id
    assert me["username"] == "Michelle Garcia"
    assert me["currentOrgId"] == r.first_org_id
    assert me["ip"] == "10.9.8.7"
    assert me["anonymous"] is False
    assert me["isAnonymous"] is False
    assert me["isEnabled"] is False
    assert me["hasShownNewUserGuidance"] is False
    (entry,) = me["orgAndRoles"]
    assert list(entry) == ["org", "role"]
    assert entry["role"] == "admin"
    if version == "2.1.6":
        assert list(entry["org"].items()) == list(org_json_2_1_6(r.fake.store.org(r.first_org_id)).items())
    else:
        assert entry["org"]["id"] == r.first_org_id
        assert entry["org"]["name"] == r.fake.store.org(r.first_org_id).name
    (connection,) = me["connections"]
    assert list(connection) == ["authId", "source", "name", "avatar", "rawUserInfo", "tokens"]
    assert connection["authId"] == "EMAIL"
    assert connection["source"] == "EMAIL"
    assert connection["name"] == ADMIN_EMAIL
    assert connection["avatar"] is None
    assert connection["rawUserInfo"] == {"email": ADMIN_EMAIL}
    assert isinstance(connection["tokens"], list)


async def test_users_me_member_role(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    me = await users_me(r, r.session_headers(MEMBER_EMAIL))
    assert me["username"] == "William Jones"
    assert [(e["org"]["id"], e["role"]) for e in me["orgAndRoles"]] == [(r.first_org_id, "member")]


async def test_users_me_lists_only_active_orgs(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    admin = r.fake.store.user_by_email(ADMIN_EMAIL)
    second = r.fake.store.orgs()[1]
    r.fake.store.set_member(second.id, admin.id, "member")
    me = await users_me(r, r.session_headers(ADMIN_EMAIL))
    assert {(e["org"]["id"], e["role"]) for e in me["orgAndRoles"]} == {
        (r.first_org_id, "admin"),
        (second.id, "member"),
    }
    r.fake.store.update_org(second.id, state="DELETED")
    me = await users_me(r, r.session_headers(ADMIN_EMAIL))
    assert [(e["org"]["id"], e["role"]) for e in me["orgAndRoles"]] == [(r.first_org_id, "admin")]


@pytest.mark.parametrize(("version", "has"), [("2.1.6", False), ("2.4.1", False), ("2.4.2", True), ("2.7.6", True)])
async def test_org_json_gains_gid_from_2_4_2(make_fake: Any, version: str, has: bool) -> None:
    r = await make_fake(version)
    me = await users_me(r, r.session_headers(ADMIN_EMAIL))
    org = me["orgAndRoles"][0]["org"]
    assert ("gid" in org) is has
    assert "updateTime" not in org or version != "2.1.6"
    if has:
        assert org["gid"] == r.fake.store.org(r.first_org_id).gid


@pytest.mark.parametrize(("version", "has"), [("2.1.6", False), ("2.5.1", False), ("2.5.2", True), ("2.7.6", True)])
async def test_org_json_gains_slug_from_2_5_2(make_fake: Any, version: str, has: bool) -> None:
    r = await make_fake(version)
    me = await users_me(r, r.session_headers(ADMIN_EMAIL))
    assert ("slug" in me["orgAndRoles"][0]["org"]) is has


# -- journal ----------------------------------------------------------------------------------


async def test_auth_calls_are_journaled(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    resp = await login(r, login_body(ADMIN_EMAIL, "wrong"))
    resp = await login(r, login_body(ADMIN_EMAIL, ADMIN_PASSWORD))
    token = assert_session_cookie(resp, 2592000)
    headers = {"Cookie": f"{COOKIE}={token}"}
    await users_me(r, headers)
    await r.client.post("/api/auth/logout", headers=headers)
    await users_me(r)
    admin = r.fake.store.user_by_email(ADMIN_EMAIL)
    calls = r.fake.journal.calls()
    assert [(c.seq, c.operation, c.method, c.path, c.status) for c in calls] == [
        (1, "loginWithUserPassword", "POST", "/api/auth/form/login", 403),
        (2, "loginWithUserPassword", "POST", "/api/auth/form/login", 200),
        (3, "getUserProfile", "GET", "/api/users/me", 200),
        (4, "logout", "POST", "/api/auth/logout", 200),
        (5, "getUserProfile", "GET", "/api/users/me", 200),
    ]
    assert calls[0].response == json.loads(INVALID_PASSWORD)
    assert calls[0].body == login_body(ADMIN_EMAIL, "wrong")
    assert calls[1].response == json.loads(TRUE)
    assert calls[2].user_id == admin.id
    assert calls[2].response["data"]["id"] == admin.id
    assert calls[3].user_id == admin.id
    assert calls[3].response == json.loads(TRUE)
    assert calls[4].user_id is None
    assert calls[4].response == json.loads(anonymous_profile_text("127.0.0.1"))
