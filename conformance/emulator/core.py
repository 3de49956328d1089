"""The transport-free core: `EnterpriseManagerEmulator.handle(request) -> response`.

Served three ways (an ASGI server, a `responses` mock, direct calls); all share this
object. One lock serialises requests, so racing clients see one consistent history.
A large listing is decided under the lock and rendered after it (see `wire.Deferred`),
so such a response may reach the journal after answers decided later.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from conformance.emulator.access import authenticate
from conformance.emulator.bodies import BodyCache, Template
from conformance.emulator.config import EmulatorConfig
from conformance.emulator.context import Context
from conformance.emulator.documents import error
from conformance.emulator.faults import FaultSet
from conformance.emulator.journal import Journal
from conformance.emulator.routing import resolve
from conformance.emulator.sessions import User
from conformance.emulator.state import State
from conformance.emulator.wire import Deferred, HttpError, Reply, encode
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse

__all__ = ["EnterpriseManagerEmulator", "Pending"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pending:
    """A request answered under the lock; `finish()` renders and journals its response.
    `deferred` says the rendering is long enough to run off an event loop."""

    finish: Callable[[], RecordedResponse]
    deferred: bool = False


class EnterpriseManagerEmulator:
    """A stateful Enterprise Manager: sessions, seeded jobs, asynchronous tasks, faults."""

    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        config = self.config
        self.journal = Journal(config.journal_limit, body_limit=config.journal_body_limit,
                               byte_limit=config.journal_bytes)  # fmt: skip
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
        return self.begin(request).finish()

    def begin(self, request: RecordedRequest) -> Pending:
        """Answer `request` under the lock; a large body is left for `Pending.finish` to
        render once the lock is released, so other clients are not held up meanwhile."""
        started = time.perf_counter()
        with self._lock:
            state = self._state
            context = Context.parse(request, state.clock.now(), state.faults)
            reply = self._reply(state, context)
            finish = functools.partial(self._finish, request, context, reply, state.faults, started)
            element = reply.element
            if isinstance(element, Deferred) and not self._held(element, context.json):
                return Pending(finish, deferred=True)
            response = finish()
        return Pending(lambda: response)

    def _held(self, deferred: Deferred, json: bool) -> bool:
        """A large listing whose bytes are cached costs nothing to answer: no deferring."""
        body = deferred.body
        return isinstance(body, Template) and self._bodies.holds(body, json)

    def _finish(self, request: RecordedRequest, context: Context, reply: Reply,
                faults: FaultSet, started: float) -> RecordedResponse:  # fmt: skip
        encoded = encode(reply, context.json, faults, self._bodies)
        response = RecordedResponse(encoded.status, encoded.headers, encoded.body,
                                    time.perf_counter() - started)  # fmt: skip
        self._journal(request, response, context)
        return response

    def _journal(
        self, request: RecordedRequest, response: RecordedResponse, context: Context
    ) -> None:
        session = context.session
        if session is not None:
            self.journal.record(Exchange(request, response), session.session_id, session.user.name)
        else:
            # No session and no success: nothing vouches for the sender, so its bodies
            # (an 8 MB body with a wrong password, say) are not worth keeping.
            self.journal.record(Exchange(request, response), keep_bodies=response.status < 300)

    @staticmethod
    def _reply(state: State, context: Context) -> Reply:
        try:
            return EnterpriseManagerEmulator._dispatch(state, context)
        except HttpError as refusal:
            return refusal.reply()
        except Exception:
            # A bug, never bad input: tests prove no request gets here.
            _log.exception("emulator failed on %s %s", context.method, context.request.url)
            return Reply(500, error(500, "Internal error in the emulator."), is_error=True)

    @staticmethod
    def _dispatch(state: State, context: Context) -> Reply:
        if state.tasks.settle(context.now):
            # An operation may have changed any job (a schedule toggled, a job removed).
            state.inventory.changed()
        state.sessions.sweep(context.now)
        endpoint, ids = resolve(state, context)
        if endpoint.authenticated:
            context.session = authenticate(state, context)
        return endpoint.handler(state, context, *ids)
