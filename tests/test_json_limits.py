"""JSON the fake cannot walk safely: too deeply nested, or numbers no float holds.

Each case once crashed a part of the fake (the failure report, the control
API's listing, fault matching); see lowcoder_fake/jsondepth.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from lowcoder_http import BAD_UPDATE_BODY, put_update

from lowcoder_fake.api.http import NumberText, boolean_field
from lowcoder_fake.errors import InvalidInput
from lowcoder_fake.faults import Faults
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


async def test_an_infinite_setting_is_written_as_jackson_writes_it(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    path = f"/api/organizations/{r.first_org_id}/common-settings"
    headers = {**r.session_headers("admin@example.com"), "Content-Type": "application/json"}
    for value in ("1e999", "-1e999"):
        resp = await r.client.put(path, data='{"key":"k' + value + '","value":' + value + "}", headers=headers)
        assert resp.status == 200
    answer = await (await r.client.get(path, headers=headers)).text()
    assert '"k1e999":"Infinity"' in answer and '"k-1e999":"-Infinity"' in answer
    for control in ("/__fake__/orgs", "/__fake__/calls"):
        text = await (await r.client.get(control)).text()
        assert "Infinity" not in text.replace('"Infinity"', "").replace('"-Infinity"', ""), control
        json.loads(text)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/__fake__/faults", '{"match":{"body":{"x":1e999}},"effect":"malformed"}'),
        ("/__fake__/faults", '{"effect":"status","status":200,"body":{"x":-1e999}}'),
        ("/__fake__/orgs", '{"name":"Big","commonSettings":{"x":1e999}}'),
    ],
)
async def test_the_control_api_refuses_numbers_too_large_for_a_float(make_fake: Any, path: str, body: str) -> None:
    r = await make_fake("2.7.6")
    before = (r.fake.faults.rules(), r.fake.store.orgs())
    resp = await r.client.post(path, data=body, headers={"Content-Type": "application/json"})
    assert resp.status == 400
    assert "too large for a float" in (await resp.json())["error"]
    assert (r.fake.faults.rules(), r.fake.store.orgs()) == before


async def test_a_settings_key_with_too_many_segments_fails_as_mongodb_would(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    path = f"/api/organizations/{r.first_org_id}/common-settings"
    headers = {**r.session_headers("admin@example.com"), "Content-Type": "application/json"}
    deep_key = ".".join(["a"] * 990)
    resp = await r.client.put(path, data=json.dumps({"key": deep_key, "value": 1}), headers=headers)
    assert resp.status == 500 and (await resp.json())["code"] == 5000
    assert r.fake.journal.calls()[-1].fake_error is None
    resp = await r.client.put(path, data=json.dumps({"key": ".".join(["a"] * 90), "value": 1}), headers=headers)
    assert resp.status == 200
    assert (await r.client.get(path, headers=headers)).status == 200


def test_python_fault_rules_take_json_values_only() -> None:
    faults = Faults()
    deep: Any = []
    for _ in range(MAX_DEPTH + 5):
        deep = [deep]
    bad_rules: list[dict[str, Any]] = [
        {"effect": "status", "status": 200, "body": deep},
        {"effect": "status", "status": 200, "body": {"x": float("nan")}},
        {"match": {"body": {"x": float("inf")}}, "effect": "malformed"},
        {"match": {"body": {"x": object()}}, "effect": "malformed"},
    ]
    for rule in bad_rules:
        with pytest.raises(InvalidInput):
            faults.add(rule)
    assert faults.rules() == []


async def test_recorded_answers_do_not_share_one_object(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    for _ in range(2):
        assert (await put_update(r, r.first_org_id, {"orgName": "Same"}))[0] == 200
    first, second = r.fake.journal.calls()
    first.response["data"] = False
    assert second.response["data"] is True


async def test_integers_longer_than_python_converts_are_taken(make_fake: Any) -> None:
    r = await make_fake("2.7.6")
    digits = "1" * 5000
    assert (await put_update(r, r.first_org_id, '{"orgName":"Long","extra":' + digits + "}"))[0] == 200
    assert r.fake.store.org(r.first_org_id).name == "Long"  # type: ignore[union-attr]
    assert r.fake.journal.calls()[-1].body["extra"] == digits
    assert (await put_update(r, r.first_org_id, '{"orgName":' + digits + "}"))[0] == 200
    assert r.fake.store.org(r.first_org_id).name == digits  # type: ignore[union-attr]
    path = f"/api/organizations/{r.first_org_id}/common-settings"
    headers = {**r.session_headers("admin@example.com"), "Content-Type": "application/json"}
    resp = await r.client.put(path, data='{"key":"big","value":-' + digits + "}", headers=headers)
    assert resp.status == 200
    settings = (await (await r.client.get(path, headers=headers)).json())["data"]
    assert settings["big"] == "-" + digits  # beyond a long: stored as text, as Spring Data stores a BigInteger


@pytest.mark.parametrize(("digits", "expected"), [("0" * 5000, False), ("0" * 4999 + "1", True)])
def test_a_long_integer_reads_as_a_boolean_without_converting_it(digits: str, expected: bool) -> None:
    assert boolean_field({"flag": NumberText(digits)}, "flag", "reason") is expected
