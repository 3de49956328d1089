"""Recordings of the suite's flows against the emulator, the shipped `emulator-*` cassettes.

Each recording is one embedded run of every flow in one format (or both, under a
fault profile), normalised and redacted, so the files only change when the flows, the
checks' vocabulary or the emulator do.  The property-based flow's requests (label
`generated`) are left out of the shipped files: they are random each run, so they would
rewrite the files on every regeneration without saying anything about the contract.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from conformance.cassette.storage import write_cassette
from conformance.exchange import Exchange

__all__ = [
    "FAULT_RECORDINGS",
    "FORMATS",
    "fault_cassette_name",
    "record_emulator_cassettes",
    "record_flows",
]

FORMATS = ("xml", "json")
# Fault recordings shipped as examples, with the formats they are recorded in (the
# camelCase regression is JSON's: recorded alone it pairs with emulator-flows-json).
# Tests record every profile on the fly.
FAULT_RECORDINGS: dict[str, tuple[str, ...]] = {"camelcase-json": ("json",)}
# One fixed seed: the shipped recordings change only when the flows or emulator do.
RECORDING_SEED = 1


def record_flows(
    formats: Iterable[str] = FORMATS, faults: Iterable[str] = (), *, generated: bool = False
) -> list[Exchange]:
    """The exchanges of one embedded run of every flow, seeded (secrets already redacted)."""
    from conformance.checks.steps import Label
    from conformance.suite.runner import run_suite
    from conformance.suite.settings import Settings

    # The generated exchanges are left out of shipped recordings, so one example suffices.
    settings = Settings(
        formats=tuple(formats), faults=tuple(faults), max_examples=1, seed=RECORDING_SEED
    )
    result = run_suite(settings)
    return [e for e in result.exchanges if generated or e.label != Label.GENERATED]


def fault_cassette_name(fault: str) -> str:
    return f"emulator-fault-{fault}.yaml"


def record_emulator_cassettes(
    out: Path, faults: Mapping[str, tuple[str, ...]] = FAULT_RECORDINGS
) -> list[Path]:
    """Write `emulator-flows-{xml,json}.yaml` and one cassette per fault in `faults`."""
    written = []
    for fmt in FORMATS:
        path = out / f"emulator-flows-{fmt}.yaml"
        write_cassette(path, record_flows((fmt,)), normalize=True)
        written.append(path)
    for fault, formats in faults.items():
        path = out / fault_cassette_name(fault)
        write_cassette(path, record_flows(formats, faults=(fault,)), normalize=True)
        written.append(path)
    return written
