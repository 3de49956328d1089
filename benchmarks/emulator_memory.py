"""Emulator under abuse: RSS after logons without logout and after mass deletes, and how
long a listing of 50,000 jobs holds up another client.

    python benchmarks/emulator_memory.py [--jobs 50000] [--logons 50000] [--deletes 50000]

Driven over real HTTP (http.client, keep-alive, a few client threads in this process)
against the emulator in a child process on loopback, with its real clock; the child
reports its own RSS (VmRSS) and the sizes of its session table, task board and journal.
Steps: warm-up (a logon, the job list, 2,000 mixed requests), then `--logons` logons
never logged out, then `--deletes` job deletions in one session (polled until the last
task finishes). Goal (issue 9): RSS within 50 MB of warm-up after each step.

The stall: while one client reads `GET /jobs` over all jobs (XML references), another
sends `GET /api/` in a loop; its worst latency is printed against its median when the
server is otherwise idle (the baseline, same run).

`--code DIR` runs the child from another checkout (e.g. /work/main, to compare); the
child then writes no bytecode there.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import re
import select
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

AUTH = "Basic " + base64.b64encode(b"administrator:Veeam123!").decode()
TOKEN = "X-RestSvcSessionId"
_JOB_UID = re.compile(rb'UID="urn:veeam:Job:([0-9a-f-]{36})"')
_TASK_ID = re.compile(rb"<TaskId>(task-\d+)</TaskId>")

CHILD = r"""
import json, sys
from conformance.emulator import EmulatorConfig
from conformance.emulator.server import EmulatorServer

def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

def size(thing):
    try:
        return len(thing)
    except TypeError:
        return len(getattr(thing, "_by_id", getattr(thing, "_tasks", ())))

server = EmulatorServer(EmulatorConfig(jobs=int(sys.argv[1]), nas_jobs=0, agent_jobs=0))
server.start()
print("PORT", server.port, flush=True)
for line in sys.stdin:
    if line.strip() != "stats":
        break
    state, journal = server.emulator.state, server.emulator.journal
    print(json.dumps({"rss_mb": round(rss_mb(), 1), "sessions": size(state.sessions),
                      "tasks": size(state.tasks), "journal": len(journal),
                      "journal_mb": round(getattr(journal, "bytes", 0) / 2**20, 1)}), flush=True)
server.stop()
"""


class Child:
    """The emulator in its own process; `stats()` asks it for its RSS and table sizes."""

    def __init__(self, jobs: int, code: str | None) -> None:
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        self.process = subprocess.Popen([sys.executable, "-c", CHILD, str(jobs)], cwd=code,
                                        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)  # fmt: skip
        assert self.process.stdout is not None
        assert self.process.stdin is not None
        self._in, self._out = self.process.stdin, self.process.stdout
        self.port = int(self._out.readline().split()[1])

    def stats(self) -> dict[str, Any]:
        self._in.write("stats\n")
        self._in.flush()
        return dict(json.loads(self._out.readline()))

    def stop(self) -> None:
        self._in.write("quit\n")
        self._in.close()
        self.process.wait(timeout=60)


class Caller:
    """One keep-alive connection; `send` returns status and body."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def send(
        self, method: str, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes, str]:
        self.connection.request(method, "/api" + path, headers=headers or {})
        response = self.connection.getresponse()
        return response.status, response.read(), response.getheader(TOKEN) or ""

    def logon(self) -> str:
        status, _, token = self.send("POST", "/sessionMngr/?v=latest", {"Authorization": AUTH})
        assert status == 201, status
        return token


def _in_threads(count: int, clients: int, port: int, work: Callable[[Caller, int], None]) -> float:
    """Run `work(caller, i)` for i in range(count) over `clients` connections; seconds taken."""

    def share(offset: int) -> None:
        caller = Caller(port)
        for index in range(offset, count, clients):
            work(caller, index)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(share, range(clients)))
    return time.perf_counter() - started


