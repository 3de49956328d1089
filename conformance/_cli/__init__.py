"""One module per `em-conformance` command; each exposes `register(subparsers)`.

`COMMANDS` names each command's module and its one-line help, so that `--help` and
every other command start without importing a command's heavy dependencies
(schemathesis, hypothesis, uvicorn): `conformance.cli` imports only the module of
the command it runs.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["COMMANDS", "load"]

COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("run", "run the conformance suite against a target or the embedded emulator"),
    "validate-body": (
        "validate_body",
        "validate a captured XML or JSON body against the XSD or JSON Schema",
    ),
    "diff": (
        "diff",
        "what changed between two recordings of the same flows, and does it break clients",
    ),
    "emulate": ("emulate", "run the Enterprise Manager emulator on a real port"),
    "check-cassette": (
        "check_cassette",
        "run every applicable check over recorded exchanges, offline",
    ),
    "validate-client": (
        "validate_client",
        "run a client program against the emulator (or a replay) and judge its traffic",
    ),
}


def load(name: str) -> ModuleType:
    """The module of command `name` (imported now, with whatever it needs)."""
    return importlib.import_module(f"conformance._cli.{COMMANDS[name][0]}")
