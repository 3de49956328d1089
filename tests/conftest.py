"""Shared fixtures of the project's own tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

from conformance._cli._cache import keep_hypothesis_out_of_cwd

if TYPE_CHECKING:
    from xdist.remote import Producer
    from xdist.scheduler.protocol import Scheduling

    from conformance.suite import JudgedResult

# Copies of the documented bodies (shared/reference/examples), with their SOURCES.md.
EXAMPLES = Path(__file__).resolve().parent / "examples"

# A test run leaves no `.hypothesis/` in the working directory, as the command line does
# not: no example database (each property test has a fixed budget, and a failure prints
# its example), and Hypothesis's other caches in the per-user cache directory.
settings.register_profile("em-tests", database=None)
settings.load_profile("em-tests")
keep_hypothesis_out_of_cwd()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> Scheduling | None:
    """`--dist loadfile`, but each fault's tests together (tests/_scheduling.py)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from tests._scheduling import FileOrFaultScheduling

    return FileOrFaultScheduling(config, log)


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
