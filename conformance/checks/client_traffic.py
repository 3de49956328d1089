"""Client traffic: what one client's exchanges show (logons, tokens, task links, polls).

The reading shared by the client rules (`client_rules`) and the run verdicts
(`client_outcome`): one pass over a client's traffic, in order, so every rule reads
the same facts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from conformance.checks._support import is_success
from conformance.checks.scope import Indexed, Subject, api_path, path_matches
from conformance.errors import BodyError
from conformance.exchange import Exchange
from conformance.model import LogonSession, Task
from conformance.protocol import carried_token
from conformance.protocol import issued_tokens as issued_by

__all__ = [
    "WHOLE",
    "ClientTraffic",
    "WholeTraffic",
    "is_entry",
    "is_logon",
    "issued_tokens",
    "listing",
    "needs_token",
    "sent_token",
    "task_id_of",
    "task_of",
    "traffic_of",
    "where",
]


@dataclass(frozen=True)
class WholeTraffic:
    """All of a client's exchanges, as one subject."""

    def subjects(self, exchanges: Sequence[Exchange]) -> Iterator[Subject]:
        if exchanges:
            yield Subject(tuple(enumerate(exchanges)), "client traffic")

    def describe(self) -> str:
        return "the client's traffic"


WHOLE = WholeTraffic()


def is_logon(exchange: Exchange) -> bool:
    return exchange.request.method == "POST" and path_matches("/sessionMngr", exchange.request.url)


def is_entry(exchange: Exchange) -> bool:
    return exchange.request.method == "GET" and api_path(exchange.request.url) == "/"


def needs_token(exchange: Exchange) -> bool:
    return not (is_logon(exchange) or is_entry(exchange))


def sent_token(exchange: Exchange) -> str | None:
    """The token a request carried; the cookie wins over the header, as on EM."""
    return carried_token(exchange.request)


def issued_tokens(exchange: Exchange) -> set[str]:
    return issued_by(exchange.response)


def where(url: str) -> str:
    """Scheme, host, port and path: what following a link fixes (a client may add a query)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def task_of(exchange: Exchange) -> Task | None:
    response = exchange.response
    if not is_success(response.status) or not response.body.strip():
        return None
    task = Task.from_exchange(exchange)
    return task if task is not None and task.task_id else None


def task_id_of(exchange: Exchange) -> str | None:
    path = api_path(exchange.request.url)
    return path.rsplit("/", 1)[-1] if path_matches("/tasks/{id}", exchange.request.url) else None


@dataclass
class ClientTraffic:
    """What a client's traffic shows: logons, tokens, tasks, polls; read in one pass."""

    items: tuple[Indexed, ...]
    first_logon: int | None = None
    tokens: dict[str, int] = field(default_factory=dict)  # token -> index it was issued at
    sessions: dict[str, int] = field(default_factory=dict)  # session href path -> logon index
    links: dict[str, tuple[int, str]] = field(default_factory=dict)  # task link -> (index, task id)
    finished: dict[str, tuple[int, Task]] = field(default_factory=dict)  # task id -> first Finished
    created_by: dict[str, int] = field(default_factory=dict)  # task id -> index of the 202

    @classmethod
    def read(cls, items: Sequence[Indexed]) -> ClientTraffic:
        traffic = cls(tuple(items))
        for index, exchange in items:
            traffic._read(index, exchange)
        return traffic

    def _read(self, index: int, exchange: Exchange) -> None:
        if is_logon(exchange) and exchange.response.status == 201:
            self._read_logon(index, exchange)
        task = task_of(exchange)
        if task is not None:
            self._read_task(index, exchange, task)

    def _read_logon(self, index: int, exchange: Exchange) -> None:
        self.first_logon = index if self.first_logon is None else self.first_logon
        for token in issued_tokens(exchange):
            self.tokens.setdefault(token, index)
        try:
            session = LogonSession.from_body(exchange.response.body, exchange.response.media_type)
        except BodyError:
            return
        delete = session.link("Delete")
        target = delete.href if delete else session.href
        if target:
            self.sessions.setdefault(urlsplit(target).path.lower(), index)

    def _read_task(self, index: int, exchange: Exchange, task: Task) -> None:
        for href in (task.href, *(link.href for link in task.links if link.rel == "Delete")):
            if href:
                self.links.setdefault(where(href), (index, task.task_id))
        if exchange.response.status == 202:
            self.created_by.setdefault(task.task_id, index)
        if task.finished:
            self.finished.setdefault(task.task_id, (index, task))

    def valid_token(self, index: int, token: str | None) -> bool:
        """Whether `token` was issued by a logon before exchange `index`."""
        issued = self.tokens.get(token or "")
        return issued is not None and issued < index

    def polls(self, task_id: str) -> list[Indexed]:
        return [
            (i, e) for i, e in self.items if e.request.method == "GET" and task_id_of(e) == task_id
        ]


def traffic_of(subject: Subject) -> ClientTraffic:
    return ClientTraffic.read(subject.items)


def listing(items: Sequence[Indexed], limit: int = 3) -> str:
    shown = [f"#{i} {e.request.method} {api_path(e.request.url)}" for i, e in items[:limit]]
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(shown) + more
