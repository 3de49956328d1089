"""The robustness matrix: one client run per client-relevant fault, in parallel.

Each case starts its own emulator (one server, one state) and runs the client once
against it, so cases cannot disturb each other and run side by side: a bounded pool of
as many workers as the machine has cores makes the matrix cost about one client run per
core.  Every run is judged as `validate-client` judges one: the client rules on its
traffic, and how it ended (handled, noticed, crashed, hung, wrong result).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from conformance.checks.client_outcome import Behaviour
from conformance.checks.rule import Level
from conformance.checks.verdict import Verdict
from conformance.errors import UsageError
from conformance.suite.client_validation import (
    DEFAULT_TASK_DURATION,
    DEFAULT_TIMEOUT,
    ClientRun,
    validate_client,
)

__all__ = [
    "MATRIX_CASES",
    "SLOW_TASK_DURATION",
    "MatrixCase",
    "MatrixResult",
    "MatrixRow",
    "run_matrix",
]

# Slow enough that a client with a short fixed wait gives up, as on a loaded server.
SLOW_TASK_DURATION = 8.0


@dataclass(frozen=True)
class MatrixCase:
    """One row: a name, the emulator fault profiles it switches on, what the client meets."""

    name: str
    faults: tuple[str, ...]
    description: str
    task_duration: float | None = None  # None: the matrix's default


MATRIX_CASES: tuple[MatrixCase, ...] = (
    MatrixCase("slow-tasks", (), f"tasks take {SLOW_TASK_DURATION:g} s", SLOW_TASK_DURATION),
    MatrixCase("delete-task-fails", ("delete-task-fails",), 'the task finishes Success="false"'),
    MatrixCase("busy-503", ("busy-503",), "a poll answers 503 with Retry-After: 1"),
    MatrixCase("session-expires-mid-poll", ("session-expires-mid-poll",), "401 mid-poll"),
    MatrixCase("camelcase-json", ("camelcase-json",), "JSON keys in camelCase (EM 13)"),
    MatrixCase("json-bom", ("json-bom",), "a byte-order mark before JSON"),
    MatrixCase("json-ignored", ("json-ignored",), "XML although JSON was asked for"),
    MatrixCase("href-alias-prefix", ("href-alias-prefix",), "Hrefs on another host alias and path prefix"),
    MatrixCase("task-in-other-session", ("task-in-other-session",), "the task refused as another session's (500)"),
)  # fmt: skip


@dataclass(frozen=True)
class MatrixRow:
    case: MatrixCase
    run: ClientRun

    @property
    def behaviour(self) -> Behaviour:
        # validate_client always judges how the client ended.
        return self.run.behaviour or Behaviour.CRASHED

    @property
    def failed_rules(self) -> list[str]:
        return sorted({verdict.rule.id for verdict in self.blocking})

    @property
    def passed(self) -> bool:
        """No rule failed: handled and noticed pass, whatever the client's exit status."""
        return not self.blocking and not self.run.mismatches

    @property
    def blocking(self) -> list[Verdict]:
        """The failures of rules at the judged level."""
        return [verdict for verdict in self.run.result.verdicts if verdict.blocking]


@dataclass(frozen=True)
class MatrixResult:
    command: tuple[str, ...]
    rows: tuple[MatrixRow, ...]
    workers: int

    @property
    def exit_code(self) -> int:
        """0 every row passed, 1 otherwise."""
        return 0 if all(row.passed for row in self.rows) else 1


def default_workers() -> int:
    """The cores this process may run on: the pool's size."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def select_cases(names: Sequence[str]) -> tuple[MatrixCase, ...]:
    """The cases named (all when none are), in matrix order; unknown names are misuse."""
    known = {case.name: case for case in MATRIX_CASES}
    unknown = sorted(set(names) - known.keys())
    if unknown:
        raise UsageError(
            f"Unknown matrix case(s): {', '.join(unknown)}; valid choices: {', '.join(known)}."
        )
    return tuple(case for case in MATRIX_CASES if not names or case.name in names)


def run_matrix(
    command: Sequence[str],
    *,
    cases: Sequence[MatrixCase] = MATRIX_CASES,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    tls: bool = False,
    level: Level | str = Level.SHOULD,
    task_duration: float = DEFAULT_TASK_DURATION,
) -> MatrixResult:
    """Run `command` once per case, each against its own emulator, `workers` at a time."""
    size = default_workers() if workers is None else workers
    if size < 1:
        raise UsageError(f"Expected at least 1 worker; received {size}.")

    def one(case: MatrixCase) -> MatrixRow:
        duration = case.task_duration if case.task_duration is not None else task_duration
        run = validate_client(command, faults=case.faults, timeout=timeout, tls=tls,
                              level=level, task_duration=duration)  # fmt: skip
        return MatrixRow(case, run)

    with ThreadPoolExecutor(max_workers=size, thread_name_prefix="matrix") as pool:
        rows = tuple(pool.map(one, cases))
    return MatrixResult(tuple(command), rows, size)
