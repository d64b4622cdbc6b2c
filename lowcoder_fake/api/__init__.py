"""Lowcoder's API, one module per area; each module has an operation table ``routes``."""

from __future__ import annotations

from typing import Final

from lowcoder_fake.api import auth, configs, org_logo, org_members, organizations, state, users
from lowcoder_fake.api.routing import OperationTable

__all__ = ["OPERATION_TABLES"]

OPERATION_TABLES: Final[tuple[OperationTable, ...]] = (
    organizations.routes,
    org_members.routes,
    org_logo.routes,
    auth.routes,
    users.routes,
    state.routes,
    configs.routes,
)
