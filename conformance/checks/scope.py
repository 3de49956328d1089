"""Scopes: which recorded exchanges a check judges, and how they are grouped.

`Each` selects single exchanges by method, path pattern, status, label or tag, so a
check can judge any recording (a live run, a cassette, schemathesis traffic).
`InFlow` selects the exchanges a flow tagged `flow:<name>`, one subject per run of
the flow.  `PerTask` groups every Task body of a recording by task and session, so
polling rules hold for recordings no flow of ours made.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from conformance.exchange import Exchange
from conformance.views import memo

__all__ = [
    "Each",
    "InFlow",
    "Indexed",
    "PerTask",
    "Scope",
    "Subject",
    "api_path",
    "path_matches",
    "tag_value",
]

Indexed = tuple[int, Exchange]


def api_path(url_or_path: str) -> str:
    """The path below the API root (`/api`), so `https://em:9398/api/jobs/1` -> `/jobs/1`."""
    path = url_or_path.split("?", 1)[0].split("#", 1)[0]
    if "://" in path:
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    _, marker, tail = path.partition("/api")
    if marker and (not tail or tail.startswith("/")):
        return tail or "/"
    return path or "/"


@functools.cache
def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[a-zA-Z_]+\})", template.rstrip("/") or "/")
    body = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(body.rstrip("/") + "/?", re.IGNORECASE)


def path_matches(template: str, url_or_path: str) -> bool:
    """Whether the API path of a URL matches a template like `/jobs/{id}` (case-insensitive,
    trailing slash optional: the docs write `/sessionMngr/` and `/logonsessions/{ID}`)."""
    # Scopes and checks ask this of every exchange of a recording, many times over.
    table = memo(_PATHS)
    key = (template, url_or_path)
    found = table.get(key)
    if found is None:
        found = table[key] = _matches(template, url_or_path)
    return found


_PATHS = "path matches"


def _matches(template: str, url_or_path: str) -> bool:
    return bool(_pattern(template).fullmatch(api_path(url_or_path)))


def tag_value(exchange: Exchange, prefix: str) -> str:
    """The value of the first tag `prefix:value` on the exchange, or ''."""
    start = prefix + ":"
    return next((tag[len(start) :] for tag in exchange.tags if tag.startswith(start)), "")


@functools.lru_cache(maxsize=1024)
def _format_tag(tags: tuple[str, ...]) -> str:
    """The `format:` tag's value; a recording holds few distinct tag sets."""
    return next((tag[7:] for tag in tags if tag.startswith("format:")), "")


@dataclass(frozen=True)
class Subject:
    """What one check call judges: one exchange, or the exchanges of one flow run or task."""

    items: tuple[Indexed, ...]
    name: str = ""

    @property
    def exchange(self) -> Exchange:
        return self.items[0][1]

    @property
    def index(self) -> int:
        return self.items[0][0]

    @property
    def indices(self) -> tuple[int, ...]:
        if len(self.items) == 1:  # most subjects (a check asks once per verdict)
            return (self.items[0][0],)
        return tuple(index for index, _ in self.items)

    @property
    def format(self) -> str:
        if len(self.items) == 1:
            return _format_tag(self.items[0][1].tags)
        formats = {_format_tag(exchange.tags) for _, exchange in self.items} - {""}
        return formats.pop() if len(formats) == 1 else ""

    def labelled(self, label: str) -> list[Indexed]:
        return [(i, exchange) for i, exchange in self.items if exchange.label == label]

    def first(self, label: str) -> Indexed | None:
        return next(iter(self.labelled(label)), None)

    def last(self, label: str) -> Indexed | None:
        found = self.labelled(label)
        return found[-1] if found else None


class Scope(Protocol):
    """Anything that turns a recording into the subjects a check judges."""

    def subjects(self, exchanges: Sequence[Exchange]) -> Iterator[Subject]: ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class Each:
    """Every single exchange matching all the given criteria."""

    method: str | None = None
    path: str | None = None
    status: Callable[[int], bool] | None = None
    label: str | None = None
    tag: str | None = None
    where: Callable[[Exchange], bool] | None = field(default=None, compare=False)

    def matches(self, exchange: Exchange) -> bool:
        request = exchange.request
        return (
            (self.method is None or request.method == self.method)
            and (self.path is None or path_matches(self.path, request.url))
            and (self.status is None or self.status(exchange.response.status))
            and (self.label is None or exchange.label == self.label)
            and (self.tag is None or self.tag in exchange.tags)
            and (self.where is None or self.where(exchange))
        )

    def subjects(self, exchanges: Sequence[Exchange]) -> Iterator[Subject]:
        # `matches` inlined, cheapest criterion first: every check's scope is asked about
        # every exchange, so this loop runs checks x exchanges times in a `judge`.
        method, status, label, tag, where = (
            self.method, self.status, self.label, self.tag, self.where
        )  # fmt: skip
        path = self.path
        for index, exchange in enumerate(exchanges):
            request = exchange.request
            if (
                (method is None or request.method == method)
                and (label is None or exchange.label == label)
                and (tag is None or tag in exchange.tags)
                and (status is None or status(exchange.response.status))
                and (path is None or path_matches(path, request.url))
                and (where is None or where(exchange))
            ):
                yield Subject(((index, exchange),))

    def describe(self) -> str:
        parts = [self.method or "any method", self.path or "any path"]
        parts += [f"label {self.label!r}"] if self.label else []
        parts += [f"tag {self.tag!r}"] if self.tag else []
        return " ".join(parts)


class InFlow:
    """The exchanges of each run of the named flows, grouped by flow and their `run:` tag
    (else their `format:` tag)."""

    def __init__(self, *flows: str) -> None:
        self.flows = flows
        self._tags = tuple((f"flow:{flow}", flow) for flow in flows)

    def _key(self, exchange: Exchange) -> str | None:
        tags = exchange.tags
        if not tags:  # most exchanges of a recording no flow of ours made
            return None
        flow = next((f for tag, f in self._tags if tag in tags), None)
        if flow is None:
            return None
        run = tag_value(exchange, "run") or tag_value(exchange, "format")
        return f"{flow}/{run}" if run else flow

    def subjects(self, exchanges: Sequence[Exchange]) -> Iterator[Subject]:
        runs: dict[str, list[Indexed]] = {}
        for index, exchange in enumerate(exchanges):
            key = self._key(exchange)
            if key is not None:
                runs.setdefault(key, []).append((index, exchange))
        for key, items in runs.items():
            yield Subject(tuple(items), key)

    def describe(self) -> str:
        return "exchanges of flow " + " or ".join(repr(flow) for flow in self.flows)


@dataclass(frozen=True)
class PerTask:
    """The exchanges that carry one task's representation, per task and logon session."""

    key: Callable[[Exchange], str | None] = field(compare=False)

    def subjects(self, exchanges: Sequence[Exchange]) -> Iterator[Subject]:
        groups: dict[str, list[Indexed]] = {}
        for index, exchange in enumerate(exchanges):
            key = self.key(exchange)
            if key:
                groups.setdefault(key, []).append((index, exchange))
        for key, items in groups.items():
            yield Subject(tuple(items), key)

    def describe(self) -> str:
        return "task representations grouped by task and session"
