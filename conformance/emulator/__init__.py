"""The Enterprise Manager emulator: a transport-free core served three ways.

`EnterpriseManagerEmulator.handle()` answers `RecordedRequest`s directly; `server`
serves it over HTTP(S) with uvicorn; `mock` serves it to `requests` through `responses`.
"""

from __future__ import annotations

from conformance.emulator.clock import Clock, ManualClock, SystemClock
from conformance.emulator.config import EmulatorConfig
from conformance.emulator.core import EnterpriseManagerEmulator
from conformance.emulator.faults import FAULTS, Fault, describe_faults
from conformance.emulator.journal import Journal, JournalEntry
from conformance.emulator.sessions import (
    DEFAULT_USERS,
    PORTAL_ADMINISTRATOR,
    RESTORE_OPERATOR,
    User,
)

__all__ = [
    "DEFAULT_USERS",
    "FAULTS",
    "PORTAL_ADMINISTRATOR",
    "RESTORE_OPERATOR",
    "Clock",
    "EmulatorConfig",
    "EnterpriseManagerEmulator",
    "Fault",
    "Journal",
    "JournalEntry",
    "ManualClock",
    "SystemClock",
    "User",
    "describe_faults",
]
