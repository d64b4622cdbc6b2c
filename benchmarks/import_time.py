"""Import time of lowcoder_fake against aiohttp's, each in fresh interpreters.

    python benchmarks/import_time.py [--runs 15]

Three figures, each the median of ``--runs`` fresh processes, reported as a
ratio to ``import aiohttp`` measured in the same run (target: at most 1.3),
with bytecode caches written by a first, uncounted run:
``import lowcoder_fake`` (names load on first use), ``from lowcoder_fake import
FakeServer`` (the whole fake, aiohttp included) and the pytest plugin module.
faker must not be imported by any of them: it is loaded only to generate data.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

_PROBE = """
import sys, time
started = time.perf_counter()
{statement}
elapsed = time.perf_counter() - started
print(elapsed, "faker" in sys.modules)
"""


def _measure(statement: str, runs: int) -> tuple[float, bool]:
    # Bytecode caching on, as after any pip install (PYTHONDONTWRITEBYTECODE would make every run
    # compile the package anew); a first run, not counted, writes the caches.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    times, faker_loaded = [], False
    for run in range(runs + 1):
        output = subprocess.run(
            [sys.executable, "-c", _PROBE.format(statement=statement)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout.split()
        if run:
            times.append(float(output[0]))
        faker_loaded |= output[1] == "True"
    return statistics.median(times), faker_loaded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    baseline, _ = _measure("import aiohttp", args.runs)
    print(f"import aiohttp: {baseline * 1000:.0f} ms (baseline)")
    for statement in (
        "import lowcoder_fake",
        "from lowcoder_fake import FakeServer",
        "import lowcoder_fake.plugin",
    ):
        elapsed, faker_loaded = _measure(statement, args.runs)
        print(
            f"{statement}: {elapsed * 1000:.0f} ms, ratio {elapsed / baseline:.2f} (target <= 1.30)"
            + (" -- faker was imported!" if faker_loaded else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
