"""A bounded emulator: no client can grow its sessions, tasks or journal without end,
and no slow or silent socket can hold the server (issue 9, part 5)."""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest

from conformance.emulator import EmulatorConfig, EnterpriseManagerEmulator, ManualClock
from conformance.emulator.chunked import CHUNK, dump_json_chunked, dump_xml_chunked
from conformance.emulator.journal import DROPPED_TAG, Journal
from conformance.emulator.render import job_entities, job_refs
from conformance.emulator.server import EmulatorServer
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.model import EntityRef
from conformance.representations import dump_json, dump_xml, element_to_json
from tests.emulator.conftest import MOCK_BASE, XML, Client, CoreDriver, basic

IDLE = 15 * 60.0


def _core(**options: object) -> CoreDriver:
    clock = ManualClock()
    config = EmulatorConfig(clock=clock, **options)  # type: ignore[arg-type]
    return CoreDriver(MOCK_BASE, clock, EnterpriseManagerEmulator(config))


def test_logons_without_logout_stay_at_the_cap_and_the_idlest_goes_first() -> None:
    core = _core(max_sessions=50)
    busy = Client(core)
    for _ in range(30):
        Client(core)
    core.clock.advance(1)
    assert busy.get("/tasks").status == 200  # now the most recently used
    for _ in range(500):
        Client(core)
    assert len(core.emulator.state.sessions) == 50
    assert busy.get("/tasks").status == 401  # evicted once 50 newer logons came
    newest = Client(core)
    assert newest.get("/tasks").status == 200


def test_the_busy_session_survives_eviction_of_idle_ones() -> None:
    core = _core(max_sessions=3)
    busy, idle = Client(core), Client(core, strict=False)
    for _ in range(5):
        core.clock.advance(1)
        assert busy.get("/tasks").status == 200
        Client(core)
    assert idle.get("/tasks").status == 401
    assert busy.get("/tasks").status == 200


def test_expired_sessions_and_their_tasks_are_purged() -> None:
    core = _core()
    clients = [Client(core) for _ in range(20)]
    job = EntityRef.list_from_body(clients[0].get("/jobs").body, XML)[0]
    for client in clients:
        assert client.post(f"/jobs/{job.id}?action=toggleScheduleEnabled").status == 202
    state = core.emulator.state
    assert (len(state.sessions), len(state.tasks)) == (20, 20)
    core.clock.advance(IDLE + 1)
    assert core.send("GET", "/").status == 200  # any request sweeps
    assert (len(state.sessions), len(state.tasks)) == (0, 0)


def test_idle_timeout_slides_with_every_request() -> None:
    core = _core()
    client = Client(core, strict=False)
    for _ in range(3):
        core.clock.advance(IDLE - 1)
        assert client.get("/tasks").status == 200
    core.clock.advance(IDLE + 1)
    assert client.get("/tasks").status == 401


def test_finished_tasks_do_not_pile_up_in_a_session() -> None:
    core = _core(jobs=40, max_tasks_per_session=10)
    client = Client(core)
    jobs = EntityRef.list_from_body(client.get("/jobs").body, XML)
    hrefs = []
    for job in jobs:
        hrefs.append(client.delete(f"/jobs/{job.id}").header("Location") or "")
        core.clock.advance(1)  # each deletion finishes before the next
    assert len(core.emulator.state.tasks) == 10
    assert client.get("/jobs").body.count(b"<Ref ") == 0
    listed = client.get("/tasks").body
    assert listed.count(b"<Task ") == 10 and b"<TaskId>task-40</TaskId>" in listed
    assert b"<TaskId>task-30</TaskId>" not in listed


def _exchange(status: int, request_body: bytes, response_body: bytes = b"") -> Exchange:
    request = RecordedRequest.build("POST", "https://em.test/api/sessionMngr/?v=latest",
                                    {"Content-Type": XML}, request_body)  # fmt: skip
    return Exchange(request, RecordedResponse.build(status, {}, response_body))


def test_journal_cuts_long_bodies_and_marks_them() -> None:
    journal = Journal(body_limit=1024)
    journal.record(_exchange(201, b"x" * 5000, b"y" * 100), "session", "administrator")
    kept = journal.entries()[0].exchange
    assert (len(kept.request.body), kept.response.body) == (1024, b"y" * 100)
    assert kept.tags == ("journal:request-body-truncated:5000",)


def test_journal_stays_within_its_byte_budget() -> None:
    journal = Journal(body_limit=10_000, byte_limit=100_000)
    for _ in range(1000):
        journal.record(_exchange(201, b"x" * 9000), "session", "administrator")
    assert journal.bytes <= 100_000 and 5 <= len(journal) <= 11


