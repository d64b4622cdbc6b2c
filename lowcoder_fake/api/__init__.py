"""Lowcoder's API, one module per area; each module has an operation table ``routes``."""

from __future__ import annotations

from typing import Final

from lowcoder_fake.api import auth, configs, organizations, state, users
from lowcoder_fake.api.routing import OperationTable

__all__ = ["OPERATION_TABLES"]

OPERATION_TABLES: Final[tuple[OperationTable, ...]] = (
    organizations.routes,
    auth.routes,
    users.routes,
    state.routes,
    configs.routes,
)
