"""The baseline for benchmarks/throughput.py: a bare aiohttp handler that parses the
JSON body and answers Lowcoder's success envelope, nothing else."""

from __future__ import annotations

import sys

from aiohttp import web

ENVELOPE = b'{"code":1,"message":"","data":true,"success":true}'


async def update(request: web.Request) -> web.Response:
    await request.json()
    return web.Response(body=ENVELOPE, content_type="application/json")


def main() -> None:
    app = web.Application()
    app.router.add_put("/api/organizations/{orgId}/update", update)
    port = int(sys.argv[1])
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=lambda *_: print("ready", flush=True))


if __name__ == "__main__":
    main()
