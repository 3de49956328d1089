"""Exchanges: one HTTP request and the response it got, as recorded.

Everything a check judges is an exchange, whether it came from a live server, the
emulator, a cassette or a client library's traffic.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

__all__ = ["Exchange", "Handler", "Headers", "RecordedRequest", "RecordedResponse", "media_type"]

Headers = tuple[tuple[str, str], ...]


def _headers(raw: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> Headers:
    if raw is None:
        return ()
    items = raw.items() if isinstance(raw, Mapping) else raw
    return tuple((str(name), str(value)) for name, value in items)


def _lookup(headers: Headers, name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers:
        if key.lower() == wanted:
            return value
    return None


def _lookup_all(headers: Headers, name: str) -> list[str]:
    wanted = name.lower()
    return [value for key, value in headers if key.lower() == wanted]


def media_type(content_type: str | None) -> str:
    """The bare media type of a Content-Type value, lower-cased, without parameters."""
    if not content_type:
        return ""
    return content_type.split(";", 1)[0].strip().lower()


@dataclass(frozen=True)
class RecordedRequest:
    """An HTTP request as it was sent."""

    method: str
    url: str
    headers: Headers = ()
    body: bytes = b""

    @classmethod
    def build(
        cls,
        method: str,
        url: str,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        body: bytes | str | None = None,
    ) -> RecordedRequest:
        data = body.encode() if isinstance(body, str) else (body or b"")
        return cls(method.upper(), url, _headers(headers), data)

    def header(self, name: str) -> str | None:
        return _lookup(self.headers, name)

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.url).query, keep_blank_values=True))


@dataclass(frozen=True)
class RecordedResponse:
    """An HTTP response as it was received."""

    status: int
    headers: Headers = ()
    body: bytes = b""
    elapsed: float = 0.0

    @classmethod
    def build(
        cls,
        status: int,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        body: bytes | str | None = None,
        elapsed: float = 0.0,
    ) -> RecordedResponse:
        data = body.encode() if isinstance(body, str) else (body or b"")
        return cls(status, _headers(headers), data, elapsed)

    def header(self, name: str) -> str | None:
        return _lookup(self.headers, name)

    def header_values(self, name: str) -> list[str]:
        return _lookup_all(self.headers, name)

    @functools.cached_property  # read by most checks of every exchange
    def media_type(self) -> str:
        return media_type(self.header("Content-Type"))


@dataclass(frozen=True)
class Exchange:
    """One request and its response; `label` names the step of a flow that made it."""

    request: RecordedRequest
    response: RecordedResponse
    label: str = ""
    tags: tuple[str, ...] = field(default=())


Handler = Callable[[RecordedRequest], RecordedResponse]
"""The one seam between a client and what answers it: the emulator's `handle`, a
cassette `Replayer.handle`, or a wrapper around either (`Traffic`).  The `responses`
adapter (`conformance.mocking`) and the emulator's HTTP server both serve a Handler."""
