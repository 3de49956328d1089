"""Fleet wall time, against one target's run on the same machine.

    python benchmarks/fleet.py [--servers 8] [--parallel 4] [--serial] [--in-process]

Starts `--servers` emulators, each in its own process (`em-conformance emulate`, as real
Enterprise Managers are other machines), times one read-only run against one of them,
then the whole fleet (`--parallel` at a time, the run's default), and prints both wall
times and their ratio; the goal is a fleet of 8 within 2 single runs on 2 cores.
`--in-process` serves the emulators from this process instead (threads sharing one GIL
with the runs: the pessimistic case).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from conformance.emulator import EmulatorConfig
from conformance.emulator.server import EmulatorServer
from conformance.suite import run_suite
from conformance.suite.fleet import fleet_members, run_fleet

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Veeam123!"  # the emulator's documented administrator password


def timed(work: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


@contextmanager
def subprocess_servers(count: int) -> Iterator[list[str]]:
    """`count` emulators, each `em-conformance emulate --port 0` in its own process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "conformance.cli", "emulate", "--port", "0"]
    processes = [
        subprocess.Popen([*command, "--seed", str(n)], stdout=subprocess.PIPE, text=True, env=env)
        for n in range(count)
    ]
    try:
        urls = []
        for process in processes:
            assert process.stdout is not None
            line = process.stdout.readline()
            urls.append(re.search(r"(https?://\S+)", line).group(1))  # type: ignore[union-attr]
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


@contextmanager
def in_process_servers(count: int) -> Iterator[list[str]]:
    servers = [EmulatorServer(EmulatorConfig(seed=n)).start() for n in range(count)]
    try:
        yield [server.base_url for server in servers]
    finally:
        for server in servers:
            server.stop()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--servers", type=int, default=8)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--max-examples", type=int, default=20)
    parser.add_argument("--in-process", action="store_true")
    parser.add_argument("--serial", action="store_true", help="also time one at a time")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    servers = in_process_servers if args.in_process else subprocess_servers
    env = {"EM_PASSWORD": PASSWORD}
    options = {"username": "administrator", "max_examples": args.max_examples, "seed": 1}
    with servers(args.servers) as urls:
        members = fleet_members([{"url": url} for url in urls], options, env)
        single, one = timed(lambda: run_suite(members[0].settings))
        print(f"one target: {single:.2f} s ({len(one.exchanges)} requests, exit {one.exit_code})")
        fleet_time, fleet = timed(lambda: run_fleet(members, args.parallel))
        requests = sum(len(run.result.exchanges) for run in fleet.runs if run.result)
        serial = timed(lambda: run_fleet(members, 1))[0] if args.serial else None
    where = "in-process" if args.in_process else "one process each"
    ratio = fleet_time / single
    print(
        f"fleet: {args.servers} servers ({where}), {args.parallel} at a time:"
        f" {fleet_time:.2f} s, {requests} requests, exit {fleet.exit_code}"
    )
    print(f"fleet / one target: {ratio:.2f}x on {os.cpu_count()} cores"
          f" (goal: under 2x: {'met' if ratio < 2 else 'NOT met'})")  # fmt: skip
    if serial is not None:
        print(f"serial fleet: {serial:.2f} s = {serial / single:.2f}x one target;"
              f" the pool saves {serial / fleet_time:.2f}x")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
