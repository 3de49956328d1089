"""The transport-free core: `EnterpriseManagerEmulator.handle(request) -> response`.

Served three ways (an ASGI server, a `responses` mock, direct calls); all share this
object. One lock serialises requests, so racing clients see one consistent history.
"""

from __future__ import annotations

import logging
import threading
import time

from conformance.emulator.access import authenticate
from conformance.emulator.bodies import BodyCache
from conformance.emulator.config import EmulatorConfig
from conformance.emulator.context import Context
from conformance.emulator.journal import Journal
from conformance.emulator.render import error
from conformance.emulator.routing import resolve
from conformance.emulator.sessions import User
from conformance.emulator.state import State
from conformance.emulator.wire import HttpError, Reply, encode
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse

__all__ = ["EnterpriseManagerEmulator"]

_log = logging.getLogger(__name__)


class EnterpriseManagerEmulator:
    """A stateful Enterprise Manager: sessions, seeded jobs, asynchronous tasks, faults."""

    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.journal = Journal(self.config.journal_limit)
        self._lock = threading.RLock()
        self._state = State(self.config)
        self._bodies = BodyCache()

    @property
    def state(self) -> State:
        """The live state, for tests that look behind the wire (hold no reference across reset)."""
        return self._state

    @property
    def users(self) -> tuple[User, ...]:
        return self.config.users

    def reset(self) -> None:
        """Back to the freshly seeded state: same jobs, no sessions, no tasks, empty journal."""
        with self._lock:
            self._state = State(self.config)
            self._bodies.clear()
            self.journal.clear()

    def handle(self, request: RecordedRequest) -> RecordedResponse:
        """Answer one request, as a real Enterprise Manager would, and journal the exchange."""
        started = time.perf_counter()
        with self._lock:
            context = Context.parse(request, self._state.clock.now(), self._state.faults)
            response = self._respond(context)
            response = RecordedResponse(response.status, response.headers, response.body,
                                        time.perf_counter() - started)  # fmt: skip
            self._journal(request, response, context)
        return response

    def _journal(
        self, request: RecordedRequest, response: RecordedResponse, context: Context
    ) -> None:
        session = context.session
        if session is None:
            self.journal.record(Exchange(request, response))
        else:
            self.journal.record(Exchange(request, response), session.session_id, session.user.name)

    def _respond(self, context: Context) -> RecordedResponse:
        state = self._state
        try:
            reply = self._dispatch(state, context)
        except HttpError as refusal:
            reply = refusal.reply()
        except Exception:
            # A bug, never bad input: tests prove no request gets here.
            _log.exception("emulator failed on %s %s", context.method, context.request.url)
            reply = Reply(500, error(500, "Internal error in the emulator."), is_error=True)
        return encode(reply, context.json, state.faults, self._bodies)

    @staticmethod
    def _dispatch(state: State, context: Context) -> Reply:
        state.tasks.settle(context.now)
        endpoint, ids = resolve(state, context)
        if endpoint.authenticated:
            context.session = authenticate(state, context)
        return endpoint.handler(state, context, *ids)
