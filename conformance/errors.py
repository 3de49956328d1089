"""The exception hierarchy of em-conformance.

    Error                       base of everything this package raises on purpose
    +-- UsageError              the caller asked for something invalid (exit code 2)
    +-- BodyError               a body could not be turned into a document
    |   +-- UnsafeBodyError     hostile XML: entities, DTDs, excessive size or depth
    +-- TargetError             the target is unreachable or refused the logon (exit code 3)
    |   +-- LogonRefused        the target answered the logon with 401 or 403
    +-- ConformanceFailure      the target broke a documented rule (exit code 1)

Messages say what was expected, what was received and, where it helps, what the
valid choices are.
"""

from __future__ import annotations

__all__ = [
    "BodyError",
    "ConformanceFailure",
    "Error",
    "LogonRefused",
    "TargetError",
    "UnsafeBodyError",
    "UsageError",
]


class Error(Exception):
    """Base class of every error em-conformance raises deliberately."""

    exit_code = 2


class UsageError(Error):
    """Invalid input from the user: an unknown option value, a missing file."""

    exit_code = 2


class BodyError(Error):
    """A body is not well-formed XML or JSON, or is not of the expected kind."""

    exit_code = 1


class UnsafeBodyError(BodyError):
    """A body that a hardened parser refuses: entities, DTDs, too large or too deep."""


class TargetError(Error):
    """The target could not be reached, or refused the logon."""

    exit_code = 3


class LogonRefused(TargetError):
    """The target answered, and refused the credentials (401 or 403)."""


class ConformanceFailure(Error):
    """The target broke one or more documented rules (raised by `assert_conformant`)."""

    exit_code = 1
