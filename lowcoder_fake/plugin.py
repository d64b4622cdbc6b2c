"""The pytest plugin (entry point ``pytest11``: ``lowcoder_fake``): fixture, marker, options, report.

Installing the package is enough; ``-p no:lowcoder_fake`` turns it off.
The work is done in :mod:`lowcoder_fake.fixture`; this module only wires it in.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fake itself (aiohttp and all) is imported when a test first asks for it
    from lowcoder_fake.fixture import FakePool
    from lowcoder_fake.running import RunningFake

__all__ = ["lowcoder_fake", "lowcoder_fake_pool"]

_FAKE = pytest.StashKey["RunningFake"]()
_CALL_FAILED = pytest.StashKey[bool]()
_MARKER = "lowcoder_fake"
_STRICT_HINT = "Allow such calls with @pytest.mark.lowcoder_fake(strict=False)."


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("lowcoder-fake", "the lowcoder_fake fixture's defaults (a marker overrides them)")
    group.addoption("--lowcoder-fake-version", metavar="X.Y.Z", help="Lowcoder version to imitate (default 2.1.6)")
    group.addoption("--lowcoder-fake-data", metavar="FILE", help="data set to load (default: the bundled one)")
    parser.addini("lowcoder_fake_version", "Lowcoder version the lowcoder_fake fixture imitates")
    parser.addini("lowcoder_fake_data", "data-set file for the lowcoder_fake fixture (relative to the ini file)")
    parser.addini("lowcoder_fake_strict", "fail tests whose calls match no route (default true)", "bool", True)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(version=None, data=None, seed=None, strict=True, workspace_mode=None, email_sign_up=True): "
        "how the lowcoder_fake fixture's fake is set up for this test",
    )


def _default_data(config: pytest.Config) -> Path | None:
    given: str | None = config.getoption("lowcoder_fake_data")
    if given:
        return (config.invocation_params.dir / given).resolve()
    ini = str(config.getini("lowcoder_fake_data") or "")
    base = config.inipath.parent if config.inipath else config.rootpath
    return (base / ini).resolve() if ini else None


@pytest.fixture(scope="session")
def lowcoder_fake_pool() -> Iterator[FakePool]:
    """The session's running fakes (one per configuration, per xdist worker)."""
    from lowcoder_fake.fixture import FakePool

    pool = FakePool()
    yield pool
    pool.close()


@pytest.fixture
def lowcoder_fake(request: pytest.FixtureRequest, lowcoder_fake_pool: FakePool) -> Iterator[RunningFake]:
    """A running fake Lowcoder, clean for this test: ``url``, ``journal``, ``faults``, ``store``, ``given_admin()``…"""
    from lowcoder_fake.assertions import strict_report
    from lowcoder_fake.errors import FakeError
    from lowcoder_fake.fixture import resolve_settings

    config = request.config
    markers = list(request.node.iter_markers(_MARKER))
    for marker in markers:
        if marker.args:
            raise FakeError(
                f"lowcoder-fake: @pytest.mark.{_MARKER} takes keyword arguments only "
                f"(version=..., data=..., seed=..., strict=...), got {marker.args!r}"
            )
    settings = resolve_settings(
        [marker.kwargs for marker in reversed(markers)],
        base_dir=request.node.path.parent,
        version=config.getoption("lowcoder_fake_version") or config.getini("lowcoder_fake_version") or None,
        data=_default_data(config),
        strict=bool(config.getini("lowcoder_fake_strict")),
    )
    fake = lowcoder_fake_pool.acquire(settings)
    request.node.stash[_FAKE] = fake
    yield fake
    if settings.strict and not request.node.stash.get(_CALL_FAILED, False):
        problem = strict_report(fake.journal.calls(), hint=_STRICT_HINT)
        if problem is not None:
            pytest.fail(problem, pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    fake = item.stash.get(_FAKE, None)
    if fake is not None and report.failed:
        from lowcoder_fake.fixture import journal_section

        item.stash[_CALL_FAILED] = True
        report.sections.append(("lowcoder-fake journal", journal_section(fake)))
    return report
