"""em-conformance: contract tests for the Veeam Backup Enterprise Manager REST API.

The public names load on first use (PEP 562): the pytest plugin imports this package in
every pytest session of a project that has em-conformance installed, and most sessions
never touch it, so importing it must not load lxml or the schemas.
"""

import importlib as _importlib
import typing as _typing

from conformance.__version__ import __version__

if _typing.TYPE_CHECKING:
    from conformance.errors import (
        BodyError,
        ConformanceFailure,
        Error,
        TargetError,
        UnsafeBodyError,
        UsageError,
    )
    from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
    from conformance.model import EntityRef, ErrorBody, Link, LogonSession, Task, TaskResult
    from conformance.representations import validate_body, validate_json, validate_xml

# Each public name and the module it comes from.
_HOMES = {
    "BodyError": "conformance.errors",
    "ConformanceFailure": "conformance.errors",
    "EntityRef": "conformance.model",
    "Error": "conformance.errors",
    "ErrorBody": "conformance.model",
    "Exchange": "conformance.exchange",
    "Link": "conformance.model",
    "LogonSession": "conformance.model",
    "RecordedRequest": "conformance.exchange",
    "RecordedResponse": "conformance.exchange",
    "TargetError": "conformance.errors",
    "Task": "conformance.model",
    "TaskResult": "conformance.model",
    "UnsafeBodyError": "conformance.errors",
    "UsageError": "conformance.errors",
    "validate_body": "conformance.representations",
    "validate_json": "conformance.representations",
    "validate_xml": "conformance.representations",
}

__all__ = [
    "BodyError",
    "ConformanceFailure",
    "EntityRef",
    "Error",
    "ErrorBody",
    "Exchange",
    "Link",
    "LogonSession",
    "RecordedRequest",
    "RecordedResponse",
    "TargetError",
    "Task",
    "TaskResult",
    "UnsafeBodyError",
    "UsageError",
    "__version__",
    "validate_body",
    "validate_json",
    "validate_xml",
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
