"""Plugin import cost: what the `pytest11` entry point adds to every pytest session.

    python benchmarks/plugin_import.py [--rounds 5]

Each round is a fresh interpreter that imports pytest (as any pytest session has), then
times importing `conformance.plugin` and the plugins it names in `pytest_plugins`, which
is all pytest loads until an `em_*` fixture or `--em-run` is used. The baseline in the
same process is importing pytest itself. Goal: under 20 ms, with none of the heavy
modules loaded (tests/plugin/test_import_cost.py asserts the latter).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

GOAL_MS = 20.0
HEAVY = ("lxml", "jsonschema", "schemathesis", "hypothesis", "yaml", "requests", "responses",
         "uvicorn")  # fmt: skip
# This checkout's package, not whichever one is installed.
SOURCE = str(Path(__file__).resolve().parents[1])

PROBE = f"""
import importlib, time
start = time.perf_counter()
import pytest
middle = time.perf_counter()
import conformance.plugin
for name in conformance.plugin.pytest_plugins:
    importlib.import_module(name)
end = time.perf_counter()
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
print(middle - start, end - middle, ",".join(heavy) or "-")
"""


def _round() -> tuple[float, float, str]:
    env = {**os.environ, "PYTHONPATH": SOURCE}
    out = subprocess.run(
        [sys.executable, "-c", "import sys\n" + PROBE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]) * 1000, float(out[1]) * 1000, out[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rounds = [_round() for _ in range(args.rounds)]
    plugin = sorted(r[1] for r in rounds)
    baseline = sorted(r[0] for r in rounds)
    ratios = sorted(r[1] / r[0] for r in rounds)
    print(f"import pytest (baseline): {_stats(baseline)} ms")
    print(f"import the plugin:        {_stats(plugin)} ms")
    print(f"plugin / pytest ratio:    {_stats(ratios, '.3f')}")
    heavy = sorted({name for r in rounds for name in r[2].split(",") if name != "-"})
    print(f"heavy modules loaded by the plugin: {', '.join(heavy) or 'none'}")
    mid = statistics.median(plugin)
    print(f"goal < {GOAL_MS:g} ms: {'met' if mid < GOAL_MS else 'NOT met'} (median {mid:.1f} ms)")
    print("load average while measured: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def _stats(values: list[float], spec: str = ".1f") -> str:
    return f"{values[0]:{spec}} / {statistics.median(values):{spec}} / {values[-1]:{spec}}"


if __name__ == "__main__":
    main()
