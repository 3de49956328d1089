"""Fixtures that serve the emulator: one real server per test session, fresh state per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conformance.emulator.server import EmulatorServer

__all__ = ["em_emulator", "em_emulator_server"]


@pytest.fixture(scope="session")
def em_emulator_server() -> Iterator[EmulatorServer]:
    """The emulator on a free loopback port for the whole session (see `em_emulator`)."""
    from conformance.emulator.server import EmulatorServer

    with EmulatorServer() as server:
        yield server


@pytest.fixture
def em_emulator(em_emulator_server: EmulatorServer) -> EmulatorServer:
    """The session's emulator server, its state reset: seeded jobs, no sessions, no tasks."""
    em_emulator_server.emulator.reset()
    return em_emulator_server
