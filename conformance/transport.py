"""The transport under the client: one wall-clock deadline per request, one body cap.

`requests` bounds each socket read, not the request: a server that trickles its status
line one byte a second never trips a read timeout.  Here every connection a request
uses is watched, and when the request's deadline passes a timer shuts its socket down,
so the blocked read returns at once, whatever phase (status line, headers, body) it
was in.  Bodies are read decoded (a server may compress whatever `Accept-Encoding`
said) and the cap counts decoded bytes as they arrive, so a gzip bomb stops at the cap
instead of inflating in memory; a body past the cap is kept as a short prefix.
"""

from __future__ import annotations

import contextlib
import heapq
import http.cookiejar
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["TRUNCATED_PREFIX", "Body", "Deadline", "DeadlineAdapter", "bare_session", "read_body"]

# What is kept of a body past the cap: enough to show what it was, never megabytes.
TRUNCATED_PREFIX = 16 * 1024
_CHUNK = 64 * 1024
_current = threading.local()


@dataclass
class Deadline:
    """The moment one request must be over by; `expire` aborts it wherever it is."""

    seconds: float
    at: float = 0.0
    expired: bool = False
    armed: bool = True
    _connections: list[HTTPConnection] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.at = time.monotonic() + self.seconds

    def watch(self, connection: HTTPConnection) -> None:
        with self._lock:
            self._connections.append(connection)
            if self.expired:
                _shut(connection)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for connection in self._connections:
                _shut(connection)

    @contextmanager
    def running(self) -> Iterator[Deadline]:
        """Arm the deadline for the requests made in this thread inside the block."""
        _current.deadline = self
        _WATCHDOG.arm(self)
        try:
            yield self
        finally:
            _WATCHDOG.disarm(self)
            _current.deadline = None


class _Watchdog:
    """One thread that expires every armed deadline when its moment comes (a timer
    thread per request would cost more than a request to a fast server)."""

    def __init__(self) -> None:
        self._armed: list[tuple[float, int, Deadline]] = []
        self._disarmed = 0  # entries in the heap whose request is over
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, deadline: Deadline) -> None:
        with self._condition:
            # The thread sleeps until the earliest entry's moment (or for good, with none):
            # it need only be woken when this deadline comes before that one.  Waking it
            # on every request costs each one a thread switch; finished requests are
            # dropped here instead, so the heap stays small between its wake-ups.
            self._drop_disarmed()
            sooner = not self._armed or deadline.at < self._armed[0][0]
            heapq.heappush(self._armed, (deadline.at, id(deadline), deadline))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._watch, name="em-conformance-deadlines", daemon=True
                )
                self._thread.start()
            elif sooner:
                self._condition.notify()

    def disarm(self, deadline: Deadline) -> None:
        with self._condition:
            if deadline.armed:
                deadline.armed = False
                self._disarmed += 1

    def _watch(self) -> None:
        with self._condition:
            while True:
                self._drop_disarmed()
                if not self._armed:
                    self._condition.wait()
                    continue
                wait = self._armed[0][0] - time.monotonic()
                if wait > 0:
                    self._condition.wait(wait)
                    continue
                _, _, deadline = heapq.heappop(self._armed)
                deadline.armed = False
                deadline.expire()

    def _drop_disarmed(self) -> None:
        while self._armed and not self._armed[0][2].armed:
            heapq.heappop(self._armed)
            self._disarmed -= 1
        if self._disarmed > 64 and self._disarmed * 2 > len(self._armed):
            # Requests end long before their deadlines: drop the finished ones in bulk.
            self._armed = [item for item in self._armed if item[2].armed]
            heapq.heapify(self._armed)
            self._disarmed = 0


_WATCHDOG = _Watchdog()


def _shut(connection: HTTPConnection) -> None:
    sock = getattr(connection, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed: nothing left to abort
            sock.shutdown(socket.SHUT_RDWR)


def _watch(connection: HTTPConnection) -> None:
    deadline: Deadline | None = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.watch(connection)


class _Watched:
    """Registers the connection with the running deadline before it connects or sends."""

    def connect(self) -> None:
        _watch(self)  # type: ignore[arg-type]
        super().connect()  # type: ignore[misc]

    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch(self)  # type: ignore[arg-type]
        super().request(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """An adapter whose connections the running `Deadline` can abort."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }


@dataclass(frozen=True)
class Body:
    """A response body as read: the bytes kept, and whether it was cut or broken off."""

    data: bytes
    truncated: bool = False
    incomplete: bool = False
    seen: int = 0


def read_body(raw: requests.Response, cap: int) -> Body:
    """Read the body decoded, at most `cap` bytes of it; past the cap keep a prefix.
    A body whose declared length is past the cap is not read beyond the prefix."""
    chunks: list[bytes] = []
    size = 0
    declared = _declared_length(raw)
    if declared is not None and declared > cap:
        prefix = raw.raw.read(min(cap, TRUNCATED_PREFIX), decode_content=True)
        return Body(prefix, truncated=True, seen=declared)
    try:
        for chunk in _decoded(raw.raw):
            size += len(chunk)
            chunks.append(chunk)
            if size > cap:
                kept = b"".join(chunks)[: min(cap, TRUNCATED_PREFIX)]
                return Body(kept, truncated=True, seen=size)
    except (urllib3.exceptions.HTTPError, requests.exceptions.RequestException, OSError):
        # A body shorter than its Content-Length, a reset, a corrupt gzip stream, or the
        # deadline shutting the socket: keep what arrived.
        return Body(b"".join(chunks), incomplete=True, seen=size)
    return Body(b"".join(chunks), seen=size)


def _declared_length(raw: requests.Response) -> int | None:
    """The Content-Length of an unencoded body, when it is one plain number."""
    length = raw.headers.get("Content-Length", "")
    if raw.headers.get("Content-Encoding", "identity").lower() != "identity":
        return None  # the decoded size is unknown until it is decoded
    return int(length) if length.strip().isdigit() else None


def _decoded(response: urllib3.BaseHTTPResponse) -> Iterator[bytes]:
    """The body decoded, in pieces of at most `_CHUNK` bytes, each as soon as it arrives
    (a short body keeps what came before the break): urllib3 (2.6 and later) inflates no
    more than it is asked for, so a compressed body cannot explode here."""
    if response.chunked:
        yield from response.stream(_CHUNK, decode_content=True)
        return
    while chunk := response.read1(_CHUNK, decode_content=True):
        yield chunk


def bare_session() -> requests.Session:
    """A `requests` session that sends only what its caller gives it: it keeps no cookies
    (a logon's cookie would otherwise win over the token a request carries, as EM lets a
    cookie do), adds no default headers (`Accept: */*` would replace a format's `Accept`)
    and reads nothing from the environment (no proxy, .netrc or CA variables)."""
    session = requests.Session()
    session.trust_env = False
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    session.headers.clear()
    return session
