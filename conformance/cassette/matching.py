"""Request matching for replay: which recorded interaction answers a request.

Strict on what changes EM's answer: the method, the path, the query, the format the
`Accept` header negotiates (any `application/json` entry means JSON, anything else
XML: em-api-facts §2.4 and the field notes), whether a session token is sent (in the
`X-RestSvcSessionId` header or its cookie, §3.1) and whether Basic credentials are.
Lenient on what does not: the host and port (a replay may run anywhere), header case,
query order, and the token's value (a redacted cassette holds placeholders).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from conformance.exchange import RecordedRequest

__all__ = ["RequestKey", "closest", "differences", "negotiated_format", "sends_token"]


def negotiated_format(accept: str | None) -> str:
    """ "json" when any `Accept` entry is `application/json`, else "xml"."""
    if not accept:
        return "xml"
    entries = (entry.split(";", 1)[0].strip().lower() for entry in accept.split(","))
    return "json" if "application/json" in entries else "xml"


def sends_token(request: RecordedRequest) -> bool:
    """Whether the request carries a session token, as a header or as a cookie."""
    if request.header("X-RestSvcSessionId"):
        return True
    return "x-restsvcsessionid=" in (request.header("Cookie") or "").lower()


@dataclass(frozen=True)
class RequestKey:
    """What a recorded request and a replayed one must share to match."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    format: str
    token: bool
    credentials: bool

    @classmethod
    def of(cls, request: RecordedRequest) -> RequestKey:
        parts = urlsplit(request.url)
        query = tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))
        return cls(
            request.method.upper(), parts.path or "/", query, negotiated_format(request.header("Accept")),
            sends_token(request), request.header("Authorization") is not None,
        )  # fmt: skip

    def describe(self) -> str:
        query = "&".join(f"{name}={value}" for name, value in self.query)
        target = self.path + (f"?{query}" if query else "")
        token = "with token" if self.token else "no token"
        credentials = ", with credentials" if self.credentials else ""
        return f"{self.method} {target} ({self.format}, {token}{credentials})"


_WEIGHTS = {
    "method": 4.0,
    "path": 3.0,
    "query": 2.0,
    "format": 1.0,
    "token": 1.0,
    "credentials": 1.0,
}


def differences(wanted: RequestKey, recorded: RequestKey) -> list[str]:
    """The names of the fields in which `recorded` differs from `wanted`."""
    return [name for name in _WEIGHTS if getattr(wanted, name) != getattr(recorded, name)]


def _distance(wanted: RequestKey, recorded: RequestKey) -> float:
    fields = differences(wanted, recorded)
    similarity = difflib.SequenceMatcher(None, wanted.path, recorded.path).ratio()
    # The path weighs by how different it is, so /tasks/task-2 is closer to /tasks/task-1
    # than /jobs is.
    path_penalty = _WEIGHTS["path"] * (1.0 - similarity) if "path" in fields else 0.0
    return sum(_WEIGHTS[name] for name in fields if name != "path") + path_penalty


def closest(wanted: RequestKey, recorded: Iterable[RequestKey]) -> RequestKey | None:
    """The recorded key nearest to `wanted`, or None when nothing was recorded."""
    return min(recorded, key=lambda key: _distance(wanted, key), default=None)
