"""The journal: every request and response the emulator handled, in order, with its session.

Tests and the client-validation feature read it. It holds what was on the wire,
tokens and passwords included: whoever saves it elsewhere must redact.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from conformance.exchange import Exchange

__all__ = ["Journal", "JournalEntry"]


@dataclass(frozen=True)
class JournalEntry:
    """One exchange and the logon session it was made in (None: before logon, or refused)."""

    exchange: Exchange
    session_id: str | None
    user: str | None


class Journal:
    """Thread-safe, append-only; past `limit` entries the oldest are dropped."""

    def __init__(self, limit: int | None = None) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=limit)
        self._lock = threading.Lock()

    def record(
        self, exchange: Exchange, session_id: str | None = None, user: str | None = None
    ) -> None:
        with self._lock:
            self._entries.append(JournalEntry(exchange, session_id, user))

    def entries(self) -> list[JournalEntry]:
        with self._lock:
            return list(self._entries)

    def exchanges(self, session_id: str | None = None) -> list[Exchange]:
        """Every exchange, or those of one logon session."""
        return [e.exchange for e in self.entries() if session_id in (None, e.session_id)]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __iter__(self) -> Iterator[Exchange]:
        return iter(self.exchanges())
