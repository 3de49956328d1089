"""One module per `em-conformance` command; each exposes `register(subparsers)`."""

from __future__ import annotations

from types import ModuleType

from conformance._cli import validate_body

__all__ = ["COMMANDS"]

COMMANDS: tuple[ModuleType, ...] = (validate_body,)
