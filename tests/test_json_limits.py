"""JSON the fake cannot walk safely: too deeply nested, or numbers no float holds.

Each case once crashed a part of the fake (the failure report, the control
API's listing, fault matching); see lowcoder_fake/jsondepth.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from lowcoder_http import BAD_UPDATE_BODY, put_update

from lowcoder_fake.jsondepth import MAX_DEPTH
from lowcoder_fake.reporting import describe_call


def _nested(depth: int) -> str:
    """An update body whose ``a`` field nests ``depth`` - 1 arrays (the body itself is level 1)."""
    return '{"orgName":"Deep","a":' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


async def test_a_body_at_the_depth_limit_is_taken_and_reported(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    assert await put_update(r, r.first_org_id, _nested(MAX_DEPTH)) == (
        200,
        '{"code":1,"message":"","data":true,"success":true}',
    )
    [call] = r.fake.journal.calls()
    assert call.body["orgName"] == "Deep"
    assert "Deep" in describe_call(call)  # the report walks the whole body
    listing = await r.client.get("/__fake__/calls")
    assert listing.status == 200


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 970])
async def test_a_deeper_body_is_refused_and_recorded(make_fake: Any, depth: int) -> None:
    r = await make_fake("2.7.6")
    before = r.fake.store.orgs()[0]
    assert await put_update(r, r.first_org_id, _nested(depth)) == (500, BAD_UPDATE_BODY)
    assert r.fake.store.orgs()[0] == before
    [call] = r.fake.journal.calls()
    assert (call.status, call.body, call.fake_error) == (500, None, None)
    assert call.raw_body == _nested(depth)
    describe_call(call)
    listing = await r.client.get("/__fake__/calls")
    assert listing.status == 200
    assert (await listing.json())["calls"][0]["rawBody"] == _nested(depth)


async def test_deep_settings_values_are_refused(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    value = "[" * 900 + "]" * 900
    resp = await r.client.put(
        f"/api/organizations/{r.first_org_id}/common-settings",
        data='{"key":"k","value":' + value + "}",
        headers={**r.session_headers("admin@example.com"), "Content-Type": "application/json"},
    )
    assert resp.status == 500
    assert (await resp.json())["code"] == 5002
    assert r.fake.journal.calls()[0].fake_error is None


@pytest.mark.parametrize("field", ["match.body", "body"])
async def test_the_control_api_refuses_deep_json_with_400(make_fake: Any, field: str) -> None:
    r = await make_fake("2.7.6")
    deep = "[" * 600 + "]" * 600
    rule = (
        '{"match":{"operation":"updateOrganization","body":' + deep + '},"effect":"malformed"}'
        if field == "match.body"
        else '{"effect":"status","status":200,"body":' + deep + "}"
    )
    resp = await r.client.post("/__fake__/faults", data=rule, headers={"Content-Type": "application/json"})
    assert resp.status == 400
    problem = await resp.json()
    assert problem["field"] == "body" and f"deeper than {MAX_DEPTH}" in problem["error"]
    assert r.fake.faults.rules() == []


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("field", ["delayMs", "probability"])
async def test_the_control_api_refuses_nan_and_infinity(make_fake: Any, constant: str, field: str) -> None:
    r = await make_fake("2.7.6")
    rule = '{"match":{"operation":"updateOrganization"},"effect":"delay","' + field + '":' + constant + "}"
    resp = await r.client.post("/__fake__/faults", data=rule, headers={"Content-Type": "application/json"})
    assert resp.status == 400
    assert constant.lstrip("-") in (await resp.json())["error"]
    assert r.fake.faults.rules() == []


async def test_a_number_no_float_holds_is_kept_as_its_text(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    assert (await put_update(r, r.first_org_id, '{"orgName":"Big","x":1e999,"y":-1e999}'))[0] == 200
    listing = await r.client.get("/__fake__/calls")
    text = await listing.text()
    assert "Infinity" not in text
    body = json.loads(text)["calls"][0]["body"]
    assert body == {"orgName": "Big", "x": "1e999", "y": "-1e999"}