def test_unauthenticated_requests_leave_no_bodies_in_the_journal() -> None:
    core = _core()
    big = b"<x>" + b" " * 1_000_000 + b"</x>"
    for password in ("wrong", "also wrong"):
        refused = core.send("POST", "/sessionMngr/?v=latest",
                            {"Authorization": basic("administrator", password)}, big)  # fmt: skip
        assert refused.status == 401
    assert core.send("GET", "/jobs", body=big).status == 401
    entries = core.emulator.journal.entries()
    assert len(entries) == 3
    for entry in entries:
        exchange = entry.exchange
        assert (exchange.request.body, exchange.response.body, exchange.tags) == (
            b"", b"", (DROPPED_TAG,))  # fmt: skip
    assert core.emulator.journal.bytes < 10_000


def test_a_large_listing_is_rendered_without_holding_the_lock() -> None:
    core = _core(jobs=1000)
    token = Client(core).token
    listing = RecordedRequest.build("GET", f"{MOCK_BASE}/jobs?format=Entity",
                                    {"X-RestSvcSessionId": token})  # fmt: skip
    pending = core.emulator.begin(listing)
    assert pending.deferred
    # Another client is served from another thread while the listing is still unrendered.
    answered: list[int] = []
    other = threading.Thread(target=lambda: answered.append(core.send("GET", "/").status))
    other.start()
    other.join(timeout=30)
    assert answered == [200]
    response = pending.finish()
    assert response.status == 200 and response.body.count(b"<Job ") == 1000
    assert core.emulator.journal.entries()[-1].exchange.response.status == 200


def test_a_small_listing_is_answered_at_once() -> None:
    core = _core()
    token = Client(core).token
    request = RecordedRequest.build("GET", f"{MOCK_BASE}/jobs", {"X-RestSvcSessionId": token})
    assert not core.emulator.begin(request).deferred


def _closed_by_server(sock: socket.socket, trickle: bytes, interval: float, bound: float) -> bool:
    """Send `trickle` a byte at a time until the server closes the socket (True) or
    `bound` seconds pass (False)."""
    sock.settimeout(interval)
    deadline = time.monotonic() + bound
    position = 0
    while time.monotonic() < deadline:
        try:
            if position < len(trickle):
                sock.sendall(trickle[position : position + 1])
                position += 1
            if sock.recv(1024) == b"":
                return True
        except TimeoutError:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


@pytest.fixture(scope="module")
def strict_server() -> object:
    with EmulatorServer(EmulatorConfig(clock=ManualClock()), request_timeout=0.5) as server:
        yield server


@pytest.mark.parametrize(
    "trickle",
    [
        pytest.param(
            b"GET /api/ HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 1000, id="headers"
        ),
        pytest.param(b"", id="silent"),
        pytest.param(
            b"POST /api/sessionMngr/ HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
            + b"b" * 1000,
            id="body",
        ),
    ],
)
def test_slow_and_silent_sockets_are_closed(strict_server: EmulatorServer, trickle: bytes) -> None:
    host, port = "127.0.0.1", strict_server.port
    journaled = len(strict_server.emulator.journal)
    with socket.create_connection((host, port), timeout=5) as sock:
        # 0.5 s allowed for the request; a generous bound so a loaded machine cannot flake.
        assert _closed_by_server(sock, trickle, interval=0.05, bound=20)
    assert len(strict_server.emulator.journal) == journaled  # nothing half-read was answered


def test_a_prompt_client_keeps_its_connection(strict_server: EmulatorServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", strict_server.port, timeout=5)
    try:
        for _ in range(3):
            connection.request("GET", "/api/")
            response = connection.getresponse()
            assert (response.status, response.will_close) == (200, False)
            response.read()
        assert connection.sock is not None  # the same socket served all three
    finally:
        connection.close()


@pytest.mark.parametrize("entity", [False, True], ids=["references", "entities"])
def test_chunked_serialisation_gives_the_same_bytes(entity: bool) -> None:
    emulator = EnterpriseManagerEmulator(EmulatorConfig(clock=ManualClock(), jobs=CHUNK * 2 + 7))
    inventory = emulator.state.inventory
    render = job_entities if entity else job_refs
    build = lambda: render(MOCK_BASE, inventory.jobs("job"), inventory.server)  # noqa: E731
    whole = build()
    assert dump_json_chunked(element_to_json(whole)) == dump_json(element_to_json(whole))
    assert dump_xml_chunked(build()) == dump_xml(whole)
