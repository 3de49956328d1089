"""Fixtures of the tests that run the suite (tests/suite, tests/flows, tests/report,
tests/cli): the tests' small example budget and seed for every run they start, emulator
servers a test can seed and read the journal of, and the administrator's password.
Each of those folders' conftest.py imports them (the shared embedded runs,
`em_faithful_run` and `em_fault_run`, are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.emulator import EmulatorConfig
from conformance.emulator.server import EmulatorServer
from conformance.suite.target import _no_nagle
from tests._runs import EXAMPLES, SEED

__all__ = ["EXAMPLES", "SECRET", "SEED", "em_password", "em_server_factory", "small_example_budget"]

SECRET = "S3cret-Passw0rd!"


@pytest.fixture(autouse=True)
def small_example_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EM_MAX_EXAMPLES", str(EXAMPLES))
    monkeypatch.setenv("EM_SEED", str(SEED))


@pytest.fixture
def em_server_factory() -> Iterator[object]:
    """Start emulator servers (stopped after the test): `em_server_factory(config)`."""
    started: list[EmulatorServer] = []

    def start(config: EmulatorConfig | None = None) -> EmulatorServer:
        server = EmulatorServer(config or EmulatorConfig())
        _no_nagle(server)
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def em_password(monkeypatch: pytest.MonkeyPatch) -> str:
    """EM_PASSWORD set to the emulator administrator's password."""
    monkeypatch.setenv("EM_PASSWORD", "Veeam123!")
    return "Veeam123!"
