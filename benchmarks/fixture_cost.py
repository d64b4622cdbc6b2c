"""What the ``lowcoder_fake`` fixture costs a test suite: ``python benchmarks/fixture_cost.py``.

Runs the same suite of trivial tests (500 by default) under pytest, in
subprocesses, three ways:

- ``empty``: each test takes a fixture that does nothing (the baseline);
- ``lowcoder_fake``: each test takes the plugin's fixture (one server for
  the session, reset before each test, the strict check after it);
- ``fresh server``: each test starts and stops its own fake (what the
  fixture would cost without its pool).

For each it prints the median setup+teardown time per test and the suite's
time (collection and run, without interpreter start), each as a ratio
against the empty baseline measured in the same run. Nothing is asserted:
numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

_CONFTEST = """
import json, os, time
import pytest
from lowcoder_fake import RunningFake

_phases = {}
_session = {}

@pytest.fixture
def empty():
    yield None

@pytest.fixture
def fresh_server():
    with RunningFake.start() as fake:
        yield fake

def pytest_sessionstart(session):
    _session["start"] = time.perf_counter()

def pytest_runtest_logreport(report):
    if report.when in ("setup", "teardown"):
        _phases[report.nodeid] = _phases.get(report.nodeid, 0.0) + report.duration

def pytest_sessionfinish(session):
    result = {"suite_s": time.perf_counter() - _session["start"], "per_test_s": list(_phases.values())}
    with open(os.environ["FIXTURE_COST_OUT"], "w") as out:
        json.dump(result, out)
"""

_TESTS = """
import pytest

@pytest.mark.parametrize("n", range({count}))
def test_one(n, {fixture}):
    assert n >= 0
"""

_VARIANTS = (
    ("empty fixture", "empty"),
    ("lowcoder_fake (reset only)", "lowcoder_fake"),
    ("fresh server per test", "fresh_server"),
)


def _run(folder: Path, fixture: str, count: int) -> tuple[float, float]:
    """The suite's median setup+teardown per test, and its time, in seconds."""
    (folder / "test_suite.py").write_text(textwrap.dedent(_TESTS.format(count=count, fixture=fixture)))
    out = folder / "result.json"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", str(folder)]
    environment = {**os.environ, "FIXTURE_COST_OUT": str(out)}
    finished = subprocess.run(command, cwd=folder, env=environment, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise SystemExit(f"fixture_cost: the {fixture!r} suite failed:\n{finished.stdout}\n{finished.stderr}")
    result = json.loads(out.read_text())
    return statistics.median(result["per_test_s"]), float(result["suite_s"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tests", type=int, default=500, help="tests in the suite (default 500)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each suite; the median is shown (default 3)")
    args = parser.parse_args(argv)
    per_test: dict[str, list[float]] = {name: [] for _, name in _VARIANTS}
    suite: dict[str, list[float]] = {name: [] for _, name in _VARIANTS}
    with tempfile.TemporaryDirectory(prefix="lowcoder-fake-bench-") as tmp:
        folder = Path(tmp)
        (folder / "conftest.py").write_text(textwrap.dedent(_CONFTEST))
        (folder / "pytest.ini").write_text("[pytest]\n")
        for _ in range(args.rounds):
            for _, fixture in _VARIANTS:  # interleaved, so drift in the machine's speed hits all alike
                test_s, suite_s = _run(folder, fixture, args.tests)
                per_test[fixture].append(test_s)
                suite[fixture].append(suite_s)
    base_test = statistics.median(per_test["empty"])
    base_suite = statistics.median(suite["empty"])
    print(f"lowcoder_fake fixture cost: {args.tests} trivial tests per suite, median of {args.rounds} runs")
    print(f"{'':28} {'setup+teardown per test':>26} {'suite (collect + run)':>26}")
    for label, fixture in _VARIANTS:
        test_s, suite_s = statistics.median(per_test[fixture]), statistics.median(suite[fixture])
        print(
            f"{label:28} {test_s * 1000:10.3f} ms {test_s / base_test:8.1f}x     "
            f"{suite_s:10.2f} s {suite_s / base_suite:8.2f}x"
        )
    extra = (statistics.median(suite["lowcoder_fake"]) - base_suite) / args.tests * 1000
    print(f"The fixture adds {extra:.2f} ms per test to the suite (including starting one server for it).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
