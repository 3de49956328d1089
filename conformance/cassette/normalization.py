"""Normalisation of volatile values, on request, so two recordings of one flow are equal.

What changes from run to run without meaning anything: the host and port the target
was reached at (an emulator picks a free port), the `Date` header and timestamps in
bodies, the time a response took, and identifiers: GUIDs differ from server to server
and task numbers from service start to service start (em-api-facts §7.1), and probes
make up fresh ones each run.  Normalising rewrites them to fixed values, identifiers
numbered by first appearance (the same ID always gets the same replacement, so a flow
stays coherent), and recomputes `Content-Length`, since a rewritten body has a new
length.  The origin is replaced everywhere it appears (URLs, `Href`s in bodies,
`Location`), so links keep pointing at the host the request went to, as EM's do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from conformance.exchange import Exchange, Headers

__all__ = ["NORMAL_DATE", "NORMAL_ORIGIN", "NORMAL_TIMESTAMP", "normalize", "origin"]

NORMAL_ORIGIN = "https://em.example:9398"
NORMAL_DATE = "Thu, 01 Jan 1970 00:00:00 GMT"
NORMAL_TIMESTAMP = "1970-01-01T00:00:00Z"

# ISO 8601 as in JSON and XML bodies, and the "2026-11-27 10:22:58" of session names.
_TIMESTAMP = re.compile(
    r"\b\d{4}-\d{2}-\d{2}(?P<sep>[T ])\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?"
)
_DATE_HEADERS = frozenset({"date", "expires", "last-modified"})
_HEX = "[0-9a-fA-F]"
# Identifiers, each kind renumbered by first appearance: GUIDs, task IDs, and the names
# em-conformance makes up for its disposable clones and unknown users.
_IDENTIFIERS: tuple[tuple[re.Pattern[str], Callable[[int], str]], ...] = (
    (re.compile(rf"\b{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}\b"),
     lambda n: f"00000000-0000-4000-8000-{n:012d}"),
    (re.compile(r"\btask-\d+\b"), lambda n: f"task-{n}"),
    (re.compile(r"\bem-conformance( |-nobody-|-)[0-9a-f]{8}(-\d+)?\b"), lambda n: f"em-conformance {n:08d}"),
)  # fmt: skip


def _texts(exchange: Exchange) -> Iterator[str]:
    request, response = exchange.request, exchange.response
    yield request.url
    yield from (value for _, value in request.headers)
    yield request.body.decode("utf-8", "replace")
    yield from (value for _, value in response.headers)
    yield response.body.decode("utf-8", "replace")


def _timestamp(match: re.Match[str]) -> str:
    return NORMAL_TIMESTAMP if match.group("sep") == "T" else NORMAL_TIMESTAMP[:10] + " 00:00:00"


class _Identifiers:
    """Replacements for every identifier seen, numbered by first appearance per kind."""

    def __init__(self, exchanges: Sequence[Exchange]) -> None:
        self._maps: list[dict[str, str]] = [{} for _ in _IDENTIFIERS]
        for text in (text for exchange in exchanges for text in _texts(exchange)):
            for (pattern, make), found in zip(_IDENTIFIERS, self._maps, strict=True):
                for match in pattern.finditer(text):
                    found.setdefault(match.group(0).lower(), make(len(found) + 1))

    def sub(self, value: str) -> str:
        for (pattern, _), found in zip(_IDENTIFIERS, self._maps, strict=True):
            value = pattern.sub(_lookup(found), value)
        return value


def _lookup(found: dict[str, str]) -> Callable[[re.Match[str]], str]:
    return lambda match: found.get(match.group(0).lower(), match.group(0))


def origin(url: str) -> str:
    """`scheme://host[:port]` of an absolute URL; empty for a relative one."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


class _Normalizer:
    def __init__(self, origins: Iterable[str], exchanges: Sequence[Exchange]) -> None:
        known = sorted({item for item in origins if item and item != NORMAL_ORIGIN}, key=len)
        # Longest first: "http://h:1234" must win over a shorter origin that prefixes it.
        self._origins = re.compile("|".join(map(re.escape, reversed(known)))) if known else None
        self._identifiers = _Identifiers(exchanges)

    def text(self, value: str) -> str:
        value = self._origins.sub(NORMAL_ORIGIN, value) if self._origins else value
        return _TIMESTAMP.sub(_timestamp, self._identifiers.sub(value))

    def body(self, body: bytes) -> bytes:
        if not body:
            return body
        return self.text(body.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")

    def headers(self, headers: Headers, body: bytes) -> Headers:
        return tuple((name, self._header(name.lower(), value, body)) for name, value in headers)

    def _header(self, name: str, value: str, body: bytes) -> str:
        if name in _DATE_HEADERS:
            return NORMAL_DATE
        if name == "content-length":
            return str(len(body))
        if name == "host":
            return NORMAL_ORIGIN.partition("://")[2]
        return self.text(value)

    def exchange(self, exchange: Exchange) -> Exchange:
        request, response = exchange.request, exchange.response
        request_body, response_body = self.body(request.body), self.body(response.body)
        new_request = replace(
            request,
            url=self.text(request.url),
            headers=self.headers(request.headers, request_body),
            body=request_body,
        )
        new_response = replace(
            response,
            headers=self.headers(response.headers, response_body),
            body=response_body,
            elapsed=0.0,
        )
        label, tags = self.text(exchange.label), tuple(map(self.text, exchange.tags))
        return replace(exchange, request=new_request, response=new_response, label=label, tags=tags)


def normalize(exchanges: Sequence[Exchange]) -> list[Exchange]:
    """Exchanges with hosts, dates, timings, IDs and `Content-Length` made run-independent."""
    normalizer = _Normalizer((origin(e.request.url) for e in exchanges), exchanges)
    return [normalizer.exchange(exchange) for exchange in exchanges]
