"""Fixtures of the suite tests: one faithful embedded run shared by the report tests,
and emulator servers a test can seed and read the journal of."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.emulator import EmulatorConfig
from conformance.emulator.server import EmulatorServer
from conformance.suite import RunResult, Settings, run_suite
from conformance.suite.target import _no_nagle

SECRET = "S3cret-Passw0rd!"
# The property-based flows have their own tests (tests/properties); here a small example
# budget keeps the dozens of full runs quick while still playing those flows.
EXAMPLES = 3
# Every run in these tests has one seed, so a failure shows up again on the next run.
SEED = 20261130


@pytest.fixture(autouse=True)
def _small_example_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EM_MAX_EXAMPLES", str(EXAMPLES))
    monkeypatch.setenv("EM_SEED", str(SEED))


@pytest.fixture(scope="session")
def em_faithful_run() -> RunResult:
    """The full suite against the faithful embedded emulator, in both formats."""
    return run_suite(Settings(max_examples=EXAMPLES, seed=SEED))


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
