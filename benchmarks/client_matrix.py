"""Client matrix wall time, against one plain client run on the same machine.

    python benchmarks/client_matrix.py [--serial] [--jobs N] [-- COMMAND ...]

Runs COMMAND (default: the README's Python client) once against the plain emulator,
then through `validate-client --matrix` (every client-relevant fault, `--jobs` at a
time, default one per core), and prints both wall times, their ratio and the goal: a
matrix of N faults within N / cores + 1 plain runs.  `--serial` also times the matrix
with one worker, to show what the pool saves.  The slow-tasks row runs its tasks for
`SLOW_TASK_DURATION` seconds, so it weighs more than a plain run by design.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from conformance.report.client_matrix import matrix_table
from conformance.suite.client_matrix import (
    MATRIX_CASES,
    SLOW_TASK_DURATION,
    default_workers,
    run_matrix,
)
from conformance.suite.client_validation import validate_client

T = TypeVar("T")
CLIENT = Path(__file__).resolve().parents[1] / "tests" / "cassette" / "clients" / "python_client.py"


def timed(work: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=default_workers(), help="matrix workers")
    parser.add_argument("--serial", action="store_true", help="also time one worker")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = [c for c in args.command if c != "--"] or [sys.executable, str(CLIENT)]
    plain, run = timed(lambda: validate_client(command, timeout=120))
    print(f"plain run: {plain:.2f} s (client exited {run.returncode})")
    matrix, result = timed(lambda: run_matrix(command, workers=args.jobs, timeout=120))
    print(matrix_table(result))
    faults, cores = len(MATRIX_CASES), args.jobs
    goal = faults / cores + 1
    print(f"matrix: {faults} faults, {cores} workers: {matrix:.2f} s = {matrix / plain:.2f} plain runs"
          f" (goal: within {faults} / {cores} + 1 = {goal:.1f} plain runs:"
          f" {'met' if matrix / plain <= goal else 'NOT met'}; slow-tasks alone runs"
          f" {SLOW_TASK_DURATION:g} s tasks)")  # fmt: skip
    if args.serial:
        serial, _ = timed(lambda: run_matrix(command, workers=1, timeout=120))
        print(f"serial matrix: {serial:.2f} s = {serial / plain:.2f} plain runs;"
              f" the pool saves {serial / matrix:.2f}x of an ideal {args.jobs}x")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
