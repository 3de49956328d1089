"""Emulator throughput: requests/s and p99 latency of the real server, against a hello-world ceiling.

    python benchmarks/emulator_throughput.py [--requests 1200] [--clients 1 32]

Two servers run on the same stack (uvicorn, h11, one event loop, each in its own
process, loopback only): the emulator, and a minimal ASGI app answering "Hello, world!".
The same client (http.client, one keep-alive connection per client thread, in this
process) measures `GET /tasks/{ID}` and `DELETE /jobs/{ID}` in XML and JSON at each
concurrency, and `GET /` of the hello app; the ratio emulator/hello is the share of the
stack's ceiling the emulator reaches.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
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
        server = EmulatorServer(
            EmulatorConfig(jobs=jobs, nas_jobs=0, agent_jobs=0, journal_limit=1000)
        )
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


def _call(
    connection: http.client.HTTPConnection, method: str, path: str, headers: dict[str, str]
) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    return response.status, body, time.perf_counter() - started


@dataclass
class Result:
    name: str
    clients: int
    requests: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def p99_ms(self) -> float:
        return statistics.quantiles(self.latencies, n=100)[98] * 1000


Plan = Callable[[http.client.HTTPConnection, int], list[tuple[str, str, dict[str, str], int]]]


def run(name: str, port: int, clients: int, per_client: int, plan: Plan) -> Result:
    """Each client thread prepares its requests on its own connection, then all fire at once."""
    barrier, latencies, lock = threading.Barrier(clients + 1), [], threading.Lock()

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            calls = plan(connection, index)[:per_client]
        except BaseException:
            barrier.abort()
            raise
        barrier.wait()
        mine = []
        for method, path, headers, expected in calls:
            status, _, elapsed = _call(connection, method, path, headers)
            assert status == expected, (name, method, path, status)
            mine.append(elapsed)
        connection.close()
        with lock:
            latencies.extend(mine)

    with ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(client, index) for index in range(clients)]
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            for future in futures:
                future.result()
            raise
        started = time.perf_counter()
        for future in futures:
            future.result()
        seconds = time.perf_counter() - started
    return Result(name, clients, len(latencies), seconds, latencies)


def _logon(connection: http.client.HTTPConnection) -> str:
    connection.request("POST", "/api/sessionMngr/?v=latest", headers={"Authorization": AUTH})
    response = connection.getresponse()
    response.read()
    return response.getheader("X-RestSvcSessionId") or ""


def hello_plan(per_client: int) -> Plan:
    return lambda connection, index: [("GET", "/", {}, 200)] * per_client


def task_plan(media: str, per_client: int) -> Plan:
    def plan(
        connection: http.client.HTTPConnection, index: int
    ) -> list[tuple[str, str, dict[str, str], int]]:
        token = _logon(connection)
        headers = {"X-RestSvcSessionId": token, "Accept": media}
        # Deletes take jobs from the front of the list; tasks are made on jobs from the back.
        job = _job_ids(connection, token)[-1 - index]
        _, body, _ = _call(
            connection, "POST", f"/api/jobs/{job}?action=toggleScheduleEnabled", headers
        )
        task_id = (
            body.split(b"<TaskId>")[1].split(b"<")[0].decode() if media == XML else _json_task(body)
        )
        return [("GET", f"/api/tasks/{task_id}", headers, 200)] * per_client

    return plan


def _json_task(body: bytes) -> str:
    import json

    return str(json.loads(body)["TaskId"])


_JOBS: list[str] = []
_JOBS_LOCK = threading.Lock()


def _job_ids(connection: http.client.HTTPConnection, token: str) -> list[str]:
    with _JOBS_LOCK:
        if not _JOBS:
            _, body, _ = _call(
                connection, "GET", "/api/jobs", {"X-RestSvcSessionId": token, "Accept": JSON}
            )
            import json

            _JOBS.extend(ref["UID"].rsplit(":", 1)[1] for ref in json.loads(body)["Refs"])
        return _JOBS


def delete_plan(media: str, per_client: int, offset: Callable[[], int]) -> Plan:
    def plan(
        connection: http.client.HTTPConnection, index: int
    ) -> list[tuple[str, str, dict[str, str], int]]:
        token = _logon(connection)
        headers = {"X-RestSvcSessionId": token, "Accept": media}
        start = offset() + index * per_client
        jobs = _job_ids(connection, token)[start : start + per_client]
        return [("DELETE", f"/api/jobs/{job}", headers, 202) for job in jobs]

    return plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--requests", type=int, default=1200, help="requests per run (default 1200)"
    )
    parser.add_argument(
        "--clients", type=int, nargs="+", default=[1, 32], help="concurrency levels (default 1 32)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per scenario, the best is kept (default 3)"
    )
    parser.add_argument("--serve", choices=("hello", "emulator"), help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.jobs)
        return 0
    jobs_needed = args.requests * 2 * len(args.clients) * args.repeat + 64
    with child("hello", 0) as hello_port, child("emulator", jobs_needed) as em_port:
        report(measure(args, hello_port, em_port))
    return 0


def _best(runs: int, measure_once: Callable[[], Result]) -> Result:
    return max((measure_once() for _ in range(runs)), key=lambda result: result.rate)


def _short(media: str) -> str:
    return media.split("/")[1].upper()


class _Deletes:
    """DELETE runs that each take fresh jobs from the front of the seeded list."""

    def __init__(self, port: int) -> None:
        self.port, self.used = port, 0

    def __call__(self, media: str, clients: int, per_client: int) -> Result:
        plan = delete_plan(media, per_client, lambda: self.used)
        result = run(f"DELETE /jobs/{{ID}} {_short(media)}", self.port, clients, per_client, plan)
        self.used += clients * per_client
        return result


def measure(args: argparse.Namespace, hello_port: int, em_port: int) -> list[tuple[Result, Result]]:
    """Best of `--repeat` runs per scenario; each emulator scenario against hello at its concurrency."""
    deletes, pairs = _Deletes(em_port), []
    for clients in args.clients:
        per_client = max(1, args.requests // clients)
        hello = _best(
            args.repeat,
            partial(run, "hello GET /", hello_port, clients, per_client, hello_plan(per_client)),
        )
        for media in (XML, JSON):
            tasks = partial(run, f"GET /tasks/{{ID}} {_short(media)}", em_port, clients, per_client,
                            task_plan(media, per_client))  # fmt: skip
            pairs.append((_best(args.repeat, tasks), hello))
            pairs.append((_best(args.repeat, partial(deletes, media, clients, per_client)), hello))
        pairs.append((hello, hello))
    return pairs


def report(pairs: list[tuple[Result, Result]]) -> None:
    print(
        f"{'scenario':<24}{'clients':>8}{'requests':>10}{'req/s':>10}{'p99 ms':>9}{'vs hello':>10}"
    )
    for result, hello in pairs:
        ratio = result.rate / hello.rate
        print(f"{result.name:<24}{result.clients:>8}{result.requests:>10}{result.rate:>10.0f}"
              f"{result.p99_ms:>9.2f}{ratio:>10.2f}")  # fmt: skip
    emulator = [result.rate / hello.rate for result, hello in pairs if result is not hello]
    print(
        f"emulator/hello ratio: min {min(emulator):.2f}, median {statistics.median(emulator):.2f}"
    )


if __name__ == "__main__":
    sys.exit(main())
