"""Fault profiles switched on for one emulator, to measure a suite or a client.

The profiles themselves, with the rules each breaks, are constants in `fault_catalogue`;
emulator code asks `faults.on(CONSTANT)`. The emulator is conformant with none on.
"""

from __future__ import annotations

from collections.abc import Iterable

from conformance.emulator.fault_catalogue import (
    ALIAS_PREFIX,
    CLIENT_CATALOGUE,
    CLIENT_FAULTS,
    FAULTS,
    SERVER_CATALOGUE,
    Fault,
)
from conformance.errors import UsageError

__all__ = ["ALIAS_PREFIX", "CLIENT_FAULTS", "FAULTS", "Fault", "FaultSet", "describe_faults"]


# Every profile by name: `on` checks it was given a catalogue constant.
_KNOWN = {**FAULTS, **CLIENT_FAULTS}


class FaultSet:
    """The fault profiles switched on for one emulator; asking for an unknown name is a bug."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        chosen = frozenset(names)
        unknown = sorted(chosen - FAULTS.keys() - CLIENT_FAULTS.keys())
        if unknown:
            choices = ", ".join([*FAULTS, *CLIENT_FAULTS])
            raise UsageError(
                f"Unknown fault profile(s): {', '.join(unknown)}; valid choices: {choices}."
            )
        self.names = chosen

    def on(self, fault: Fault) -> bool:
        """Whether `fault` (a `fault_catalogue` constant, never a bare string) is on."""
        if _KNOWN.get(fault.name) is not fault:
            raise KeyError(f"no fault profile named {fault.name!r}")
        return fault.name in self.names

    def __bool__(self) -> bool:
        return bool(self.names)


def describe_faults() -> str:
    """A human-readable list of every profile, as `emulate --list-faults` prints it."""
    lines = [_described(fault) for fault in SERVER_CATALOGUE]
    lines.append("\nclient-facing profiles (validate-client --matrix; legitimate unless noted):")
    lines += [_described(fault) for fault in CLIENT_CATALOGUE]
    return "\n".join(lines)


def _described(fault: Fault) -> str:
    return f"{fault.name}\n    {fault.description}\n    breaks: {fault.rule}\n    see: {fault.page}"
