"""What the pytest fixture runs on: settings from marker and options, and a pool of running fakes.

Starting a server for every test would cost a thread, a loop and a socket
each time, so a test session keeps one :class:`RunningFake` per distinct
configuration (per xdist worker, each worker being its own session) and
resets it before each test: state from the data set, an empty journal, no
fault rules. No pytest here; :mod:`lowcoder_fake.plugin` wires it in.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from lowcoder_fake.errors import FakeError
from lowcoder_fake.fake import FakeConfig
from lowcoder_fake.reporting import format_journal
from lowcoder_fake.running import RunningFake
from lowcoder_fake.seed import DataSet, generate_data_set, load_data_set
from lowcoder_fake.versions import DEFAULT_VERSION

__all__ = ["MARKER_OPTIONS", "FakePool", "FixtureSettings", "journal_section", "resolve_settings"]

MARKER_OPTIONS: Final = ("data", "email_sign_up", "seed", "strict", "version", "workspace_mode")
_POOL_LIMIT: Final = 8


@dataclass(frozen=True, slots=True)
class FixtureSettings:
    """How the fixture's fake is set up for one test."""

    version: str = DEFAULT_VERSION
    data: Path | DataSet | None = None
    """A data-set file (absolute), a :class:`DataSet`, or None for the default (or ``seed``'s)."""
    seed: int | None = None
    strict: bool = True
    """Fail the test at teardown on calls that matched no route or failed inside the fake."""
    workspace_mode: str | None = None
    email_sign_up: bool = True

    def server_key(self) -> Hashable:
        """Settings that need a server of their own (``strict`` does not)."""
        data: Hashable
        if isinstance(self.data, DataSet):
            data = ("object", id(self.data))  # the pool keeps the object alive, so the id stays its own
        elif isinstance(self.data, Path):
            data = ("file", str(self.data))
        else:
            data = ("seed", self.seed)
        return (self.version, data, self.workspace_mode, self.email_sign_up)

    def fake_config(self) -> FakeConfig:
        """The fake's configuration, reading or generating the data set."""
        if isinstance(self.data, Path):
            data: DataSet | None = load_data_set(self.data)
        elif isinstance(self.data, DataSet):
            data = self.data
        else:
            data = generate_data_set(self.seed) if self.seed is not None else None
        return FakeConfig(
            lowcoder_version=self.version,
            data=data,
            workspace_mode=self.workspace_mode,
            email_sign_up=self.email_sign_up,
        )


def _check_marker(options: Mapping[str, Any]) -> None:
    for name in options:
        if name not in MARKER_OPTIONS:
            raise FakeError(
                f"lowcoder-fake: unknown option {name!r} in @pytest.mark.lowcoder_fake; "
                f"known: {', '.join(MARKER_OPTIONS)}"
            )
    checks: tuple[tuple[str, type | tuple[type, ...], str], ...] = (
        ("version", str, "a version string such as '2.7.6'"),
        ("data", (str, os.PathLike, DataSet), "a path to a data-set file, or a DataSet"),
        ("seed", int, "a whole number"),
        ("strict", bool, "True or False"),
        ("workspace_mode", str, "'ENTERPRISE' or 'SAAS'"),
        ("email_sign_up", bool, "True or False"),
    )
    for name, kind, wanted in checks:
        value = options.get(name)
        if value is not None and (not isinstance(value, kind) or (kind is int and isinstance(value, bool))):
            raise FakeError(f"lowcoder-fake: @pytest.mark.lowcoder_fake({name}={value!r}): expected {wanted}")


def resolve_settings(
    markers: Iterable[Mapping[str, Any]],
    *,
    base_dir: Path,
    version: str | None = None,
    data: Path | None = None,
    strict: bool = True,
) -> FixtureSettings:
    """Settings from the defaults (options, ini) overridden by markers, farthest first.

    A marker's relative ``data`` path is taken from ``base_dir`` (the test
    file's folder); ``data`` and ``seed`` exclude each other.
    """
    merged: dict[str, Any] = {}
    for options in markers:
        _check_marker(options)
        merged.update({name: value for name, value in options.items() if value is not None})
        if "data" in options or "seed" in options:  # a nearer marker's data set replaces a farther one's
            for other in ("data", "seed"):
                if other not in options:
                    merged.pop(other, None)
    if "data" in merged and "seed" in merged:
        raise FakeError("lowcoder-fake: @pytest.mark.lowcoder_fake takes data= or seed=, not both")
    chosen: Path | DataSet | None = data
    if "data" in merged:
        given = merged["data"]
        chosen = given if isinstance(given, DataSet) else (base_dir / os.fspath(given)).resolve()
    elif "seed" in merged:
        chosen = None
    return FixtureSettings(
        version=merged.get("version", version or DEFAULT_VERSION),
        data=chosen,
        seed=merged.get("seed"),
        strict=merged.get("strict", strict),
        workspace_mode=merged.get("workspace_mode"),
        email_sign_up=merged.get("email_sign_up", True),
    )


class FakePool:
    """The running fakes of one test session, one per server configuration, reset for each test.

    At most ``limit`` run at once; the least recently used one stops to make room.
    """

    def __init__(self, limit: int = _POOL_LIMIT) -> None:
        self._limit = limit
        self._running: OrderedDict[Hashable, tuple[RunningFake, FixtureSettings]] = OrderedDict()

    def acquire(self, settings: FixtureSettings) -> RunningFake:
        """A running fake for ``settings``, reset to its data set."""
        key = settings.server_key()
        entry = self._running.get(key)
        if entry is not None:
            self._running.move_to_end(key)
            entry[0].reset()
            return entry[0]
        fake = RunningFake.start(settings.fake_config())
        self._running[key] = (fake, settings)
        while len(self._running) > self._limit:
            _, (oldest, _) = self._running.popitem(last=False)
            oldest.stop()
        return fake

    def __len__(self) -> int:
        return len(self._running)

    def close(self) -> None:
        """Stop every fake."""
        while self._running:
            _, (fake, _) = self._running.popitem()
            fake.stop()


#: The most calls a failed test's journal section describes (the newest ones).
REPORTED_CALLS: Final = 100


def journal_section(fake: RunningFake) -> str:
    """The journal as a failed test's report shows it: which fake, then its newest
    :data:`REPORTED_CALLS` calls, secrets masked."""
    calls = fake.journal.calls()
    where = f"at {fake.url}" if fake.running else "(stopped)"
    count = "1 call" if len(calls) == 1 else f"{len(calls)} calls"
    dropped = fake.journal.dropped
    if dropped:
        count += f" ({dropped} older ones dropped: the journal keeps {fake.journal.limit})"
    heading = f"Lowcoder {fake.lowcoder_version} fake {where}: {count} (secrets masked)\n"
    if len(calls) > REPORTED_CALLS:
        heading += f"The newest {REPORTED_CALLS} are shown; fake.journal.calls() has them all.\n"
    return heading + format_journal(calls[-REPORTED_CALLS:])
