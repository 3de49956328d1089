"""em-conformance: contract tests for the Veeam Backup Enterprise Manager REST API.

The public names load on first use (PEP 562): the pytest plugin imports this package in
every pytest session of a project that has em-conformance installed, and most sessions
never touch it, so importing it must not load lxml or the schemas.

This namespace is the library's one public API: docs/api.md lists each name with a line
on what it is for.  Every other module is internal (its own `__all__` is module hygiene,
not a promise); tests/test_public_api.py keeps `__all__`, the docs and the README in step.
"""

import importlib as _importlib
import typing as _typing

from conformance.__version__ import __version__

if _typing.TYPE_CHECKING:
    from conformance.assertions import assert_conformant
    from conformance.cassette.replay import CassetteReplay, NoMatchingInteraction, replay_cassette
    from conformance.cassette.storage import read_cassette, write_cassette
    from conformance.emulator.clock import ManualClock
    from conformance.emulator.config import EmulatorConfig
    from conformance.emulator.core import EnterpriseManagerEmulator
    from conformance.emulator.journal import Journal, JournalEntry
    from conformance.emulator.mock import mock_enterprise_manager
    from conformance.emulator.server import EmulatorServer
    from conformance.emulator.sessions import User
    from conformance.errors import (
        BodyError,
        ConformanceFailure,
        Error,
        LogonRefused,
        TargetError,
        UnsafeBodyError,
        UsageError,
    )
    from conformance.exchange import Exchange, Handler, RecordedRequest, RecordedResponse
    from conformance.model import EntityRef, ErrorBody, Link, LogonSession, Task, TaskResult
    from conformance.properties.deserializers import register_xml_deserializer
    from conformance.representations import (
        ValidationResult,
        validate_body,
        validate_json,
        validate_xml,
    )
    from conformance.suite import JudgedResult, Settings, load_settings, run_suite
    from conformance.suite.target import Target

# Each public name and the module it comes from (docs/api.md says what each is for).
_HOMES = {
    "BodyError": "conformance.errors",
    "CassetteReplay": "conformance.cassette.replay",
    "ConformanceFailure": "conformance.errors",
    "EmulatorConfig": "conformance.emulator.config",
    "EmulatorServer": "conformance.emulator.server",
    "EnterpriseManagerEmulator": "conformance.emulator.core",
    "EntityRef": "conformance.model",
    "Error": "conformance.errors",
    "ErrorBody": "conformance.model",
    "Exchange": "conformance.exchange",
    "Handler": "conformance.exchange",
    "Journal": "conformance.emulator.journal",
    "JournalEntry": "conformance.emulator.journal",
    "Link": "conformance.model",
    "LogonRefused": "conformance.errors",
    "LogonSession": "conformance.model",
    "ManualClock": "conformance.emulator.clock",
    "NoMatchingInteraction": "conformance.cassette.replay",
    "RecordedRequest": "conformance.exchange",
    "RecordedResponse": "conformance.exchange",
    "JudgedResult": "conformance.suite",
    "Settings": "conformance.suite",
    "Target": "conformance.suite.target",
    "TargetError": "conformance.errors",
    "Task": "conformance.model",
    "TaskResult": "conformance.model",
    "UnsafeBodyError": "conformance.errors",
    "UsageError": "conformance.errors",
    "User": "conformance.emulator.sessions",
    "ValidationResult": "conformance.representations",
    "assert_conformant": "conformance.assertions",
    "load_settings": "conformance.suite",
    "mock_enterprise_manager": "conformance.emulator.mock",
    "read_cassette": "conformance.cassette.storage",
    "register_xml_deserializer": "conformance.properties.deserializers",
    "replay_cassette": "conformance.cassette.replay",
    "run_suite": "conformance.suite",
    "validate_body": "conformance.representations",
    "validate_json": "conformance.representations",
    "validate_xml": "conformance.representations",
    "write_cassette": "conformance.cassette.storage",
}

__all__ = [
    "BodyError",
    "CassetteReplay",
    "ConformanceFailure",
    "EmulatorConfig",
    "EmulatorServer",
    "EnterpriseManagerEmulator",
    "EntityRef",
    "Error",
    "ErrorBody",
    "Exchange",
    "Handler",
    "Journal",
    "JournalEntry",
    "JudgedResult",
    "Link",
    "LogonRefused",
    "LogonSession",
    "ManualClock",
    "NoMatchingInteraction",
    "RecordedRequest",
    "RecordedResponse",
    "Settings",
    "Target",
    "TargetError",
    "Task",
    "TaskResult",
    "UnsafeBodyError",
    "UsageError",
    "User",
    "ValidationResult",
    "__version__",
    "assert_conformant",
    "load_settings",
    "mock_enterprise_manager",
    "read_cassette",
    "register_xml_deserializer",
    "replay_cassette",
    "run_suite",
    "validate_body",
    "validate_json",
    "validate_xml",
    "write_cassette",
]


def __getattr__(name: str) -> _typing.Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'conformance' has no attribute {name!r}")
    value = getattr(_importlib.import_module(home), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
