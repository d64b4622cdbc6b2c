"""Hostile input: whatever arrives, the fake answers in Lowcoder's shape, records it once, and goes on.

Raw requests go over a socket to a real :class:`FakeServer` (the server users
run), so nothing is tidied up by a client library on the way.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from lowcoder_http import (
    ADMIN_EMAIL,
    COOKIE,
    INTERNAL,
    TRUE,
    assert_lowcoder_shaped,
    put_update,
    raw_request,
    send_raw,
)

from lowcoder_fake import FakeServer
from lowcoder_fake.fake import FakeConfig

ORG = "62edc503a5aec7978306d03b"  # the default data set's first org
UPDATE = f"/api/organizations/{ORG}/update"
JSON = ("Content-Type", "application/json")


@dataclass(frozen=True)
class Hostile:
    """One hostile request; ``session`` adds the admin's session cookie."""

    id: str
    method: str | bytes = "PUT"
    target: str | bytes = UPDATE
    headers: tuple[tuple[str | bytes, str | bytes | None], ...] = (JSON,)
    body: bytes | None = b'{"orgName":"ok"}'
    session: bool = True
    chunked: bool = False
    raw_tail: bytes = b""
    """Bytes sent after the request as built (for framing the builder will not write)."""


def body(case_id: str, raw: bytes) -> Hostile:
    return Hostile(f"body-{case_id}", body=raw)


DEEP = 100_000

BODIES = [
    body("invalid-utf8", b'{"orgName":"\xff\xfe\xfd"}'),
    body("overlong-utf8", b'{"orgName":"\xc0\xaf"}'),
    body("truncated-utf8", b'{"orgName":"\xe2\x82"}'),
    body("utf16", '{"orgName":"x"}'.encode("utf-16")),
    body("deep-array", b"[" * DEEP + b"]" * DEEP),
    body("deep-object", b'{"a":' * DEEP + b"1" + b"}" * DEEP),
    body("deep-in-field", b'{"orgName":' + b"[" * DEEP + b"]" * DEEP + b"}"),
    body("deep-unclosed", b"[" * DEEP),
    body("nan", b'{"orgName":NaN}'),
    body("infinity", b'{"orgName":Infinity}'),
    body("minus-infinity", b'{"orgName":-Infinity}'),
    body("huge-exponent", b'{"orgName":1e999999}'),
    body("long-integer", b'{"orgName":' + b"9" * 5000 + b"}"),
    body("long-integer-unknown-field", b'{"x":' + b"9" * 5000 + b"}"),
    body("tiny-float", b'{"orgName":0.00000000000000000000000000000001}'),
    body("leading-zero", b'{"orgName":01}'),
    body("raw-nul", b'{"orgName":"a\x00b"}'),
    body("raw-control", b'{"orgName":"a\x01\x1f\x7fb"}'),
    body("escaped-control", b'{"orgName":"\\u0000\\u001f\\u007f"}'),
    body("lone-surrogate", b'{"orgName":"\\ud800"}'),
    body("reversed-surrogates", b'{"orgName":"\\udc00\\ud800"}'),
    body("bad-escape", b'{"orgName":"\\x41\\q"}'),
    body("trailing-garbage", b'{"orgName":"x"} garbage'),
    body("two-values", b'{"orgName":"x"}{"orgName":"y"}'),
    body("empty", b""),
    body("only-bom", b"\xef\xbb\xbf"),
    body("bom-json", b'\xef\xbb\xbf{"orgName":"bom"}'),
    body("null", b"null"),
    body("nul-bytes", b"\x00" * 1000),
    body("binary", bytes(range(256)) * 16),
    body("duplicate-keys", b'{"orgName":"a","orgName":"b"}'),
    body("1mb-string", b'{"orgName":"' + b"x" * 1_000_000 + b'"}'),
    body("1mb-key", b'{"' + b"k" * 1_000_000 + b'":1}'),
    body("many-keys", ("{" + ",".join(f'"k{i}":{i}' for i in range(50_000)) + "}").encode()),
    body("unicode-escapes", b'{"orgName":"\\u00e9\\uD83D\\uDE80"}'),
    Hostile("body-chunked", body=b'{"orgName":"chunked"}', chunked=True),
    Hostile("body-chunked-1mb", body=b'{"orgName":"' + b"c" * 1_000_000 + b'"}', chunked=True),
    Hostile("body-on-get", method="GET", target="/api/users/me", body=b"\xff\x00garbage"),
    Hostile("body-on-head", method="HEAD", target="/api/state/healthCheck", body=b"{}", session=False),
    Hostile("body-login-garbage", method="POST", target="/api/auth/form/login", body=b"\xff{", session=False),
    Hostile(
        "body-login-wrong-types",
        method="POST",
        target="/api/auth/form/login",
        body=b'{"loginId":["a"],"password":{"x":1},"register":[],"authId":1}',
        session=False,
    ),
    Hostile(
        "body-login-numbers",
        method="POST",
        target="/api/auth/form/login",
        body=b'{"loginId":1,"password":2,"register":0,"authId":"EMAIL"}',
        session=False,
    ),
    Hostile(
        "body-login-deep",
        method="POST",
        target="/api/auth/form/login",
        body=b'{"loginId":' + b"[" * DEEP + b"]" * DEEP + b"}",
        session=False,
    ),
]


