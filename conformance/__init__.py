"""em-conformance: contract tests for the Veeam Backup Enterprise Manager REST API."""

from conformance.__version__ import __version__
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
