"""Embedded runs of the whole suite, made once per test session and shared by every
module that needs the same one.

A full run against the embedded emulator costs seconds, and several modules judge the
same configuration (the faithful run in both formats, each fault profile, a second run
with the same seed), so each configuration runs once.  Results are shared: treat them
as read-only.
"""

from __future__ import annotations

import functools

from conformance.suite import JudgedResult, Settings, run_suite

# The property-based flows have their own tests (tests/properties); here a small example
# budget keeps the dozens of full runs quick while still playing those flows.
EXAMPLES = 3
# Every run in these tests has one seed, so a failure shows up again on the next run.
SEED = 20261130
BOTH = ("xml", "json")


@functools.cache
def embedded_run(
    formats: tuple[str, ...] = BOTH, faults: tuple[str, ...] = (), attempt: int = 0
) -> JudgedResult:
    """The run of `formats` with `faults`; `attempt` > 0 makes another, independent run of
    the same configuration (two runs with one seed record the same exchanges)."""
    del attempt
    return run_suite(Settings(formats=formats, faults=faults, max_examples=EXAMPLES, seed=SEED))


@functools.cache
def other_seed_run(seed: int) -> JudgedResult:
    """The faithful run in both formats with another seed."""
    return run_suite(Settings(max_examples=EXAMPLES, seed=seed))


@functools.cache
def fault_run(fault: str) -> JudgedResult:
    """The run of one fault profile in both formats, as tests/suite/test_faults.py judges
    and tests/cassette/test_recordings.py judge it (a 20 s task deadline: the
    never-finishing task must not cost a minute of polls)."""
    settings = Settings(faults=(fault,), max_examples=EXAMPLES, task_timeout=20, seed=SEED)
    return run_suite(settings)
