"""Concurrency over a real socket: racing deletes, and a mixed load on 32 connections."""

from __future__ import annotations

import http.client
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests

from conformance.emulator import EmulatorConfig, ManualClock
from conformance.emulator.server import EmulatorServer
from conformance.model import EntityRef, Task
from tests.emulator.conftest import JSON, XML, basic

THREADS = 32


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[EmulatorServer, ManualClock]]:
    clock = ManualClock()
    with EmulatorServer(EmulatorConfig(clock=clock, jobs=60)) as running:
        yield running, clock


def _logon(base: str) -> requests.Session:
    session = requests.Session()
    response = session.post(
        f"{base}/sessionMngr/?v=latest", headers={"Authorization": basic("administrator")}
    )
    assert response.status_code == 201
    session.headers["X-RestSvcSessionId"] = response.headers["X-RestSvcSessionId"]
    return session


def _job_ids(session: requests.Session, base: str) -> list[str]:
    return [ref.id for ref in EntityRef.list_from_body(session.get(f"{base}/jobs").content, XML)]


def test_racing_deletes_succeed_exactly_once(server: tuple[EmulatorServer, ManualClock]) -> None:
    running, clock = server
    running.emulator.reset()
    base = running.base_url
    sessions = [_logon(base) for _ in range(THREADS)]
    job_id = _job_ids(sessions[0], base)[0]
    barrier = threading.Barrier(THREADS)

    def delete(session: requests.Session) -> Task:
        barrier.wait()
        response = session.delete(f"{base}/jobs/{job_id}")
        assert response.status_code == 202
        return Task.from_body(response.content, XML)

    with ThreadPoolExecutor(THREADS) as pool:
        tasks = list(pool.map(delete, sessions))
    assert len({task.task_id for task in tasks}) == THREADS
    clock.advance(1)
    finished = [
        Task.from_body(s.get(t.href).content, XML) for s, t in zip(sessions, tasks, strict=True)
    ]
    assert Counter(task.state for task in finished) == {"Finished": THREADS}
    assert sum(1 for task in finished if task.result and task.result.success) == 1
    assert sessions[0].get(f"{base}/jobs/{job_id}").status_code == 404
    remaining = _job_ids(sessions[0], base)
    assert len(remaining) == 59 and len(set(remaining)) == 59


def _mixed_requests(base: str, token: str, job_ids: list[str], count: int) -> Counter[int]:
    """`count` requests of five kinds, XML and JSON alternately, over one keep-alive connection."""
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=30)
    paths = ["/jobs/{job}", "/tasks", "/jobs/{job}?action=toggleScheduleEnabled",
             "/jobs/{job}/backupSessions?format=Entity", "/"]  # fmt: skip
    statuses: Counter[int] = Counter()
    for index in range(count):
        path = url.path + paths[index % 5].format(job=job_ids[index % len(job_ids)])
        method = "POST" if index % 5 == 2 else "GET"
        headers = {"X-RestSvcSessionId": token, "Accept": (XML, JSON)[index % 2]}
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        assert response.getheader("Content-Length") == str(len(body))
        statuses[response.status] += 1
    connection.close()
    return statuses


def test_mixed_load_on_32_connections(server: tuple[EmulatorServer, ManualClock]) -> None:
    running, clock = server
    running.emulator.reset()
    base, count = running.base_url, 96
    sessions = [_logon(base) for _ in range(THREADS)]
    job_ids = _job_ids(sessions[0], base)
    tokens = [str(session.headers["X-RestSvcSessionId"]) for session in sessions]
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda token: _mixed_requests(base, token, job_ids, count), tokens))
    total = sum(results, Counter())
    assert total == {
        200: THREADS * (count - len(range(2, count, 5))),
        202: THREADS * len(range(2, count, 5)),
    }
    journal = running.emulator.journal.entries()
    assert len(journal) == THREADS * count + THREADS + 1
    assert all(entry.exchange.response.status < 500 for entry in journal)
    clock.advance(1)
    tasks = sessions[0].get(f"{base}/tasks").content
    assert (
        tasks.count(b"<State>Finished</State>") == tasks.count(b"<Task ") == len(range(2, count, 5))
    )
