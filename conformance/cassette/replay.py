"""Replay: a cassette answering requests, in-process through `responses` or transport-free.

`Replayer` is the transport-free core: `handle(request) -> response`, like the
emulator's, with a `journal` of what it served, so a replayed client's traffic is
judged exactly like an emulated one.  Requests are matched by `RequestKey`; several
recorded interactions with one key (polling a task) are served in recorded order and
the last one repeats, so a client polling `/tasks/task-1` walks Running, then Finished.

A token is valid in a replay when a logon the replay answered issued it (and no logout
ended it), as it was valid in the recording when the recorded logon issued it: so a
client's real calls get the real answers and its stale-token calls the 401s.  EM
answers any call with a missing or bad token 401 whatever the path (em-api-facts §3),
so a bad-token request that was never recorded gets the nearest recorded 401 of the
same format instead of a mismatch.

Bodies and headers were recorded with the recorded server's origin in every `Href`;
replay rewrites it to the origin the client called, as EM links carry the host the
client used (field notes, "Links").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import ContextDecorator
from dataclasses import replace
from pathlib import Path

from conformance.cassette.matching import (
    VALID_TOKEN,
    RequestKey,
    TokenBook,
    closest,
    differences,
)
from conformance.cassette.normalization import origin
from conformance.cassette.storage import read_cassette
from conformance.errors import Error
from conformance.exchange import Exchange, Headers, RecordedRequest, RecordedResponse
from conformance.mocking import ResponsesAdapter

__all__ = ["CassetteReplay", "NoMatchingInteraction", "Replayer", "replay_cassette"]

# Bodies in a cassette are decoded text: hop-by-hop and encoding headers no longer apply.
_DROPPED_HEADERS = frozenset({"transfer-encoding", "content-encoding", "connection"})


class NoMatchingInteraction(Error):
    """A replayed client sent a request that the cassette has no answer for."""

    exit_code = 1


class Replayer:
    """Answers requests from recorded exchanges; stateful per request key."""

    def __init__(self, exchanges: Sequence[Exchange], *, name: str = "cassette") -> None:
        self.name = name
        self.exchanges = tuple(exchanges)
        self.journal: list[Exchange] = []
        self.probes = 0  # lookups made: replay cost is counted by tests, never timed
        self._positions: dict[RequestKey, list[int]] = {}
        self._served: dict[RequestKey, int] = {}
        self._tokens = TokenBook()  # the tokens this replay has issued to its client
        recorded = TokenBook()
        for position, exchange in enumerate(self.exchanges):
            key = RequestKey.of(exchange.request, recorded.state(exchange.request))
            self._positions.setdefault(key, []).append(position)
            recorded.observe(exchange.request, exchange.response)

    @classmethod
    def from_file(cls, path: str | Path) -> Replayer:
        return cls(read_cassette(path), name=str(path))

    def handle(self, request: RecordedRequest) -> RecordedResponse:
        """The recorded response for `request`; raises `NoMatchingInteraction` if none."""
        key = RequestKey.of(request, self._tokens.state(request))
        self.probes += 1
        position = self._next(key)
        if position is None:
            raise NoMatchingInteraction(self._mismatch(key))
        recorded = self.exchanges[position]
        response = _relocate(recorded, origin(request.url))
        self._tokens.observe(request, response)
        self.journal.append(replace(recorded, request=request, response=response))
        return response

    def _next(self, key: RequestKey) -> int | None:
        positions = self._positions.get(key)
        if not positions:
            return self._refusal(key)
        served = self._served.get(key, 0)
        self._served[key] = served + 1
        return positions[min(served, len(positions) - 1)]

    def _refusal(self, key: RequestKey) -> int | None:
        """The nearest recorded 401 to a bad-token call of the same format, if any."""
        if key.token == VALID_TOKEN or key.credentials:
            return None
        refusals = {
            known: positions[0]
            for known, positions in self._positions.items()
            if known.token == key.token and known.format == key.format
            and not known.credentials and self.exchanges[positions[0]].response.status == 401
        }  # fmt: skip
        nearest = closest(key, refusals)
        return None if nearest is None else refusals[nearest]

    @property
    def unused(self) -> list[int]:
        """Positions of recorded exchanges that no request has been answered with yet."""
        return sorted(
            position
            for key, positions in self._positions.items()
            for position in positions[self._served.get(key, 0) :]
        )

    def _mismatch(self, key: RequestKey) -> str:
        message = (
            f"No interaction in {self.name} matches {key.describe()}."
            f" Expected one of its {len(self.exchanges)} recorded requests"
            " (matched on method, path, query, Accept format, token validity and credentials presence)"
        )
        nearest = closest(key, self._positions)
        if nearest is None:
            return message + "; the cassette is empty."
        position = self._positions[nearest][0]
        fields = ", ".join(differences(key, nearest))
        return f"{message}; the closest is #{position}: {nearest.describe()}, which differs in {fields}."


def _relocate(recorded: Exchange, caller_origin: str) -> RecordedResponse:
    response = recorded.response
    headers = tuple(
        (name, value) for name, value in response.headers if name.lower() not in _DROPPED_HEADERS
    )
    recorded_origin = origin(recorded.request.url)
    if not caller_origin or not recorded_origin or caller_origin == recorded_origin:
        return replace(response, headers=headers)
    pattern = re.compile(re.escape(recorded_origin))
    body = pattern.sub(caller_origin, response.body.decode("utf-8", "surrogateescape"))
    data = body.encode("utf-8", "surrogateescape")
    return replace(
        response, headers=_moved_headers(headers, pattern, caller_origin, data), body=data
    )


def _moved_headers(headers: Headers, pattern: re.Pattern[str], caller: str, body: bytes) -> Headers:
    return tuple(
        (name, str(len(body)) if name.lower() == "content-length" else pattern.sub(caller, value))
        for name, value in headers
    )


class CassetteReplay(ContextDecorator):
    """A `responses` mock serving a cassette: a context manager and a decorator.

    While active, every request made through `requests` is answered by the
    `Replayer`; a request the cassette cannot answer raises `NoMatchingInteraction`
    naming the closest recorded request.
    """

    def __init__(self, replayer: Replayer) -> None:
        self.replayer = replayer
        self._adapter = ResponsesAdapter(replayer.handle)

    @property
    def journal(self) -> list[Exchange]:
        return self.replayer.journal

    def start(self) -> None:
        self._adapter.start()

    def stop(self) -> None:
        self._adapter.stop()

    def __enter__(self) -> CassetteReplay:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def replay_cassette(source: str | Path | Sequence[Exchange]) -> CassetteReplay:
    """A `responses` replay of a cassette file (or of exchanges already loaded)."""
    if isinstance(source, str | Path):
        return CassetteReplay(Replayer.from_file(source))
    return CassetteReplay(Replayer(source))
