"""Plugin import cost: what the `pytest11` entry point adds to every pytest session.

    python benchmarks/plugin_import.py [--rounds 5]

Each round is a fresh interpreter that imports pytest (as any pytest session has), then
times importing `conformance.plugin` and the plugins it names in `pytest_plugins`, which
is all pytest loads until an `em_*` fixture or `--em-run` is used. The baseline in the
same process is importing pytest itself. Goal: under 20 ms, with none of the heavy
modules loaded (tests/plugin/test_import_cost.py asserts the latter).

Bytecode is cached, as for an installed package (a warm-up round writes it, whatever
PYTHONDONTWRITEBYTECODE says). CPU time is printed too: on a machine others load, the
wall clock mostly measures waiting for a core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

GOAL_MS = 20.0
HEAVY = ("lxml", "jsonschema", "schemathesis", "hypothesis", "yaml", "requests", "responses",
         "uvicorn")  # fmt: skip
# This checkout's package, not whichever one is installed.
SOURCE = str(Path(__file__).resolve().parents[1])

PROBE = f"""
import importlib, sys, time
wall, cpu = time.perf_counter(), time.process_time()
import pytest
wall_pytest, cpu_pytest = time.perf_counter() - wall, time.process_time() - cpu
wall, cpu = time.perf_counter(), time.process_time()
import conformance.plugin
for name in conformance.plugin.pytest_plugins:
    importlib.import_module(name)
wall_plugin, cpu_plugin = time.perf_counter() - wall, time.process_time() - cpu
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
print(wall_pytest, wall_plugin, cpu_pytest, cpu_plugin, ",".join(heavy) or "-")
"""


class Round(NamedTuple):
    """One fresh interpreter's times in ms: wall clock and CPU (steadier on a busy machine)."""

    pytest: float
    plugin: float
    cpu_pytest: float
    cpu_plugin: float
    heavy: str


def _round() -> Round:
    # Bytecode written and read, as an installed (byte-compiled) package has it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = SOURCE
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    wall_pytest, wall_plugin, cpu_pytest, cpu_plugin = (float(value) * 1000 for value in out[:4])
    return Round(wall_pytest, wall_plugin, cpu_pytest, cpu_plugin, out[4])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    _round()  # warm-up: writes the bytecode the measured rounds read
    rounds = [_round() for _ in range(args.rounds)]
    print("min / median / max of", len(rounds), "rounds")
    print(f"import pytest (baseline): {_stats([r.pytest for r in rounds])} ms")
    print(f"import the plugin:        {_stats([r.plugin for r in rounds])} ms")
    print(f"plugin / pytest ratio:    {_stats([r.plugin / r.pytest for r in rounds], '.3f')}")
    print(f"CPU, pytest:              {_stats([r.cpu_pytest for r in rounds])} ms")
    print(f"CPU, the plugin:          {_stats([r.cpu_plugin for r in rounds])} ms")
    heavy = sorted({name for r in rounds for name in r.heavy.split(",") if name != "-"})
    print(f"heavy modules loaded by the plugin: {', '.join(heavy) or 'none'}")
    mid = statistics.median(r.plugin for r in rounds)
    print(f"goal < {GOAL_MS:g} ms: {'met' if mid < GOAL_MS else 'NOT met'} (median {mid:.1f} ms)")
    print("load average while measured: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def _stats(values: list[float], spec: str = ".1f") -> str:
    ordered = sorted(values)
    return f"{ordered[0]:{spec}} / {statistics.median(ordered):{spec}} / {ordered[-1]:{spec}}"


if __name__ == "__main__":
    main()
