"""CLI start-up: `em-conformance --help` against `st --help` (the schemathesis CLI).

    python benchmarks/cli_startup.py [--rounds 5] [--command "run --help"]

Each round runs both commands once, interleaved, as fresh processes (the cost a user
waits for); the ratio em-conformance / st of each round is printed as min / median /
max over the rounds. Goal: <= 1.0 (no slower than `st --help`).
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

GOAL = 1.0


def _elapsed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _st() -> list[str]:
    found = shutil.which("st") or str(Path(sys.executable).with_name("st"))
    return [found, "--help"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--command", default="--help", help="em-conformance arguments to time")
    args = parser.parse_args()
    ours = [sys.executable, "-m", "conformance.cli", *shlex.split(args.command)]
    _elapsed(ours), _elapsed(_st())  # warm the file cache: both read many files
    rows = [(_elapsed(ours), _elapsed(_st())) for _ in range(args.rounds)]
    ratios = sorted(mine / theirs for mine, theirs in rows)
    print(f"em-conformance {args.command}: " + _stats([r[0] for r in rows]))
    print("st --help:                " + _stats([r[1] for r in rows]))
    low, mid, high = ratios[0], statistics.median(ratios), ratios[-1]
    verdict = "met" if mid <= GOAL else "NOT met"
    print(f"ratio min/median/max: {low:.2f} / {mid:.2f} / {high:.2f}  (goal <= {GOAL}: {verdict})")


def _stats(values: list[float]) -> str:
    ordered = sorted(values)
    return f"{ordered[0]:.3f} / {statistics.median(ordered):.3f} / {ordered[-1]:.3f} s"


if __name__ == "__main__":
    main()