def header(case_id: str, *headers: tuple[str | bytes, str | bytes | None], session: bool = True, **kw: Any) -> Hostile:
    return Hostile(f"header-{case_id}", headers=headers, session=session, **kw)


HEADERS = [
    header("ct-empty", ("Content-Type", "")),
    header("ct-semicolons", ("Content-Type", "application/json;;;")),
    header("ct-slash", ("Content-Type", "/")),
    header("ct-no-subtype", ("Content-Type", "application/")),
    header("ct-star", ("Content-Type", "*/*")),
    header("ct-list", ("Content-Type", "application/json, text/plain")),
    header("ct-bogus-charset", ("Content-Type", "application/json; charset=nonsense")),
    header("ct-utf16-charset", ("Content-Type", "application/json; charset=utf-16")),
    header("ct-broken-params", ("Content-Type", 'application/json; =; a="unterminated')),
    header("ct-non-ascii", ("Content-Type", "application/jsön".encode())),
    header("ct-twice", ("Content-Type", "application/json"), ("Content-Type", "text/plain")),
    header("ct-long", ("Content-Type", "application/json; x=" + "a" * 7000)),
    header("ct-html", ("Content-Type", "text/html")),
    header("ct-multipart", ("Content-Type", "multipart/form-data; boundary=xyz")),
    header("ct-none", body=b'{"orgName":"no type"}'),
    header("cookie-empty-token", JSON, ("Cookie", f"{COOKIE}="), session=False),
    header("cookie-garbage", JSON, ("Cookie", "=;=;;;=="), session=False),
    header("cookie-quoted", JSON, ("Cookie", f'{COOKIE}="abc"'), session=False),
    header("cookie-non-ascii", JSON, ("Cookie", f"{COOKIE}=é☃".encode()), session=False),
    header("cookie-control", JSON, ("Cookie", f"{COOKIE}=a\x01b"), session=False),
    header("cookie-many", JSON, ("Cookie", "; ".join(f"c{i}=v{i}" for i in range(500))), session=False),
    header("cookie-many-and-session", JSON, ("Cookie", "; ".join(f"c{i}=v{i}" for i in range(300)))),
    header("cookie-twice", JSON, ("Cookie", f"{COOKIE}=ffffffffffffffffffffffffffffffff")),
    header("cookie-20kb", JSON, ("Cookie", "a=" + "b" * 20_000), session=False),
    header("value-20kb", JSON, ("X-Filler", "a" * 20_000)),
    header("value-7kb", JSON, ("X-Filler", "a" * 7_000)),
    header("many-headers", JSON, *((f"X-H{i}", "v") for i in range(1000))),
    header("x-real-ip-garbage", ("X-Real-IP", "<script>alert(1)</script>"), method="GET", target="/api/users/me"),
    header("accept-language-garbage", JSON, ("Accept-Language", ";;q=abc,*-*")),
    header("accept-xml", JSON, ("Accept", "application/xml")),
    header("referer-garbage", JSON, ("Referer", "https://\x7f"), method="POST", target="/api/auth/form/login"),
    header("content-length-garbage", ("Content-Length", "abc"), body=None),
    header("content-length-negative", ("Content-Length", "-1"), body=None),
    header(
        "cl-and-te",
        JSON,
        ("Transfer-Encoding", "chunked"),
        ("Content-Length", "5"),
        body=None,
        raw_tail=b"0\r\n\r\n",
    ),
    header("space-in-name", JSON, ("Bad Header", "x")),
    header("no-colon", JSON, (b"NoColonHere", None)),
    header("obsolete-line-folding", JSON, ("X-Folded", "first"), (b"  continued", None)),
    header("nul-in-value", JSON, ("X-Nul", b"a\x00b")),
]

PATHS = [
    ("encoded-dots", "PUT", "/api/organizations/%2e%2e/update"),
    ("dot-dot", "PUT", f"/api/organizations/../organizations/{ORG}/update"),
    ("dot-dot-above-root", "GET", "/../../../etc/passwd"),
    ("encoded-slash", "PUT", f"/api/organizations/{ORG}%2Fupdate"),
    ("trailing-slash", "PUT", f"{UPDATE}/"),
    ("double-slashes", "PUT", f"//api//organizations//{ORG}//update"),
    ("empty-segment", "PUT", "/api/organizations//update"),
    ("long-3000", "PUT", f"/api/organizations/{'a' * 3000}/update"),
    ("long-10000", "PUT", f"/api/organizations/{'a' * 10_000}/update"),
    ("unicode-encoded", "PUT", "/api/organizations/%F0%9F%98%80/update"),
    ("unicode-raw", "PUT", "/api/organizations/ü😀/update".encode()),
    ("bad-percent", "PUT", "/api/organizations/%zz/update"),
    ("lone-percent", "GET", "/api/users/me%"),
    ("encoded-nul", "GET", "/api/users/me%00"),
    ("encoded-newline", "GET", "/api/users/me%0d%0aX-Injected:%20yes"),
    ("query-garbage", "GET", "/api/users/me?%zz=%&&==&a[]=1&a[]=2"),
    ("query-long", "GET", "/api/users/me?q=" + "x" * 3000),
    ("fragment", "GET", "/api/users/me#frag"),
    ("upper-case", "GET", "/API/USERS/ME"),
    ("matrix", "GET", "/api/users/me;jsessionid=abc"),
    ("absolute-form", "GET", "http://localhost/api/users/me"),
    ("asterisk", "OPTIONS", "*"),
    ("backslashes", "GET", "/api\\users\\me"),
    ("no-leading-slash", "GET", "api/users/me"),
    ("only-api", "GET", "/api"),
]

