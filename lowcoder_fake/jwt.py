"""HS256 JSON Web Tokens, as Lowcoder's API keys are (built with the standard library).

Lowcoder signs with jjwt: header ``{"alg":"HS256"}``, claims ``sub``, ``iat``
(epoch seconds), ``userId``, ``createdBy`` in that order, no expiry; the HMAC
key is the raw bytes of the configured secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any, Final

__all__ = ["sign", "verified_claims"]

_HEADER: Final = {"alg": "HS256"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _compact_json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _signature(signing_input: str, secret: str) -> str:
    return _b64(hmac.new(secret.encode("utf-8"), signing_input.encode("ascii"), hashlib.sha256).digest())


def sign(claims: dict[str, Any], secret: str) -> str:
    """A compact JWS of ``claims`` (kept in their order), signed HS256 with ``secret``."""
    signing_input = f"{_b64(_compact_json(_HEADER))}.{_b64(_compact_json(claims))}"
    return f"{signing_input}.{_signature(signing_input, secret)}"


def verified_claims(token: str, secret: str) -> dict[str, Any] | None:
    """The claims of ``token`` when it is a well-formed HS256 JWT signed with ``secret``, else None."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    header_text, payload_text, signature = parts
    try:
        header = json.loads(_unb64(header_text))
        claims = json.loads(_unb64(payload_text))
        expected = _signature(f"{header_text}.{payload_text}", secret)
    except (ValueError, UnicodeError):
        return None
    if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
        return None
    if not hmac.compare_digest(expected, signature):
        return None
    return claims
