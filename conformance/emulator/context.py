"""The request context: path segments, query, negotiated format, base URL and caller."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from conformance.emulator.fault_catalogue import (
    HEADER_WINS_OVER_COOKIE,
    HREF_ALIAS_PREFIX,
    HREF_WRONG_HOST,
    JSON_IGNORED,
)
from conformance.emulator.faults import ALIAS_PREFIX, FaultSet
from conformance.emulator.sessions import LogonSession
from conformance.exchange import RecordedRequest
from conformance.protocol import SESSION_HEADER, cookie_token, wants_json

__all__ = ["Context"]

# The host a misconfigured server writes into its links (fault href-wrong-host).
_INTERNAL_BASE = "http://em-internal.local:9399/api"
_FALLBACK_BASE = "http://localhost/api"
# Names of this machine a client reaches the same server by (fault href-alias-prefix).
_ALIASES = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}
_SESSION_HEADER = SESSION_HEADER.lower()


@functools.lru_cache(maxsize=256)
def _segments(path: str) -> tuple[str, ...] | None:
    """Decoded path segments after `/api`, or None for a path outside the API.

    Empty segments are dropped: real clients send `/api//sessionMngr` (a base URL with a
    trailing slash joined to a path with a leading one) and EM answers it (field notes).
    """
    parts = path.split("/")[1:]
    if not parts or parts[0].lower() != "api":
        return None
    return tuple(unquote(part, errors="replace") for part in parts[1:] if part)


def _query(text: str) -> dict[str, str]:
    # Names in any case (`Format=`, `V=`), as the WCF URI templates EM is built on match them.
    return {key.lower(): value for key, value in parse_qsl(text, keep_blank_values=True)}


class _Url(NamedTuple):
    parts: SplitResult
    query: Mapping[str, str]


# Parsed once per distinct URL and Accept value: polls and listings repeat theirs.
# Bounded, since both come from clients (URLs up to the 16 KiB header limit).
@functools.lru_cache(maxsize=256)
def _split(url: str) -> _Url:
    """`url` split, and its query; ValueError for an unparsable one (a broken Host such as "[::1")."""
    parts = urlsplit(url)
    return _Url(parts, MappingProxyType(_query(parts.query)))


_wants_json = functools.lru_cache(maxsize=256)(wants_json)


def _aliased(scheme: str, host: str | None, port: int | None) -> str:
    """The base URL behind a reverse proxy: another name of this host, a path prefix."""
    alias = _ALIASES.get(host or "", host or "localhost")
    return f"{scheme}://{alias}{f':{port}' if port else ''}{ALIAS_PREFIX}/api"


def _unprefixed(path: str) -> str:
    """The proxy's path prefix stripped: the emulator serves both spellings."""
    if path.lower().startswith(ALIAS_PREFIX + "/"):
        return path[len(ALIAS_PREFIX) :]
    return path


@dataclass
class Context:
    """One request as the handlers see it; `session` is set once the caller is known."""

    request: RecordedRequest
    path: str
    segments: tuple[str, ...] | None
    query: Mapping[str, str]
    base: str
    json: bool
    now: float
    session: LogonSession | None = None
    # Header values by lower-cased name (the first of repeated ones), read once.
    headers: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def parse(cls, request: RecordedRequest, now: float, faults: FaultSet) -> Context:
        headers = {name.lower(): value for name, value in reversed(request.headers)}
        json = _wants_json(headers.get("accept")) and not faults.on(JSON_IGNORED)
        try:
            url, query = _split(request.url)
        except ValueError:
            # An unparsable URL (a broken Host such as "[::1") reaches no resource: 404.
            return cls(request, request.url, None, {}, _FALLBACK_BASE, json, now, None, headers)
        base = f"{url.scheme}://{url.netloc}/api"
        if faults.on(HREF_WRONG_HOST):
            base = _INTERNAL_BASE
        path = url.path
        if faults.on(HREF_ALIAS_PREFIX):
            base, path = _aliased(url.scheme, url.hostname, url.port), _unprefixed(path)
        return cls(request, url.path, _segments(path), query, base, json, now, None, headers)

    @property
    def method(self) -> str:
        return self.request.method

    def token(self, faults: FaultSet) -> str | None:
        """The session token; the cookie wins when both are sent (http_authentication.html)."""
        header = self.headers.get(_SESSION_HEADER)
        cookie = cookie_token(self.headers.get("cookie"))
        if faults.on(HEADER_WINS_OVER_COOKIE):
            return header or cookie
        return cookie or header
