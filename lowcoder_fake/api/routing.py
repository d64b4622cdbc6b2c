"""A table of Lowcoder operations: method, path, operationId, handler, first version."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Final

from aiohttp import web

from lowcoder_fake.operations import OPERATIONS
from lowcoder_fake.versions import Behaviours

__all__ = ["API_PREFIXES", "Handler", "Operation", "OperationTable"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: Lowcoder serves every API path under both prefixes (same handlers).
API_PREFIXES: Final = ("/api", "/api/v1")


def _always(_: Behaviours) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Operation:
    """One Lowcoder operation, served at ``prefix + path`` for each prefix."""

    name: str
    method: str
    path: str
    handler: Handler
    prefixes: tuple[str, ...] = API_PREFIXES
    available: Callable[[Behaviours], bool] = _always

    def paths(self) -> tuple[str, ...]:
        return tuple(prefix + self.path for prefix in self.prefixes)


class OperationTable:
    """Collects the operations of one API module, through a decorator."""

    def __init__(self) -> None:
        self._operations: list[Operation] = []

    def route(
        self,
        method: str,
        path: str,
        name: str,
        *,
        prefixes: tuple[str, ...] = API_PREFIXES,
        available: Callable[[Behaviours], bool] = _always,
    ) -> Callable[[Handler], Handler]:
        """Register the decorated handler as operation ``name``."""

        if name not in OPERATIONS:
            raise ValueError(f"lowcoder-fake: operation {name!r} is missing from lowcoder_fake.operations")

        def register(handler: Handler) -> Handler:
            self._operations.append(Operation(name, method, path, handler, prefixes, available))
            return handler

        return register

    def __iter__(self) -> Iterator[Operation]:
        return iter(self._operations)
