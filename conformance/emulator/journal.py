"""The journal: every request and response the emulator handled, in order, with its session.

It is public, for client authors' tests (`em.journal`; docs/api.md, "The journal"); the
suite does not read it. It holds what was on the wire, tokens and passwords included:
whoever saves it elsewhere must redact.

It is bounded three ways, so no client can grow it without limit: a body longer than
`body_limit` is kept as a prefix and tagged `journal:<part>-body-truncated:<length>`;
a request no logon session or logon backs keeps no bodies at all (tagged
`journal:bodies-dropped`); past `limit` entries or `byte_limit` bytes the oldest go.
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace

from conformance.exchange import Exchange

__all__ = [
    "BODY_LIMIT",
    "BYTE_LIMIT",
    "DROPPED_TAG",
    "LIMIT",
    "TRUNCATED_TAG",
    "Journal",
    "JournalEntry",
]

# Small by default: a journal is for reading what a client did, not for keeping large
# bodies (a 50,000-job listing is 40 MB), and every entry is objects the garbage
# collector walks while the journal fills.
LIMIT = 10_000
BODY_LIMIT = 16 * 1024
BYTE_LIMIT = 8 * 1024 * 1024
TRUNCATED_TAG = "journal:{part}-body-truncated:{length}"
DROPPED_TAG = "journal:bodies-dropped"
# What an entry costs beyond its bodies, headers and URL (objects, tuples, strings).
_ENTRY_OVERHEAD = 512


@dataclass(frozen=True)
class JournalEntry:
    """One exchange and the logon session it was made in (None: before logon, or refused)."""

    exchange: Exchange
    session_id: str | None
    user: str | None

    @functools.cached_property  # read when the entry comes in and when it goes
    def size(self) -> int:
        """Roughly the bytes this entry holds."""
        request, response = self.exchange.request, self.exchange.response
        names_and_values = itertools.chain.from_iterable((*request.headers, *response.headers))
        headers = sum(map(len, names_and_values))
        return len(request.url) + len(request.body) + len(response.body) + headers + _ENTRY_OVERHEAD


def _cut(body: bytes, limit: int, part: str, tags: list[str]) -> bytes:
    if len(body) <= limit:
        return body
    tags.append(TRUNCATED_TAG.format(part=part, length=len(body)))
    return body[:limit]


def bounded(exchange: Exchange, body_limit: int, *, keep_bodies: bool = True) -> Exchange:
    """`exchange` as the journal keeps it: bodies cut to `body_limit`, or dropped."""
    request, response = exchange.request, exchange.response
    if not keep_bodies:
        if not (request.body or response.body):
            return exchange
        return replace(exchange, request=replace(request, body=b""),
                       response=replace(response, body=b""), tags=(*exchange.tags, DROPPED_TAG))  # fmt: skip
    tags: list[str] = []
    request_body = _cut(request.body, body_limit, "request", tags)
    response_body = _cut(response.body, body_limit, "response", tags)
    if not tags:
        return exchange
    return replace(exchange, request=replace(request, body=request_body),
                   response=replace(response, body=response_body), tags=(*exchange.tags, *tags))  # fmt: skip


class Journal:
    """Thread-safe, append-only; past `limit` entries or `byte_limit` bytes the oldest go."""

    def __init__(self, limit: int | None = None, *, body_limit: int = BODY_LIMIT,
                 byte_limit: int | None = BYTE_LIMIT) -> None:  # fmt: skip
        self._entries: deque[JournalEntry] = deque(maxlen=limit)
        self._body_limit = body_limit
        self._byte_limit = byte_limit
        self._bytes = 0
        self._lock = threading.Lock()

    def record(self, exchange: Exchange, session_id: str | None = None, user: str | None = None,
               *, keep_bodies: bool = True) -> None:  # fmt: skip
        """Append one exchange; `keep_bodies=False` for a request no credential backs."""
        entry = JournalEntry(bounded(exchange, self._body_limit, keep_bodies=keep_bodies),
                             session_id, user)  # fmt: skip
        size = entry.size
        with self._lock:
            entries = self._entries
            if len(entries) == entries.maxlen:  # the oldest is about to go
                self._bytes -= entries[0].size
            entries.append(entry)
            self._bytes += size
            while self._over_budget():
                self._bytes -= entries.popleft().size

    def _over_budget(self) -> bool:
        limit = self._byte_limit
        return limit is not None and self._bytes > limit and len(self._entries) > 1

    @property
    def bytes(self) -> int:
        """Roughly the bytes the journal holds now."""
        with self._lock:
            return self._bytes

    def entries(self) -> list[JournalEntry]:
        with self._lock:
            return list(self._entries)

    def exchanges(self, session_id: str | None = None) -> list[Exchange]:
        """Every exchange, or those of one logon session."""
        return [e.exchange for e in self.entries() if session_id in (None, e.session_id)]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __iter__(self) -> Iterator[Exchange]:
        return iter(self.exchanges())
