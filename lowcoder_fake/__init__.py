"""lowcoder-fake: a fake Lowcoder API server for tests.

Answers like a real Lowcoder server of a chosen version, records every call,
and is driven from Python or over its control endpoint ``/__fake__``.

Names are imported on first use, so that ``import lowcoder_fake`` (and the
pytest plugin, loaded in every pytest run) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lowcoder_fake.assertions import CallAssertionError, CallExpectation, StrictModeError
    from lowcoder_fake.client import FakeClient
    from lowcoder_fake.errors import FakeError, InvalidInput
    from lowcoder_fake.facade import Account, Session
    from lowcoder_fake.fake import FakeConfig, LowcoderFake
    from lowcoder_fake.journal import Call, CallFilter, Journal
    from lowcoder_fake.running import RunningFake
    from lowcoder_fake.seed import DataSet, default_data_set, generate_data_set, load_data_set
    from lowcoder_fake.server import FakeServer
    from lowcoder_fake.versions import DEFAULT_VERSION

_HOMES = {
    "Account": "lowcoder_fake.facade",
    "Call": "lowcoder_fake.journal",
    "CallAssertionError": "lowcoder_fake.assertions",
    "CallExpectation": "lowcoder_fake.assertions",
    "CallFilter": "lowcoder_fake.journal",
    "DEFAULT_VERSION": "lowcoder_fake.versions",
    "DataSet": "lowcoder_fake.seed",
    "FakeClient": "lowcoder_fake.client",
    "FakeConfig": "lowcoder_fake.fake",
    "FakeError": "lowcoder_fake.errors",
    "FakeServer": "lowcoder_fake.server",
    "InvalidInput": "lowcoder_fake.errors",
    "Journal": "lowcoder_fake.journal",
    "LowcoderFake": "lowcoder_fake.fake",
    "RunningFake": "lowcoder_fake.running",
    "Session": "lowcoder_fake.facade",
    "StrictModeError": "lowcoder_fake.assertions",
    "default_data_set": "lowcoder_fake.seed",
    "generate_data_set": "lowcoder_fake.seed",
    "load_data_set": "lowcoder_fake.seed",
}

__all__ = [
    "DEFAULT_VERSION",
    "Account",
    "Call",
    "CallAssertionError",
    "CallExpectation",
    "CallFilter",
    "DataSet",
    "FakeClient",
    "FakeConfig",
    "FakeError",
    "FakeServer",
    "InvalidInput",
    "Journal",
    "LowcoderFake",
    "RunningFake",
    "Session",
    "StrictModeError",
    "default_data_set",
    "generate_data_set",
    "load_data_set",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'lowcoder_fake' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
