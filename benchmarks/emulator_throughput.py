"""Emulator throughput: requests/s of the real server against a hello-world ceiling.

    python benchmarks/emulator_throughput.py [--rounds 5] [--seconds 2] [--clients 1 32]
                                             [--jobs 6] [--driver auto|wrk|python]

Two servers run on the same stack (uvicorn, h11, one event loop, loopback only), each in
its own process: the emulator (its default configuration, journal included, with
`--jobs` jobs) and a minimal ASGI app answering "Hello, world!". Load comes from a
third process: `wrk` when it is on PATH (Debian package `wrk`), else an asyncio
keep-alive client started as a subprocess of this script (`--driver` forces one); the
output names the driver. Each connection sends its next request when the answer to the
previous one is in (no pipelining).

Scenarios, at each concurrency: `GET /tasks/{ID}` and `GET /jobs`, in XML and JSON.
Every round measures hello before and after the four scenarios at one concurrency;
a scenario's ratio is its rate over the mean of those two hello rates, the share of
the stack's ceiling the emulator reaches. The table shows min / median / max of the
ratio over the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

XML, JSON = "application/xml", "application/json"
AUTH = "Basic " + base64.b64encode(b"administrator:Veeam123!").decode()


async def hello_app(
    scope: dict[str, Any], receive: Callable[[], Any], send: Callable[[Any], Any]
) -> None:
    if scope["type"] != "http":
        return
    body = b"Hello, world!"
    headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def serve(kind: str, jobs: int) -> None:
    """Child process: start one server, print its port, run until stdin closes."""
    from conformance.emulator import EmulatorConfig
    from conformance.emulator.server import EmulatorServer, UvicornThread

    server: EmulatorServer | UvicornThread
    if kind == "hello":
        server = UvicornThread(hello_app)
    else:
        server = EmulatorServer(EmulatorConfig(jobs=jobs))
    server.start()
    print(f"PORT {server.port}", flush=True)
    sys.stdin.read()
    server.stop()


@contextmanager
def child(kind: str, jobs: int) -> Iterator[int]:
    command = [sys.executable, __file__, "--serve", kind, "--jobs", str(jobs)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        yield int(process.stdout.readline().split()[1])  # type: ignore[union-attr]
    finally:
        process.stdin.close()  # type: ignore[union-attr]
        process.wait(timeout=30)
        process.stdout.close()  # type: ignore[union-attr]


@dataclass(frozen=True)
class Target:
    """One scenario's request: every connection sends it over and over."""

    name: str
    port: int
    path: str
    headers: tuple[tuple[str, str], ...] = ()


# --- drivers: each runs in its own process and returns requests/s -------------------------


def wrk_rate(target: Target, clients: int, seconds: float) -> float:
    command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "10s"]
    for name, value in target.headers:
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{target.port}{target.path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"{target.name}: wrk saw failures:\n{output}")
    found = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    if found is None:
        raise RuntimeError(f"{target.name}: no rate in wrk's output:\n{output}")
    return float(found.group(1))


def python_rate(target: Target, clients: int, seconds: float) -> float:
    spec = json.dumps([target.port, target.path, list(target.headers), clients, seconds])
    command = [sys.executable, __file__, "--drive", spec]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return float(output.split()[-1])


async def _connection(request: bytes, port: int, until: float) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    done = 0
    try:
        while time.perf_counter() < until:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(head.split(b"\r\n")[0].decode())
            length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
            await reader.readexactly(int(length.group(1)) if length else 0)
            done += 1
    finally:
        writer.close()
    return done


async def _drive(port: int, path: str, headers: list[list[str]], clients: int, seconds: float) -> float:  # fmt: skip
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", *(f"{n}: {v}" for n, v in headers)]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    started = time.perf_counter()
    counts = await asyncio.gather(
        *(_connection(request, port, started + seconds) for _ in range(clients))
    )
    return sum(counts) / (time.perf_counter() - started)


def drive(spec: str) -> None:
    """Child process of the python driver: print the rate of one run."""
    port, path, headers, clients, seconds = json.loads(spec)
    print(f"{asyncio.run(_drive(port, path, headers, clients, seconds)):.1f}")


Driver = Callable[[Target, int, float], float]


def choose_driver(name: str) -> tuple[str, Driver]:
    if name == "wrk" or (name == "auto" and shutil.which("wrk")):
        return "wrk (-t1, one process)", wrk_rate
    return "python asyncio keep-alive client (one process)", python_rate


