"""CPU instructions per signed-in org update: the full fake vs the bare aiohttp handler.

    python benchmarks/instructions.py [--calls 1000]

The same comparison as throughput.py (20 fault rules that do not match, a
session cookie, the journal), counted instead of timed, so that it does not
vary with the machine's load: each server runs under valgrind's callgrind,
which counts the instructions it executes. Each is run twice, with 200 and
with 200 + ``--calls`` updates sent one after another on one keep-alive
connection; the difference divided by ``--calls`` is the cost of one update,
start-up excluded. The figure is bare / fake (1.0 would be no overhead). Time
spent in the kernel (sockets) is not counted, so the throughput ratio comes out
a few hundredths lower. Needs valgrind (``apt-get install valgrind``); takes about a minute.
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from throughput import BARE_PATH, BODY, _org_path, _start_bare, _start_fake

WARM_UP_CALLS = 200
_Starter = Callable[..., tuple[subprocess.Popen[bytes], str, dict[str, str]]]


def _instructions(start: _Starter, calls: int) -> int:
    """Instructions the server executed from start to exit, having answered ``calls`` updates."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "callgrind.out"
        process, url, headers = start(
            ["valgrind", "-q", "--tool=callgrind", f"--callgrind-out-file={out}", "--dump-instr=no"], ready_within=300
        )
        try:
            path = _org_path(url) if headers else BARE_PATH
            address = urlsplit(url)
            connection = http.client.HTTPConnection(str(address.hostname), address.port, timeout=120)
            for _ in range(calls):
                connection.request("PUT", path, BODY, {"Content-Type": "application/json", **headers})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"{url}{path} answered {response.status}")
            connection.close()
        finally:
            process.terminate()
            process.wait(timeout=300)
        found = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M)
        if found is None:
            raise RuntimeError("callgrind wrote no instruction count")
        return int(found.group(1))


def _per_call(start: _Starter, calls: int) -> float:
    return (_instructions(start, WARM_UP_CALLS + calls) - _instructions(start, WARM_UP_CALLS)) / calls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind): nothing measured", file=sys.stderr)
        return 1
    bare = _per_call(_start_bare, args.calls)
    fake = _per_call(_start_fake, args.calls)
    print(f"instructions per update, {args.calls} updates after {WARM_UP_CALLS} (callgrind)")
    print(f"bare aiohttp handler: {bare:,.0f}")
    print(f"lowcoder-fake update: {fake:,.0f}")
    print(f"ratio bare/fake: {bare / fake:.2f} (throughput target >= 0.70)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
