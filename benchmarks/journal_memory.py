"""Memory the journal keeps per call, for a signed-in update with a 200-byte body.

    python benchmarks/journal_memory.py [--calls 5000]

The fake runs in this process (in its thread); calls go over a keep-alive
loopback connection. tracemalloc measures what stays allocated after the calls
(garbage collected, every entry read once so that it is a built Call record),
divided by the number of calls, minus the 200 bytes of the body itself
(target: under 2 KB per entry above the body). The baseline, measured the same
way in the same run: keeping each request as the bytes that were sent.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import sys
import tracemalloc

from lowcoder_fake import FakeConfig, FakeServer

BODY_BYTES = 200


def _body() -> bytes:
    body = {"orgName": "", "contactName": "Bench Mark", "contactEmail": "bench@example.com"}
    padding = BODY_BYTES - len(json.dumps(body, separators=(",", ":")))
    body["orgName"] = "x" * padding
    encoded = json.dumps(body, separators=(",", ":")).encode()
    assert len(encoded) == BODY_BYTES
    return encoded


def _calls(server: FakeServer, count: int, cookie: str, org_id: str) -> None:
    connection = http.client.HTTPConnection(server.host, server.port)
    body = _body()
    headers = {"Content-Type": "application/json", "Cookie": cookie}
    for _ in range(count):
        connection.request("PUT", f"/api/organizations/{org_id}/update", body=body, headers=headers)
        connection.getresponse().read()
    connection.close()


def _raw_request_bytes(server: FakeServer, cookie: str, org_id: str, count: int = 5000) -> float:
    """Memory per request for the least a recorder could keep: each request as the bytes sent."""
    head = (
        f"PUT /api/organizations/{org_id}/update HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
        f"Accept-Encoding: identity\r\nContent-Length: {BODY_BYTES}\r\nContent-Type: application/json\r\n"
        f"Cookie: {cookie}\r\n\r\n"
    )
    head_bytes, body = head.encode(), _body()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [head_bytes + body for _ in range(count)]  # each concatenation is a new object
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(kept) == count
    return (after - before) / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=5000)
    args = parser.parse_args()
    with FakeServer(FakeConfig(journal_limit=args.calls + 1000)) as server:
        fake = server.fake
        cookie = f"{fake.config.cookie_name}={fake.open_session(email='admin@example.com')}"
        org_id = fake.store.orgs()[0].id
        _calls(server, 500, cookie, org_id)  # warm up: caches, pools, first-call allocations
        fake.journal.clear()
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        _calls(server, args.calls, cookie, org_id)
        assert len(fake.journal.calls()) == args.calls  # read once: each entry is a built Call record now
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        assert len(fake.journal) == args.calls
    per_entry = (after - before) / args.calls
    raw = _raw_request_bytes(server, cookie, org_id)
    print(f"{args.calls} calls with a {BODY_BYTES}-byte body: {per_entry:,.0f} bytes kept per journal entry")
    print(f"above the body: {per_entry - BODY_BYTES:,.0f} bytes (target < 2,048)")
    print(f"baseline, each request kept as the bytes sent: {raw:,.0f} bytes; ratio {per_entry / raw:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
