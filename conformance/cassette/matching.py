"""Request matching for replay: which recorded interaction answers a request.

Strict on what changes EM's answer: the method, the path, the query, the format the
`Accept` header negotiates (any `application/json` entry means JSON, anything else
XML: em-api-facts §2.4 and the field notes), whether Basic credentials are sent, and
whether the session token sent (in the `X-RestSvcSessionId` header or its cookie, the
cookie winning, §3.1) is valid: issued by an earlier logon and not logged out since.
A recording's bad-token probes are thus told apart from its real calls, and a client
replaying it gets the 401 only when its own token is bad.
Lenient on what does not: the host and port (a replay may run anywhere), header case,
query order, and the token's value (a redacted cassette holds placeholders).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from conformance.exchange import RecordedRequest, RecordedResponse
from conformance.protocol import carried_token, issued_tokens, negotiated_format, sends_token

__all__ = [
    "INVALID_TOKEN",
    "NO_TOKEN",
    "VALID_TOKEN",
    "RequestKey",
    "TokenBook",
    "closest",
    "differences",
]

NO_TOKEN, VALID_TOKEN, INVALID_TOKEN = "none", "valid", "invalid"


class TokenBook:
    """Which tokens are valid so far: issued by a 201 logon, not yet logged out."""

    def __init__(self) -> None:
        self._valid: set[str] = set()

    def state(self, request: RecordedRequest) -> str:
        token = carried_token(request)
        if token is None:
            return INVALID_TOKEN if sends_token(request) else NO_TOKEN
        return VALID_TOKEN if token in self._valid else INVALID_TOKEN

    def observe(self, request: RecordedRequest, response: RecordedResponse) -> None:
        """Learn from one answered request: a logon issues tokens, a logout ends one."""
        path = urlsplit(request.url).path.lower()
        method = request.method.upper()
        if method == "POST" and "/sessionmngr" in path and response.status == 201:
            self._valid |= issued_tokens(response)
        elif method == "DELETE" and "/logonsessions/" in path and 200 <= response.status < 300:
            self._valid.discard(carried_token(request) or "")


@dataclass(frozen=True)
class RequestKey:
    """What a recorded request and a replayed one must share to match."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    format: str
    token: str  # NO_TOKEN, VALID_TOKEN or INVALID_TOKEN
    credentials: bool

    @classmethod
    def of(cls, request: RecordedRequest, token: str) -> RequestKey:
        """The key of `request`, whose token a `TokenBook` judged `token`."""
        parts = urlsplit(request.url)
        query = tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))
        return cls(
            request.method.upper(), parts.path or "/", query, negotiated_format(request.header("Accept")),
            token, request.header("Authorization") is not None,
        )  # fmt: skip

    def describe(self) -> str:
        query = "&".join(f"{name}={value}" for name, value in self.query)
        target = self.path + (f"?{query}" if query else "")
        token = "no token" if self.token == NO_TOKEN else f"{self.token} token"
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
