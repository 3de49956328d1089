"""Clocks: where the emulator reads the time, so tests can drive it without sleeping."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Protocol

__all__ = ["Clock", "ManualClock", "SystemClock", "utc"]

# 2026-01-01T00:00:00Z: a fixed, readable origin for manual clocks.
MANUAL_EPOCH = 1_767_225_600.0


class Clock(Protocol):
    """Seconds since the Unix epoch; never goes backwards."""

    def now(self) -> float: ...


class SystemClock:
    """Wall time that cannot jump backwards: monotonic, anchored to the epoch at start."""

    def __init__(self) -> None:
        self._offset = time.time() - time.monotonic()

    def now(self) -> float:
        return time.monotonic() + self._offset


class ManualClock:
    """A clock that moves only when told to, for tests that must never sleep."""

    def __init__(self, start: float = MANUAL_EPOCH) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        """Move the clock forward by `seconds` and return the new time."""
        if seconds < 0:
            raise ValueError(f"Expected seconds >= 0; received {seconds}. Clocks never go back.")
        with self._lock:
            self._now += seconds
            return self._now


def utc(seconds: float) -> str:
    """An ISO-8601 UTC timestamp (`2026-01-01T00:00:00Z`), as EM writes dates."""
    moment = datetime.fromtimestamp(seconds, UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")