READER = r"""
import http.client, sys, time
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=300)
started = time.perf_counter()
connection.request("GET", "/api/jobs", headers={"X-RestSvcSessionId": sys.argv[2]})
body = connection.getresponse().read()
print(time.perf_counter() - started, flush=True)
sys.stdout.buffer.write(body)
"""


def _stall(port: int, token: str) -> tuple[float, float, float, list[bytes]]:
    """(listing seconds, other client's worst latency, its idle median, job IDs).

    The listing is read by another process, so reading 30 MB does not slow the
    measuring client down (they would share this process's GIL).
    """
    other = Caller(port)
    idle = []
    for _ in range(200):
        started = time.perf_counter()
        other.send("GET", "/")
        idle.append(time.perf_counter() - started)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(port), token],
                              stdout=subprocess.PIPE)  # fmt: skip
    assert reader.stdout is not None
    busy = []
    # Until the reader has its answer (its first line), time the other client.
    while not select.select([reader.stdout], [], [], 0)[0]:
        started = time.perf_counter()
        other.send("GET", "/")
        busy.append(time.perf_counter() - started)
    seconds, _, body = reader.stdout.read().partition(b"\n")
    reader.wait()
    return float(seconds), max(busy, default=0.0), statistics.median(idle), _JOB_UID.findall(body)


def _warm_up(port: int, token: str) -> None:
    caller = Caller(port)
    for index in range(2000):
        path = ("/", "/tasks", "/logonSessions", "/nas/jobs")[index % 4]
        caller.send("GET", path, {TOKEN: token})


def _delete_all(port: int, clients: int, jobs: list[bytes], count: int) -> float:
    token = Caller(port).logon()
    headers = {TOKEN: token}
    last: list[str] = []

    def delete(caller: Caller, index: int) -> None:
        status, body, _ = caller.send("DELETE", f"/jobs/{jobs[index].decode()}", headers)
        assert status == 202, status
        last[:] = _TASK_ID.findall(body)[:1] or last

    seconds = _in_threads(min(count, len(jobs)), clients, port, delete)
    caller = Caller(port)
    for _ in range(600):  # until the last task has finished (tasks take 0.3 s)
        status, body, _ = caller.send("GET", f"/tasks/{last[0]}", headers)
        if status != 200 or b"<State>Finished</State>" in body:
            break
        time.sleep(0.1)
    return seconds


def _line(step: str, stats: dict[str, Any], warm: float, extra: str = "") -> None:
    delta = stats["rss_mb"] - warm
    print(f"{step:<28} RSS {stats['rss_mb']:7.1f} MB  ({delta:+7.1f} vs warm-up)  sessions "
          f"{stats['sessions']:>6}  tasks {stats['tasks']:>6}  journal {stats['journal']:>6} "
          f"entries {stats['journal_mb']:5.1f} MB  {extra}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--jobs", type=int, default=50_000)
    parser.add_argument("--logons", type=int, default=50_000)
    parser.add_argument("--deletes", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--code", help="checkout to run the emulator from (default: this one)")
    args = parser.parse_args(argv)
    child = Child(args.jobs, args.code)
    try:
        token = Caller(child.port).logon()
        listing, worst, median, jobs = _stall(child.port, token)
        print(f"GET /jobs over {len(jobs)} jobs took {listing:.2f} s; meanwhile another client's "
              f"worst GET /api/ took {worst * 1000:.0f} ms (idle median {median * 1000:.1f} ms, "
              f"x{worst / median:.0f})")  # fmt: skip
        _warm_up(child.port, token)
        warm = child.stats()
        _line("warm-up", warm, warm["rss_mb"])
        seconds = _in_threads(
            args.logons, args.clients, child.port, lambda c, i: c.logon() and None
        )
        _line(
            f"{args.logons} logons, no logout", child.stats(), warm["rss_mb"], f"({seconds:.0f} s)"
        )
        seconds = _delete_all(child.port, args.clients, jobs, args.deletes)
        _line(
            f"{min(args.deletes, len(jobs))} deletes",
            child.stats(),
            warm["rss_mb"],
            f"({seconds:.0f} s)",
        )
    finally:
        child.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
