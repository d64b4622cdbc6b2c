"""What the fixture runs on: settings from markers and defaults, the pool of running fakes (no pytester)."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from lowcoder_fake import FakeError, RunningFake, generate_data_set
from lowcoder_fake.fixture import REPORTED_CALLS, FakePool, FixtureSettings, journal_section, resolve_settings

HERE = Path("/project/tests")


def test_defaults_then_markers_farthest_first() -> None:
    assert resolve_settings([], base_dir=HERE) == FixtureSettings()
    settings = resolve_settings(
        [{"version": "2.5.1", "strict": False}, {"version": "2.7.6"}],
        base_dir=HERE,
        version="2.4.0",
        strict=True,
    )
    assert (settings.version, settings.strict) == ("2.7.6", False)
    assert resolve_settings([], base_dir=HERE, version="2.4.0", strict=False) == FixtureSettings("2.4.0", strict=False)


def test_data_paths_and_seeds() -> None:
    default_file = Path("/elsewhere/data.json")
    assert resolve_settings([{"data": "d/orgs.json"}], base_dir=HERE).data == HERE / "d" / "orgs.json"
    assert resolve_settings([], base_dir=HERE, data=default_file).data == default_file
    seeded = resolve_settings([{"seed": 3}], base_dir=HERE, data=default_file)
    assert (seeded.data, seeded.seed) == (None, 3)
    nearer = resolve_settings([{"seed": 3}, {"data": "x.json"}], base_dir=HERE)
    assert (nearer.data, nearer.seed) == (HERE / "x.json", None)
    data_set = generate_data_set(1)
    assert resolve_settings([{"data": data_set}], base_dir=HERE).data is data_set
    with pytest.raises(FakeError, match="data= or seed=, not both"):
        resolve_settings([{"seed": 3, "data": "x.json"}], base_dir=HERE)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"versoin": "2.7.6"}, "unknown option 'versoin' in @pytest.mark.lowcoder_fake; known: data, email_sign_up"),
        ({"version": 2.7}, r"lowcoder_fake\(version=2.7\): expected a version string"),
        ({"seed": True}, r"lowcoder_fake\(seed=True\): expected a whole number"),
        ({"data": 5}, r"lowcoder_fake\(data=5\): expected a path to a data-set file, or a DataSet"),
    ],
)
def test_bad_marker_options_are_named(options: dict[str, object], message: str) -> None:
    with pytest.raises(FakeError, match=message):
        resolve_settings([options], base_dir=HERE)


def test_servers_are_kept_per_configuration_strict_aside() -> None:
    data_set = generate_data_set(2)
    keys = {
        FixtureSettings().server_key(),
        FixtureSettings(strict=False).server_key(),
        FixtureSettings(version="2.7.6").server_key(),
        FixtureSettings(seed=2).server_key(),
        FixtureSettings(data=data_set).server_key(),
        FixtureSettings(data=Path("/a.json")).server_key(),
        FixtureSettings(workspace_mode="SAAS").server_key(),
        FixtureSettings(email_sign_up=False).server_key(),
    }
    assert len(keys) == 7


def test_the_pool_reuses_resets_and_evicts() -> None:
    pool = FakePool(limit=2)
    try:
        first = pool.acquire(FixtureSettings())
        first.given_admin()
        first.faults.add(effect="malformed")
        with urllib.request.urlopen(first.url + "/api/configs", timeout=5):
            pass
        again = pool.acquire(FixtureSettings(strict=False))
        assert again is first and len(again.orgs()) == 3 and not again.faults.rules() and not again.journal.calls()
        second = pool.acquire(FixtureSettings(version="2.7.6"))
        third = pool.acquire(FixtureSettings(version="2.0.0"))
        assert len(pool) == 2 and not first.running and second.running and third.running
        assert repr(first) == "RunningFake(Lowcoder 2.1.6, stopped)"
    finally:
        pool.close()
    assert len(pool) == 0 and not second.running and not third.running


def test_running_fake_alone_and_its_journal_section() -> None:
    with RunningFake.start() as fake:
        assert (
            repr(fake) == f"RunningFake(Lowcoder 2.1.6, {fake.url})"
            and fake.cookie_name == fake.sign_in("admin@example.com").cookie_name
        )
        assert (
            journal_section(fake)
            == f"Lowcoder 2.1.6 fake at {fake.url}: 0 calls (secrets masked)\nNo calls were recorded."
        )
    assert journal_section(fake).startswith("Lowcoder 2.1.6 fake (stopped): 0 calls")


def test_the_journal_section_shows_the_newest_calls_only() -> None:
    with RunningFake.start() as fake:
        for index in range(REPORTED_CALLS + 5):
            fake.journal.record(
                operation=None, method="GET", path=f"/api/n{index}", path_params={}, query={}, headers={}, body=None,
                raw_body="", user_id=None, status=404, response=None, fault=None, duration_ms=0.1,
            )  # fmt: skip
        section = journal_section(fake)
    lines = section.splitlines()
    assert lines[0].endswith(f"{REPORTED_CALLS + 5} calls (secrets masked)")
    assert lines[1] == f"The newest {REPORTED_CALLS} are shown; fake.journal.calls() has them all."
    assert "/api/n4 " not in section and "/api/n5 " in section and f"/api/n{REPORTED_CALLS + 4} " in section
