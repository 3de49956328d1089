"""The project's own tests: the README's test command against the 4-minute goal.

    python benchmarks/own_tests.py [--rounds 5] [-- extra pytest arguments]

Each round runs `python -m pytest -q` from the repository root as a fresh process (the
command `.ci/run` runs, with the workers pyproject.toml's addopts ask for) and prints its
wall time, the number of tests that passed, and the ratio to the goal of 240 s, as
min / median / max over the rounds, with the load average before and after: these
machines are shared, so a round under load says more about the load than about the tests.
A round whose tests do not all pass is reported, with the tests that failed, and not
counted.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

GOAL_SECONDS = 240.0
ROOT = Path(__file__).resolve().parents[1]


def _round(extra: list[str]) -> tuple[float, str, list[str]]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    lines = done.stdout.strip().splitlines()
    summary = lines[-1] if lines else done.stderr.strip()[-200:]
    failed = [line for line in lines if line.startswith(("FAILED ", "ERROR "))]
    if done.returncode != 0 and not failed:
        failed = [summary]
    return elapsed, summary, failed


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("extra", nargs="*", help="more pytest arguments (after --)")
    args = parser.parse_args()
    times: list[float] = []
    for number in range(1, args.rounds + 1):
        before = _load()
        elapsed, summary, failed = _round(args.extra)
        passed_count = re.search(r"(\d+) passed", summary)
        print(
            f"round {number}: {elapsed:.1f} s, {passed_count[1] if passed_count else '?'} passed;"
            f" load average {before} -> {_load()}" + (f"; FAILED: {summary}" if failed else ""),
            flush=True,
        )
        for line in failed:
            print(f"  {line}", flush=True)
        if not failed:
            times.append(elapsed)
    if not times:
        print("no round passed: no time to report")
        return
    low, mid, high = min(times), statistics.median(times), max(times)
    verdict = "met" if mid <= GOAL_SECONDS else "NOT met"
    print(f"wall time min/median/max: {low:.1f} / {mid:.1f} / {high:.1f} s")
    print(
        f"ratio to {GOAL_SECONDS:.0f} s: {low / GOAL_SECONDS:.2f} / {mid / GOAL_SECONDS:.2f} /"
        f" {high / GOAL_SECONDS:.2f}  (goal <= 1.0: {verdict})"
    )


if __name__ == "__main__":
    main()
