"""The target of a run: a remote Enterprise Manager, or the emulator booted in-process.

The embedded emulator runs on a real socket (a free port on 127.0.0.1) with a
`VirtualClock`: its time moves only when the suite lets time pass (a poll's back-off
sleep, the 15-minute jump of the idle-timeout rule), never with the wall clock.  So a
task takes as many polls on a loaded machine as on an idle one, no run waits for a task
in real time, and with the run's seed for the emulator's IDs two runs send and receive
the same bytes.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from conformance.suite.settings import Settings

__all__ = ["VIRTUAL_EPOCH", "Target", "VirtualClock", "open_target"]

# The embedded emulator's tasks take this long (in its clock's seconds).
EMBEDDED_TASK_DURATION = 0.3
# 2026-01-01T00:00:00Z: where every embedded run's time starts, so that the times in
# bodies (a task's creation, a session's start) are the same from run to run.
VIRTUAL_EPOCH = 1_767_225_600.0


class VirtualClock:
    """Time that passes only when the suite says so; read by the emulator's thread."""

    def __init__(self, start: float = VIRTUAL_EPOCH) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += max(0.0, seconds)


@dataclass(frozen=True)
class Target:
    """Where the run goes and who it logs on as; `clock` is set for the embedded emulator."""

    base_url: str
    verify: bool | str
    username: str
    password: str = field(repr=False)
    clock: VirtualClock | None = None

    @property
    def embedded(self) -> bool:
        return self.clock is not None


@contextmanager
def _embedded(settings: Settings) -> Iterator[Target]:
    from conformance.emulator import DEFAULT_USERS, PORTAL_ADMINISTRATOR, EmulatorConfig
    from conformance.emulator.server import EmulatorServer

    clock = VirtualClock()
    config = EmulatorConfig(
        seed=settings.seed or 0,
        faults=settings.faults,
        clock=clock,
        task_duration=EMBEDDED_TASK_DURATION,
    )
    admin = next(user for user in DEFAULT_USERS if user.role == PORTAL_ADMINISTRATOR)
    server = EmulatorServer(config)
    _no_nagle(server)
    with _quiet("uvicorn.error"), server:
        yield Target(server.base_url, True, admin.name, admin.password, clock)


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """Mute a logger for the run: a fault profile such as wrong-content-length makes the
    HTTP server log a traceback, and the report says all that is worth saying."""
    logger = logging.getLogger(name)
    was = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = was


def _no_nagle(server: object) -> None:
    """Turn Nagle's algorithm off on the emulator's listening socket (inherited by every
    accepted one).  The socket is made with proto 0, so asyncio skips its own TCP_NODELAY
    and each keep-alive response waits ~40 ms for a delayed ACK between headers and body;
    a no-op once the emulator sets the option itself."""
    listener = getattr(getattr(server, "_thread", None), "_socket", None)
    if isinstance(listener, socket.socket) and listener.family in (socket.AF_INET, socket.AF_INET6):
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


@contextmanager
def open_target(settings: Settings) -> Iterator[Target]:
    """The target of `settings`, started and stopped around the `with` block."""
    if settings.embedded:
        with _embedded(settings) as target:
            yield target
        return
    yield Target(
        settings.target or "", settings.verify, settings.username or "", settings.password or ""
    )
