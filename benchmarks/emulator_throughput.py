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
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

XML, JSON = "application/xml", "application/json"
# The checkout this script is in: its servers run its `conformance`, not an installed one.
ROOT = Path(__file__).resolve().parent.parent
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
    print(
        f"PORT {server.port} {Path(sys.modules['conformance'].__file__ or '').parent}", flush=True
    )
    sys.stdin.read()
    server.stop()


@contextmanager
def child(kind: str, jobs: int) -> Iterator[tuple[int, int]]:
    """A server process: its port and its process ID."""
    command = [sys.executable, __file__, "--serve", kind, "--jobs", str(jobs)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        _, port, package = process.stdout.readline().split()  # type: ignore[union-attr]
        print(f"{kind}: pid {process.pid}, port {port}, {package}", flush=True)
        yield int(port), process.pid
    finally:
        process.stdin.close()  # type: ignore[union-attr]
        process.wait(timeout=30)
        process.stdout.close()  # type: ignore[union-attr]


@dataclass(frozen=True)
class Target:
    """One scenario's request: every connection sends it over and over."""

    name: str
    port: int
    pid: int
    path: str
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Run:
    """One run of one scenario: requests/s, and the server's CPU seconds per request."""

    rate: float
    cpu: float


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- drivers: each runs in its own process and returns requests/s and requests ------------


def wrk_rate(target: Target, clients: int, seconds: float) -> tuple[float, int]:
    command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "10s"]
    for name, value in target.headers:
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{target.port}{target.path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"{target.name}: wrk saw failures:\n{output}")
    rate = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    done = re.search(r"([0-9]+) requests in", output)
    if rate is None or done is None:
        raise RuntimeError(f"{target.name}: no rate in wrk's output:\n{output}")
    return float(rate.group(1)), int(done.group(1))


def python_rate(target: Target, clients: int, seconds: float) -> tuple[float, int]:
    spec = json.dumps([target.port, target.path, list(target.headers), clients, seconds])
    command = [sys.executable, __file__, "--drive", spec]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate, done = output.split()
    return float(rate), int(done)


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


async def _drive(port: int, path: str, headers: list[list[str]], clients: int, seconds: float) -> tuple[float, int]:  # fmt: skip
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", *(f"{n}: {v}" for n, v in headers)]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    started = time.perf_counter()
    counts = await asyncio.gather(
        *(_connection(request, port, started + seconds) for _ in range(clients))
    )
    return sum(counts) / (time.perf_counter() - started), sum(counts)


def drive(spec: str) -> None:
    """Child process of the python driver: print the rate of one run."""
    port, path, headers, clients, seconds = json.loads(spec)
    rate, done = asyncio.run(_drive(port, path, headers, clients, seconds))
    print(f"{rate:.1f} {done}")


Driver = Callable[[Target, int, float], tuple[float, int]]


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


def emulator_targets(port: int, pid: int) -> list[Target]:
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
            name = f"{label} {media.split('/')[1].upper()}"
            targets.append(Target(name, port, pid, path, headers))
    return targets


def body_size(target: Target) -> int:
    return len(_request(target.port, "GET", target.path, dict(target.headers)).body)  # type: ignore[attr-defined]


# --- measuring and reporting ------------------------------------------------------------


def run(driver: Driver, target: Target, clients: int, seconds: float) -> Run:
    cpu = cpu_seconds(target.pid)
    rate, done = driver(target, clients, seconds)
    return Run(rate, (cpu_seconds(target.pid) - cpu) / max(done, 1))


Results = dict[tuple[str, int], list[tuple[Run, Run]]]


def measure(args: argparse.Namespace, driver: Driver, hello: Target, targets: list[Target]) -> Results:  # fmt: skip
    """(scenario, clients) -> [(run, hello run)] per round; hello is measured before and
    after each scenario and the two are averaged, so the load of the moment cancels out."""
    results: Results = {}
    for round_ in range(args.rounds):
        for clients in args.clients:
            hellos = [run(driver, hello, clients, args.seconds)]
            line = []
            for target in targets:
                mine = run(driver, target, clients, args.seconds)
                hellos.append(run(driver, hello, clients, args.seconds))
                ceiling = Run(
                    *(
                        statistics.mean(v)
                        for v in zip(*(astuple(h) for h in hellos[-2:]), strict=True)
                    )
                )
                results.setdefault((target.name, clients), []).append((mine, ceiling))
                line.append(f"{target.name} {mine.rate:.0f}")
            for one in hellos:
                results.setdefault(("hello GET /", clients), []).append((one, one))
            print(f"  round {round_ + 1} c={clients}: hello "
                  + "/".join(f"{h.rate:.0f}" for h in hellos) + " req/s; " + ", ".join(line), flush=True)  # fmt: skip
    return results


def report(results: Results, sizes: dict[str, int]) -> None:
    print("\nratio = emulator / hello (mean of the hello runs just before and after), per round;"
          "\ncpu ratio = hello's server CPU per request / the emulator's (load-independent)")  # fmt: skip
    print(f"{'scenario':<22}{'conns':>6}{'bytes':>6}{'req/s':>7}{'ratio min':>10}{'median':>7}"
          f"{'max':>6}{'cpu µs/req':>11}{'cpu ratio min':>14}{'median':>7}{'max':>6}")  # fmt: skip
    medians = []
    for (name, clients), runs in results.items():
        ratios = [mine.rate / hello.rate for mine, hello in runs]
        cpus = [hello.cpu / mine.cpu if mine.cpu else float("inf") for mine, hello in runs]
        if not name.startswith("hello"):
            medians.append((statistics.median(ratios), statistics.median(cpus)))
        rate = statistics.median(mine.rate for mine, _ in runs)
        micros = statistics.median(mine.cpu for mine, _ in runs) * 1e6
        print(f"{name:<22}{clients:>6}{sizes.get(name, 13):>6}{rate:>7.0f}{min(ratios):>10.2f}"
              f"{statistics.median(ratios):>7.2f}{max(ratios):>6.2f}{micros:>11.0f}"
              f"{min(cpus):>14.2f}{statistics.median(cpus):>7.2f}{max(cpus):>6.2f}")  # fmt: skip
    print(
        f"lowest median ratio: {min(m[0] for m in medians):.2f}, lowest median cpu ratio: "
        f"{min(m[1] for m in medians):.2f} (goal >= 0.5 on every scenario)"
    )


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
    with (
        child("hello", 0) as (hello_port, hello_pid),
        child("emulator", args.jobs) as (em_port, em_pid),
    ):
        targets = emulator_targets(em_port, em_pid)
        sizes = {target.name: body_size(target) for target in targets}
        results = measure(args, driver, Target("hello GET /", hello_port, hello_pid, "/"), targets)
    report(results, sizes)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
