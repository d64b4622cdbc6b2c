"""Memory of a long run: 1,000,000 signed-in updates with a 10,000-entry journal bound.

    python benchmarks/soak_memory.py [--calls 1000000] [--journal-limit 10000]

The fake runs as ``lowcoder-fake serve`` in its own process, loaded by wrk
(needed: ``apt-get install wrk``) in 30-second runs until at least ``--calls``
calls are made; after each run the journal is read once (``GET /__fake__/calls``),
as a test would. Its resident memory is read after a warm-up that fills the
journal, and again after the run: growth in MB and the ratio to the memory
after the warm-up (target: within 50 MB).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from throughput import _free_port, _wait_until_listening


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _wrk(url: str, script: str, seconds: int) -> int:
    output = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", script, url], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+) requests in", output)
    if match is None or "Non-2xx" in output:
        raise RuntimeError(f"wrk saw no requests or failed ones:\n{output}")
    return int(match.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--journal-limit", type=int, default=10_000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("soak_memory needs wrk (apt-get install wrk)", file=sys.stderr)
        return 2
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lowcoder_fake",
            "serve",
            "--port",
            str(port),
            "--journal-limit",
            str(args.journal_limit),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_until_listening(port)
        base = f"http://127.0.0.1:{port}"
        request = urllib.request.Request(
            base + "/__fake__/sessions", data=b'{"email":"admin@example.com"}', method="POST"
        )
        with urllib.request.urlopen(request) as response:
            session = json.loads(response.read())
        with urllib.request.urlopen(base + "/__fake__/orgs") as response:
            org_id = json.loads(response.read())["orgs"][0]["id"]
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(
                'wrk.method = "PUT"\nwrk.body = \'{"orgName":"Soak","contactName":"Soak Test"}\'\n'
                'wrk.headers["Content-Type"] = "application/json"\n'
                f'wrk.headers["Cookie"] = "{session["cookieName"]}={session["token"]}"\n'
            )
        url = f"{base}/api/organizations/{org_id}/update"
        done = 0
        while done < 2 * args.journal_limit:  # warm up: the journal is full from here on
            done += _wrk(url, script.name, 5)
        start_rss, started = _rss_mb(server.pid), time.monotonic()
        done = 0
        while done < args.calls:
            done += _wrk(url, script.name, 30)
            with urllib.request.urlopen(base + "/__fake__/calls?limit=1") as response:  # builds every record
                response.read()
            print(f"  {done:,} calls, RSS {_rss_mb(server.pid):.1f} MB", flush=True)
        end_rss = _rss_mb(server.pid)
        Path(script.name).unlink()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{done:,} calls in {time.monotonic() - started:.0f} s with a {args.journal_limit:,}-entry journal")
    print(f"RSS after warm-up {start_rss:.1f} MB, after the run {end_rss:.1f} MB: growth {end_rss - start_rss:+.1f} MB")
    print(f"ratio after the run / after warm-up: {end_rss / start_rss:.3f}")
    print("target: growth within 50 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
