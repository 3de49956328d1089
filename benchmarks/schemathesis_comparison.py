"""Benchmark: the suite's property-based flow against `st run` over the same spec.

Both fuzz the operations of `specs/` (logon and logout excluded) against one emulator
server with the same example budget per operation, positive data only, in one process
run: the engine in-process, `st run` as the command its users type. Prints wall time,
requests the emulator answered (from its journal) and requests per second, and the
ratio of the two.

    python benchmarks/schemathesis_comparison.py [--max-examples N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from conformance.emulator import EmulatorConfig
from conformance.emulator.server import EmulatorServer
from conformance.properties.engine import PropertySettings, run_properties
from conformance.spec import OPENAPI_FILE, specs_dir

CREDENTIALS = ("administrator", "Veeam123!")
EXCLUDED = ("CreateLogonSession", "DeleteLogonSession")


def logon(base_url: str) -> str:
    response = requests.post(f"{base_url}/sessionMngr/?v=latest", auth=CREDENTIALS, timeout=10)
    return response.headers["X-RestSvcSessionId"]


def measure(server: EmulatorServer, action: object) -> tuple[float, int]:
    server.emulator.reset()
    token = logon(server.base_url)
    started, before = time.perf_counter(), len(server.emulator.journal)
    action(token)  # type: ignore[operator]
    return time.perf_counter() - started, len(server.emulator.journal) - before


def ours(server: EmulatorServer, examples: int) -> tuple[float, int]:
    def play(token: str) -> None:
        settings = PropertySettings(
            server.base_url,
            token,
            max_examples=examples,
            formats=("xml",),
            unsafe_methods=True,
            project_checks=False,
        )
        run_properties(settings)

    return measure(server, play)


def st_run(server: EmulatorServer, examples: int) -> tuple[float, int]:
    st = Path(sys.executable).with_name("st")
    spec = specs_dir() / OPENAPI_FILE

    def play(token: str) -> None:
        command = [
            str(st),
            "run",
            str(spec),
            "--url",
            server.base_url,
            "-H",
            f"X-RestSvcSessionId: {token}",
            "--max-examples",
            str(examples),
            "--phases",
            "examples,fuzzing",
            "--mode",
            "positive",
            "--generation-deterministic",
            "--no-color",
            "--workers",
            "1",
        ]
        command += [arg for operation in EXCLUDED for arg in ("--exclude-operation-id", operation)]
        # In a scratch folder: `st run` leaves its .schemathesis/ state in the working directory.
        with tempfile.TemporaryDirectory() as scratch:
            subprocess.run(command, capture_output=True, check=False, timeout=900, cwd=scratch)

    return measure(server, play)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=20)
    examples = parser.parse_args().max_examples
    with EmulatorServer(EmulatorConfig(task_duration=0.05)) as server:
        rows = {
            "em-conformance property flow": ours(server, examples),
            "st run": st_run(server, examples),
        }
    print(f"max examples per operation: {examples} (XML, positive data)")
    for name, (seconds, count) in rows.items():
        print(f"{name:<30} {seconds:7.2f} s  {count:6d} requests  {count / seconds:8.1f} req/s")
    (ours_s, ours_n), (st_s, st_n) = rows.values()
    print(f"wall-time ratio em-conformance / st run: {ours_s / st_s:.2f}")
    print(f"requests ratio  em-conformance / st run: {ours_n / max(st_n, 1):.2f}")


if __name__ == "__main__":
    main()
