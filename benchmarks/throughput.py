"""Throughput of signed-in org updates: the full fake vs a bare aiohttp handler.

    python benchmarks/throughput.py [--seconds 5] [--connections 16] [--rounds 3]

Both servers run in their own process and are loaded by the same load generator
(wrk when installed, else a Python aiohttp client in another process), with
several concurrent connections. The fake runs with a session cookie and 20 fault
rules none of which match (18 for other operations, 2 for updates of other orgs),
so auth, journal and fault matching are all on the path. Rounds alternate between
the two servers; the figure is the ratio of the median requests per second
(target: at least 0.7). The servers run pinned to one core and wrk to the
other when there are two or more (taskset), so that they do not share a core.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from lowcoder_fake.operations import OPERATIONS

HERE = Path(__file__).resolve().parent
BARE_PATH = "/api/organizations/0123456789abcdef01234567/update"  # an org id as long as the fake's
BODY = json.dumps({"orgName": "Benchmark Org", "contactName": "Bench Mark", "contactEmail": "bench@example.com"})


def _pinned(core: int) -> list[str]:
    """A taskset prefix keeping a process on one core (nothing on a single-core machine)."""
    if (os.cpu_count() or 1) >= 2 and shutil.which("taskset"):
        return ["taskset", "-c", str(core)]
    return []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_listening(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def _control(url: str, path: str, body: object) -> dict[str, object]:
    request = urllib.request.Request(
        url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: dict[str, object] = json.loads(response.read())
        return answer


def _start_bare(
    prefix: Sequence[str] = (), ready_within: float = 20.0
) -> tuple[subprocess.Popen[bytes], str, dict[str, str]]:
    """The bare server, its URL and the headers to send it; ``prefix`` runs it under another command."""
    port = _free_port()
    process = subprocess.Popen(
        [*prefix, sys.executable, str(HERE / "_bare_server.py"), str(port)], stdout=subprocess.DEVNULL
    )
    _wait_until_listening(port, ready_within)
    return process, f"http://127.0.0.1:{port}", {}


def _start_fake(
    prefix: Sequence[str] = (), ready_within: float = 20.0
) -> tuple[subprocess.Popen[bytes], str, dict[str, str]]:
    """The fake with 20 fault rules that do not match, its URL and a session cookie to send it."""
    port = _free_port()
    process = subprocess.Popen(
        [*prefix, sys.executable, "-m", "lowcoder_fake", "serve", "--port", str(port)], stdout=subprocess.DEVNULL
    )
    _wait_until_listening(port, ready_within)
    url = f"http://127.0.0.1:{port}"
    others = sorted(OPERATIONS - {"updateOrganization"})
    for index in range(20):  # rules a test suite might hold for other calls, and two for other orgs' updates
        match = (
            {"operation": others[index]} if index < 18 else {"operation": "updateOrganization", "orgId": f"x{index}"}
        )
        _control(url, "/__fake__/faults", {"match": match, "effect": "malformed"})
    session = _control(url, "/__fake__/sessions", {"email": "admin@example.com"})
    return process, url, {"Cookie": f"{session['cookieName']}={session['token']}"}


def _org_path(url: str) -> str:
    """The update path of the fake's first org."""
    with urllib.request.urlopen(url + "/__fake__/orgs", timeout=10) as response:
        orgs = json.loads(response.read())["orgs"]
    return f"/api/organizations/{orgs[0]['id']}/update"


def _wrk(url: str, headers: dict[str, str], seconds: int, connections: int) -> float:
    lines = ['wrk.method = "PUT"', f"wrk.body = {json.dumps(BODY)}", 'wrk.headers["Content-Type"] = "application/json"']
    lines += [f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}" for name, value in headers.items()]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + "\n")
    output = subprocess.run(
        [*_pinned(0), "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    Path(script.name).unlink()
    if "Non-2xx" in output:
        raise RuntimeError(f"some answers were not 2xx:\n{output}")
    for line in output.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise RuntimeError(f"wrk printed no rate:\n{output}")


def _python_load(
    url: str,
    headers: dict[str, str],
    seconds: int,
    connections: int,
    result: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:
    import aiohttp

    async def run() -> int:
        done = 0
        deadline = time.monotonic() + seconds

        async def worker(session: aiohttp.ClientSession) -> None:
            nonlocal done
            while time.monotonic() < deadline:
                async with session.put(url, data=BODY, headers={"Content-Type": "application/json", **headers}) as r:
                    await r.read()
                done += 1

        connector = aiohttp.TCPConnector(limit=connections)
        async with aiohttp.ClientSession(connector=connector) as session:
            await asyncio.gather(*(worker(session) for _ in range(connections)))
        return done

    result.put(asyncio.run(run()) / seconds)


def _load(url: str, headers: dict[str, str], seconds: int, connections: int) -> float:
    if shutil.which("wrk"):
        return _wrk(url, headers, seconds, connections)
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    process = multiprocessing.Process(target=_python_load, args=(url, headers, seconds, connections, queue))
    process.start()
    rate = float(queue.get())
    process.join()
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    bare: list[float] = []
    fake: list[float] = []
    path = ""
    for _ in range(args.rounds):
        for start, rates in ((_start_bare, bare), (_start_fake, fake)):
            process, url, headers = start(_pinned(1))
            try:
                path = _org_path(url) if headers else BARE_PATH
                _load(url + path, headers, 1, args.connections)  # warm up
                rates.append(_load(url + path, headers, args.seconds, args.connections))
            finally:
                process.terminate()
                process.wait(timeout=10)
    loader = "wrk" if shutil.which("wrk") else "python aiohttp client"
    bare_rate, fake_rate = statistics.median(bare), statistics.median(fake)
    print(f"load generator: {loader}, {args.connections} connections, {args.rounds} x {args.seconds} s each")
    print(f"bare aiohttp handler: {bare_rate:,.0f} req/s (runs: {', '.join(f'{r:,.0f}' for r in bare)})")
    print(f"lowcoder-fake update: {fake_rate:,.0f} req/s (runs: {', '.join(f'{r:,.0f}' for r in fake)})")
    print(f"ratio fake/bare: {fake_rate / bare_rate:.2f} (target >= 0.70)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
