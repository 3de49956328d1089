"""uvicorn's h11 protocol with a deadline on every request, against slow and idle sockets.

uvicorn 0.54 times out a keep-alive connection only while it is idle after a response,
and any byte received cancels that timer: a client that connects and sends nothing, or
trickles its headers a byte a second (slowloris), holds its socket for ever. Here each
request must arrive in full, headers and body, within `request_timeout` seconds of the
moment the connection is ready for it; otherwise the connection is closed. The size of
the headers is bounded by h11 (`h11_max_incomplete_event_size`, see server.py).
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["deadline_protocol"]

# States of the client's side in which the server is still waiting for it to send.
_WAITING = (h11.IDLE, h11.SEND_BODY)


class _DeadlineH11Protocol(H11Protocol):
    request_timeout = 30.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.request_timeout, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        # A request that arrived in full is being answered: that is not the client's delay.
        if self.conn.their_state in _WAITING and not self.transport.is_closing():
            self.transport.close()


def deadline_protocol(request_timeout: float) -> type[H11Protocol]:
    """The protocol class to give uvicorn (`http=`), with this deadline in seconds."""

    class DeadlineH11Protocol(_DeadlineH11Protocol):
        pass

    DeadlineH11Protocol.request_timeout = request_timeout
    return DeadlineH11Protocol
