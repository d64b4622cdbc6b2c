"""The one exception family of lowcoder-fake."""

from __future__ import annotations

from typing import Any

__all__ = ["FakeError", "InvalidInput"]


class FakeError(Exception):
    """Base of every error lowcoder-fake raises on purpose."""


class InvalidInput(FakeError):
    """Input to the fake (a data set, a control call, a Python call) is wrong.

    ``field`` names the offending field as a dotted path (``users[1].orgs``),
    so a message can point at it.
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"lowcoder-fake: {field}: {problem}" if field else f"lowcoder-fake: {problem}")

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (type(self), (self.field, self.problem))

    def within(self, prefix: str) -> InvalidInput:
        """The same error, its field placed under ``prefix``."""
        if not prefix:
            return self
        field = f"{prefix}.{self.field}" if self.field and not self.field.startswith("[") else f"{prefix}{self.field}"
        return InvalidInput(field, self.problem)