METHODS = ["PATCH", "DELETE", "OPTIONS", "TRACE", "HEAD", "PROPFIND", "PURGE", "FOO", "BREW", "put", "X" * 100]

HOSTILE: list[Hostile] = [
    *BODIES,
    *HEADERS,
    *(
        Hostile(f"path-{name}-{who}", method=method, target=target, session=who == "admin")
        for name, method, target in PATHS
        for who in ("admin", "anonymous")
    ),
    *(
        Hostile(f"method-{method[:10]}-{target}-{who}", method=method, target=path, session=who == "admin")
        for method in METHODS
        for target, path in (("update", UPDATE), ("users-me", "/api/users/me"))
        for who in ("admin", "anonymous")
    ),
]


@pytest.fixture
async def server() -> AsyncIterator[FakeServer]:
    async with FakeServer(FakeConfig(lowcoder_version="2.1.6")) as running:
        yield running


async def still_serving(server: FakeServer) -> None:
    """Signed-in and anonymous calls are answered normally after the hostile one."""
    cookie = f"{COOKIE}={server.fake.open_session(email=ADMIN_EMAIL)}"
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        async with session.get(f"{server.url}/api/users/me", headers={"Cookie": cookie}) as resp:
            assert resp.status == 200, await resp.text()
            me = json.loads(await resp.text())
            assert (me["code"], me["data"]["username"]) == (1, "Michelle Garcia")
        async with session.get(f"{server.url}/api/configs") as resp:
            assert resp.status == 200
        async with session.put(
            f"{server.url}{UPDATE}", json={"contactName": "still serving"}, headers={"Cookie": cookie}
        ) as resp:
            assert (resp.status, await resp.text()) == (200, TRUE)


@pytest.mark.parametrize("case", HOSTILE, ids=[case.id for case in HOSTILE])
async def test_hostile_request(server: FakeServer, case: Hostile) -> None:
    headers = list(case.headers)
    if case.session:
        headers.append(("Cookie", f"{COOKIE}={server.fake.open_session(email=ADMIN_EMAIL)}"))
    request = raw_request(case.method, case.target, headers, case.body, chunked=case.chunked) + case.raw_tail
    before = len(server.fake.journal.calls())
    method = case.method if isinstance(case.method, str) else case.method.decode()
    resp = await send_raw(server, request, head=method == "HEAD")
    assert_lowcoder_shaped(resp.status, resp.header("Content-Type"), resp.body)
    calls = server.fake.journal.calls()
    assert len(calls) == before + 1, [(c.method, c.path, c.status) for c in calls[before:]]
    call = calls[-1]
    assert call.status == resp.status
    assert call.fake_error is None, call.fake_error
    if not getattr(call, "protocol_error", None):
        assert call.method == method
    await still_serving(server)


# -- big bodies: buffered up to 20 MB, larger is 500/5000 ------------------------------------------


async def test_a_19_mb_name_is_stored(make_fake: Any) -> None:
    r = await make_fake("2.1.6")
    name = "n" * (19 * 1024 * 1024)
    raw = b'{"orgName":"' + name.encode() + b'"}'
    assert await put_update(r, ORG, raw) == (200, TRUE)
    assert r.fake.store.org(ORG).name == name
    (call,) = r.fake.journal.calls()
    assert (call.operation, call.status) == ("updateOrganization", 200)


@pytest.mark.parametrize("chunked", [False, True])
async def test_a_body_over_20_mb_is_5000_and_the_fake_goes_on(server: FakeServer, chunked: bool) -> None:
    before = tuple(server.fake.store.orgs())
    raw = b'{"orgName":"' + b"z" * (25 * 1024 * 1024) + b'"}'
    cookie = ("Cookie", f"{COOKIE}={server.fake.open_session(email=ADMIN_EMAIL)}")
    resp = await send_raw(server, raw_request("PUT", UPDATE, [JSON, cookie], raw, chunked=chunked))
    assert (resp.status, resp.body.decode()) == (500, INTERNAL)
    assert tuple(server.fake.store.orgs()) == before
    (call,) = server.fake.journal.calls()
    assert (call.operation, call.status) == ("updateOrganization", 500)
    await still_serving(server)
