"""docs/faults.md is generated from the fault constants, whose rule IDs are real rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.checks import REGISTRY
from conformance.emulator import FAULTS
from conformance.emulator.fault_catalogue import CLIENT_FAULTS
from conformance.emulator.fault_page import render_fault_page

PAGE = Path(__file__).resolve().parents[2] / "docs" / "faults.md"


def test_the_fault_page_is_up_to_date() -> None:
    assert PAGE.read_text("utf-8") == render_fault_page(), (
        "docs/faults.md is stale: run `python -m conformance.emulator.fault_page > docs/faults.md`"
    )


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_every_server_fault_breaks_registered_rules(name: str) -> None:
    known = {rule.id for rule in REGISTRY.rules()}
    breaks = FAULTS[name].breaks
    assert breaks and breaks <= known, sorted(breaks - known)
    row = next(
        line for line in render_fault_page().splitlines() if line.startswith(f"| `{name}` |")
    )
    assert row.endswith(f"| {', '.join(sorted(breaks))} |")


def test_client_faults_break_no_server_rule() -> None:
    assert all(not fault.breaks for fault in CLIENT_FAULTS.values())
    assert all(f"| `{name}` |" in render_fault_page() for name in CLIENT_FAULTS)


def test_every_fault_constant_is_in_a_catalogue() -> None:
    # A constant in neither tuple has no page row and no test, and faults.on() raises on it.
    from conformance.emulator import fault_catalogue

    constants = {
        value.name
        for value in vars(fault_catalogue).values()
        if isinstance(value, fault_catalogue.Fault)
    }
    assert constants == set(fault_catalogue.FAULTS) | set(fault_catalogue.CLIENT_FAULTS)
