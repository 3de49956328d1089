"""One module per `em-conformance` command; each exposes `register(subparsers)`."""

from __future__ import annotations

from types import ModuleType

from conformance._cli import check_cassette, diff, emulate, run, validate_body, validate_client

__all__ = ["COMMANDS"]

COMMANDS: tuple[ModuleType, ...] = (
    run,
    validate_body,
    diff,
    emulate,
    check_cassette,
    validate_client,
)
