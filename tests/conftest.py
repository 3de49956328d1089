"""Shared fixtures of the project's own tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conformance.suite import JudgedResult

# Copies of the documented bodies (shared/reference/examples), with their SOURCES.md.
EXAMPLES = Path(__file__).resolve().parent / "examples"


@pytest.fixture(scope="session")
def em_examples() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def em_faithful_run() -> JudgedResult:
    """The full suite against the faithful embedded emulator, in both formats."""
    from tests._runs import embedded_run

    return embedded_run()


@pytest.fixture(scope="session")
def em_fault_run() -> Callable[[str], JudgedResult]:
    """The run of one fault profile (`em_fault_run(fault)`), made once per session and
    shared by every module that judges it."""
    from tests._runs import fault_run

    return fault_run
