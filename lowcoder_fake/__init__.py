"""lowcoder-fake: a fake Lowcoder API server for tests.

Answers like a real Lowcoder server of a chosen version, records every call,
and is driven from Python or over its control endpoint ``/__fake__``.
"""

from __future__ import annotations

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
