"""Who is calling: the session cookie as Spring reads it."""

from __future__ import annotations

import pytest
from support import ADMIN, COOKIE, MakeFake

from lowcoder_fake.security import first_cookie


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ([f"{COOKIE}=a"], "a"),
        ([f"x=1; {COOKIE}=a; {COOKIE}=b"], "a"),
        (["x=1", f"{COOKIE}=b"], "b"),
        ([f'{COOKIE}="q"'], "q"),
        (["garbage;;==;", f"{COOKIE}"], None),
        ([], None),
    ],
)
def test_first_cookie_over_all_headers(headers: list[str], expected: str | None) -> None:
    assert first_cookie(headers, COOKIE) == expected


async def test_session_in_a_second_cookie_header_signs_in(make_fake: MakeFake) -> None:
    running = await make_fake()
    token = running.fake.open_session(email=ADMIN["email"])
    response = await running.client.get(
        "/api/users/me", headers=[("Cookie", "theme=dark"), ("Cookie", f"{COOKIE}={token}")]
    )
    assert (await response.json())["data"]["anonymous"] is False


async def test_first_of_two_session_cookies_wins(make_fake: MakeFake) -> None:
    running = await make_fake()
    token = running.fake.open_session(email=ADMIN["email"])
    first_valid = await running.client.get("/api/users/me", headers={"Cookie": f"{COOKIE}={token}; {COOKIE}=bogus"})
    assert (await first_valid.json())["data"]["anonymous"] is False
    first_bogus = await running.client.get("/api/users/me", headers={"Cookie": f"{COOKIE}=bogus; {COOKIE}={token}"})
    assert (await first_bogus.json())["data"]["anonymous"] is True
