"""Lowcoder's response envelope and its error catalogue (reference §2)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from lowcoder_fake import jsontext
from lowcoder_fake.versions import Behaviours

__all__ = [
    "ERRORS",
    "ErrorKind",
    "LowcoderError",
    "error_body",
    "error_named",
    "success_body",
]


@dataclass(frozen=True, slots=True)
class ErrorKind:
    """One entry of Lowcoder's error catalogue.

    ``status`` is the HTTP status; ``status_for`` overrides it where a version
    changes it. ``message`` may hold ``{reason}``.
    """

    name: str
    code: int
    status: int
    message: str
    status_for: Callable[[Behaviours], int] | None = None

    def http_status(self, behaviours: Behaviours) -> int:
        """The HTTP status this error has in the given version."""
        return self.status_for(behaviours) if self.status_for else self.status

    def text(self, reason: str = "") -> str:
        """The message, with ``{reason}`` filled in."""
        return self.message.replace("{reason}", reason)


def _not_authorized_status(behaviours: Behaviours) -> int:
    return behaviours.not_authorized_status


ERRORS: Final[dict[str, ErrorKind]] = {
    kind.name: kind
    for kind in (
        ErrorKind("INTERNAL_SERVER_ERROR", 5000, 500, "Oops! Service is busy, please try again later."),
        ErrorKind(
            "NOT_AUTHORIZED",
            5001,
            500,
            "Sorry, it appears you don't have the permission.",
            status_for=_not_authorized_status,
        ),
        ErrorKind("INVALID_PARAMETER", 5002, 500, "Sorry, an invalid parameter was passed, please check: {reason}."),
        ErrorKind("UNSUPPORTED_OPERATION", 5003, 400, "Bad request."),
        # Lowcoder pairs 5005 with several messages; the org logo's is ASSET_NOT_FOUND (locale_en.properties).
        ErrorKind(
            "NO_RESOURCE_FOUND", 5005, 500, "Oops, asset {reason} cannot be found, it might be removed or deleted."
        ),
        ErrorKind("REQUEST_THROTTLED", 5009, 429, "Sorry, request is too frequent, please try again later."),
        ErrorKind("SERVER_NOT_READY", 5010, 503, "Sorry, server is not ready yet."),
        ErrorKind("INVALID_ORG_ID", 5100, 500, "Illegal workspace ID, it might be deleted or does not exist."),
        ErrorKind("LAST_ADMIN_CANNOT_LEAVE_ORG", 5102, 500, "Sorry, the last admin of the workspace cannot leave."),
        ErrorKind("EXCEED_MAX_USER_ORG_COUNT", 5103, 500, "Sorry, you have reached maximum count of workspaces."),
        ErrorKind("UNABLE_TO_FIND_VALID_ORG", 5105, 500, "Cannot find a valid workspace for current user."),
        ErrorKind("EXCEED_MAX_DEVELOPER_COUNT", 5106, 500, "Sorry, you have reached maximum count of developers."),
        ErrorKind("USER_NOT_SIGNED_IN", 5600, 401, "Unknown user, you have to log in first."),
        ErrorKind("LOG_IN_SOURCE_NOT_SUPPORTED", 5602, 403, "Sorry, this log in channel is not supported."),
        ErrorKind("USER_LOGIN_ID_EXIST", 5607, 403, "Current email already used by another user."),
        ErrorKind("INVALID_PASSWORD", 5608, 403, "Invalid email or password."),
        ErrorKind(
            "PAYLOAD_TOO_LARGE",
            5700,
            413,
            "Sorry,the maximum file size is 300 KB, your payload has reached the limit.",
        ),
        ErrorKind("ORGANIZATION_NOT_FOUND", 6701, 400, "Organization not found."),
    )
}


def error_named(name: str) -> ErrorKind:
    """The catalogue entry called ``name``; ``KeyError`` names the alternatives."""
    try:
        return ERRORS[name]
    except KeyError:
        raise KeyError(f"unknown Lowcoder error {name!r}; known: {', '.join(sorted(ERRORS))}") from None


class LowcoderError(Exception):
    """Raised by a Lowcoder handler to answer with an error envelope."""

    def __init__(self, kind: ErrorKind, reason: str = "") -> None:
        self.kind = kind
        self.reason = reason
        super().__init__(f"{kind.name}: {kind.text(reason)}")

    @classmethod
    def named(cls, name: str, reason: str = "") -> LowcoderError:
        return cls(error_named(name), reason)


def success_body(data: Any = None) -> str:
    """The success envelope; a null ``data`` drops the key, as Lowcoder does."""
    if data is None:
        return '{"code":1,"message":"","success":true}'
    if data is True:
        return '{"code":1,"message":"","data":true,"success":true}'
    return '{"code":1,"message":"",' + '"data":' + jsontext.dumps(data) + ',"success":true}'


def error_body(code: int, message: str) -> str:
    """An error envelope: never a ``data`` key, ``success`` false."""
    return jsontext.dumps({"code": code, "message": message, "success": False})
