"""The command line: ``lowcoder-fake serve`` (also ``python -m lowcoder_fake``)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence

from lowcoder_fake.errors import FakeError
from lowcoder_fake.fake import WORKSPACE_MODES, FakeConfig
from lowcoder_fake.journal import DEFAULT_LIMIT
from lowcoder_fake.seed import DataSet, generate_data_set, load_data_set
from lowcoder_fake.server import FakeServer
from lowcoder_fake.versions import DEFAULT_VERSION

__all__ = ["main", "run"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lowcoder-fake", description="A fake Lowcoder API server for tests.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve the fake on localhost until SIGTERM/SIGINT")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on; 0 picks a free one (default: 8080)")
    serve.add_argument(
        "--lowcoder-version",
        default=DEFAULT_VERSION,
        metavar="X.Y.Z",
        help=f"Lowcoder version to imitate, 2.0.0 to 2.7.x (default: {DEFAULT_VERSION})",
    )
    data = serve.add_mutually_exclusive_group()
    data.add_argument("--data", metavar="FILE", help="data set to load (default: the bundled fixtures/default.json)")
    data.add_argument("--seed", type=int, metavar="N", help="generate a realistic data set from seed N instead")
    serve.add_argument(
        "--workspace-mode",
        choices=WORKSPACE_MODES,
        help="ENTERPRISE or SAAS (default: the version's, SAAS from 2.3.0)",
    )
    serve.add_argument(
        "--journal-limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"calls the journal keeps; older ones are dropped and counted (default: {DEFAULT_LIMIT})",
    )
    control = serve.add_mutually_exclusive_group()
    control.add_argument(
        "--control-token",
        metavar="TOKEN",
        help="require 'Authorization: Bearer TOKEN' on every /__fake__ call (needed to bind a non-loopback --host)",
    )
    control.add_argument(
        "--no-control", action="store_true", help="serve the Lowcoder API only, without the /__fake__ endpoint"
    )
    serve.add_argument(
        "--no-email-sign-up",
        action="store_true",
        help="refuse form registration (as an instance with email sign-up disabled)",
    )
    return parser


def _data_set(args: argparse.Namespace) -> DataSet | None:
    if args.data is not None:
        return load_data_set(args.data)
    if args.seed is not None:
        return generate_data_set(args.seed)
    return None


async def _serve(server: FakeServer) -> None:
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(
        f"lowcoder-fake: Lowcoder {server.fake.lowcoder_version} fake serving at {server.url}",
        flush=True,
    )
    try:
        await stop.wait()
    finally:
        await server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad arguments or data)."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if not 0 <= args.port <= 65535:
        print(f"lowcoder-fake: --port {args.port} is not a port number (0 to 65535)", file=sys.stderr)
        return 2
    if args.control_token is not None and not args.control_token.strip():
        print("lowcoder-fake: --control-token must not be empty", file=sys.stderr)
        return 2
    try:
        config = FakeConfig(
            lowcoder_version=args.lowcoder_version,
            data=_data_set(args),
            workspace_mode=args.workspace_mode,
            email_sign_up=not args.no_email_sign_up,
            control=not args.no_control,
            journal_limit=args.journal_limit,
            control_token=args.control_token,
        )
        server = FakeServer(config, host=args.host, port=args.port)
    except FakeError as error:
        print(error, file=sys.stderr)
        return 2
    try:
        asyncio.run(_serve(server))
    except FakeError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