# --- the emulator's scenarios -----------------------------------------------------------


def _request(
    port: int, method: str, path: str, headers: dict[str, str]
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def emulator_targets(port: int) -> list[Target]:
    """Log on, make one task (toggling a job's schedule), and name the four scenarios."""
    logon = _request(port, "POST", "/api/sessionMngr/?v=latest", {"Authorization": AUTH})
    token = logon.getheader("X-RestSvcSessionId") or ""
    listing = _request(port, "GET", "/api/jobs", {"X-RestSvcSessionId": token, "Accept": JSON})
    job = json.loads(listing.body)["Refs"][-1]["UID"].rsplit(":", 1)[1]  # type: ignore[attr-defined]
    action = f"/api/jobs/{job}?action=toggleScheduleEnabled"
    made = _request(port, "POST", action, {"X-RestSvcSessionId": token, "Accept": JSON})
    task = json.loads(made.body)["TaskId"]  # type: ignore[attr-defined]
    time.sleep(0.5)  # the task finishes; its body is the same from now on
    targets = []
    for path, label in ((f"/api/tasks/{task}", "GET /tasks/{ID}"), ("/api/jobs", "GET /jobs")):
        for media in (XML, JSON):
            headers = (("X-RestSvcSessionId", token), ("Accept", media))
            targets.append(Target(f"{label} {media.split('/')[1].upper()}", port, path, headers))
    return targets


def body_size(target: Target) -> int:
    return len(_request(target.port, "GET", target.path, dict(target.headers)).body)  # type: ignore[attr-defined]


# --- measuring and reporting ------------------------------------------------------------


def measure(args: argparse.Namespace, driver: Driver, hello: Target,
            targets: list[Target]) -> dict[tuple[str, int], list[tuple[float, float]]]:  # fmt: skip
    """(scenario, clients) -> [(rate, hello rate)] per round."""
    results: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for round_ in range(args.rounds):
        for clients in args.clients:
            before = driver(hello, clients, args.seconds)
            rates = [(t.name, driver(t, clients, args.seconds)) for t in targets]
            after = driver(hello, clients, args.seconds)
            ceiling = (before + after) / 2
            results.setdefault(("hello GET /", clients), []).append((ceiling, ceiling))
            for name, rate in rates:
                results.setdefault((name, clients), []).append((rate, ceiling))
            print(f"  round {round_ + 1} c={clients}: hello {before:.0f}/{after:.0f} req/s, "
                  + ", ".join(f"{n} {r:.0f}" for n, r in rates), flush=True)  # fmt: skip
    return results


def report(results: dict[tuple[str, int], list[tuple[float, float]]], sizes: dict[str, int]) -> None:  # fmt: skip
    print(f"\n{'scenario':<22}{'clients':>8}{'bytes':>7}{'req/s (median)':>16}"
          f"{'ratio min':>11}{'median':>8}{'max':>7}")  # fmt: skip
    medians = []
    for (name, clients), runs in results.items():
        ratios = [rate / ceiling for rate, ceiling in runs]
        rate = statistics.median(rate for rate, _ in runs)
        if not name.startswith("hello"):
            medians.append(statistics.median(ratios))
        print(f"{name:<22}{clients:>8}{sizes.get(name, 13):>7}{rate:>16.0f}"
              f"{min(ratios):>11.2f}{statistics.median(ratios):>8.2f}{max(ratios):>7.2f}")  # fmt: skip
    print(f"lowest median ratio: {min(medians):.2f} (goal >= 0.5 on every scenario)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--seconds", type=int, default=2, help="per run (default 2)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 32],
                        help="concurrent connections (default 1 32)")  # fmt: skip
    parser.add_argument("--jobs", type=int, default=6, help="jobs under /jobs (default 6)")
    parser.add_argument("--driver", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--serve", choices=("hello", "emulator"), help=argparse.SUPPRESS)
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.jobs)
        return 0
    if args.drive:
        drive(args.drive)
        return 0
    label, driver = choose_driver(args.driver)
    print(f"driver: {label}; {args.rounds} rounds of {args.seconds:g} s runs; "
          f"{args.jobs} jobs; load average {os.getloadavg()[0]:.2f}", flush=True)  # fmt: skip
    with child("hello", 0) as hello_port, child("emulator", args.jobs) as em_port:
        targets = emulator_targets(em_port)
        sizes = {target.name: body_size(target) for target in targets}
        results = measure(args, driver, Target("hello GET /", hello_port, "/"), targets)
    report(results, sizes)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
