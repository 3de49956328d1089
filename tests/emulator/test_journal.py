"""The journal: every exchange, in order, with the logon session it belongs to."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from conformance.emulator import EmulatorConfig, EnterpriseManagerEmulator, Journal, ManualClock
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.model import LogonSession
from tests.emulator.conftest import Client, CoreDriver


def test_every_exchange_with_its_session(
    core: CoreDriver, emulator: EnterpriseManagerEmulator
) -> None:
    first, second = Client(core), Client(core, "operator")
    first.get("/tasks")
    second.get("/tasks")
    core.send("GET", "/tasks")
    entries = emulator.journal.entries()
    assert [(e.exchange.request.method, e.exchange.response.status) for e in entries] == [
        ("POST", 201), ("POST", 201), ("GET", 200), ("GET", 200), ("GET", 401)]  # fmt: skip
    first_id = LogonSession.from_body(first.logon.body, "application/xml").session_id
    assert [e.session_id for e in entries[2:]] == [first_id, entries[3].session_id, None]
    assert [e.user for e in entries[2:]] == ["administrator", "operator", None]
    assert emulator.journal.exchanges(first_id) == [entries[2].exchange]
    assert all(e.exchange.response.elapsed >= 0 for e in entries)
    assert list(emulator.journal) == [e.exchange for e in entries]


def test_journal_is_thread_safe_and_bounded() -> None:
    journal = Journal(limit=1000)
    exchange = Exchange(RecordedRequest.build("GET", "http://x/api/"), RecordedResponse.build(200))
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda _: [journal.record(exchange) for _ in range(100)], range(16)))
    assert len(journal) == 1000
    journal.clear()
    assert len(journal) == 0


def test_journal_limit_comes_from_the_config() -> None:
    clock = ManualClock()
    emulator = EnterpriseManagerEmulator(EmulatorConfig(clock=clock, journal_limit=3))
    for _ in range(5):
        emulator.handle(RecordedRequest.build("GET", "https://em.test/api/"))
    assert len(emulator.journal) == 3
