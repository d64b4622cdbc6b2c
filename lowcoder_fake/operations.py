"""The names of the Lowcoder operations the fake serves (Lowcoder's own operationIds).

Plain data: fault rules, journal filters and assertions check a name against
this list, so a typo is an error that names the alternatives instead of a rule
that never fires or an assertion that always passes.
"""

from __future__ import annotations

import difflib
from typing import Final

from lowcoder_fake.errors import InvalidInput

__all__ = ["OPERATIONS", "check_operation"]

OPERATIONS: Final = frozenset(
    {
        "createApiKey",
        "createOrganization",
        "deleteApiKey",
        "deleteOrganization",
        "deleteOrganizationLogo",
        "getDeploymentId",
        "getOrganization",
        "getOrganizationDatasourceTypes",
        "getOrganizationSettings",
        "getRoot",
        "getStatusHealth",
        "getUserProfile",
        "healthCheck",
        "leaveOrganization",
        "listApiKeys",
        "listConfigs",
        "listOrganizationMembers",
        "loginWithUserPassword",
        "logout",
        "removeOrganizationMember",
        "switchOrganization",
        "updateOrganization",
        "updateOrganizationMemberRole",
        "updateOrganizationSettings",
        "uploadOrganizationLogo",
    }
)


def check_operation(name: str, field: str = "operation") -> str:
    """``name`` when it is an operation the fake serves; else :class:`InvalidInput` naming the choices."""
    if name in OPERATIONS:
        return name
    close = difflib.get_close_matches(name, OPERATIONS, n=3)
    hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
    raise InvalidInput(field, f"unknown operation {name!r}{hint}; known: {', '.join(sorted(OPERATIONS))}")
