"""Access control: who the caller is (session token) and what their role allows."""

from __future__ import annotations

from conformance.emulator.context import Context
from conformance.emulator.fault_catalogue import AUTH_NOT_ENFORCED
from conformance.emulator.sessions import LATEST_VERSION, LogonSession
from conformance.emulator.state import State
from conformance.emulator.wire import HttpError

__all__ = ["ANONYMOUS_SESSION_ID", "authenticate", "require_administrator"]

# The session an unauthenticated caller borrows when the auth-not-enforced fault is on.
ANONYMOUS_SESSION_ID = "00000000-0000-0000-0000-000000000000"


def _anonymous(state: State, now: float) -> LogonSession:
    administrator = next(
        (user for user in state.config.users if user.is_administrator), state.config.users[0]
    )
    return LogonSession(ANONYMOUS_SESSION_ID, "", administrator, LATEST_VERSION, now)


def authenticate(state: State, context: Context) -> LogonSession:
    """The caller's live session, its idle timer restarted; 401 if there is none."""
    token = context.token(state.faults)
    session = state.sessions.authenticate(token, context.now) if token else None
    if session is not None:
        return session
    if state.faults.on(AUTH_NOT_ENFORCED):
        return _anonymous(state, context.now)
    if not token:
        raise HttpError(
            401,
            "Expected the X-RestSvcSessionId header (or cookie) of a logon session; received none.",
        )
    raise HttpError(
        401, "The X-RestSvcSessionId token is unknown, expired or logged out. Log on again."
    )


def require_administrator(session: LogonSession) -> None:
    """403 unless the caller is a Portal Administrator (authentication_and_security.html)."""
    if not session.user.is_administrator:
        raise HttpError(403, f"Access denied. The role {session.user.role} may not do this;"
                        " a Portal Administrator may.")  # fmt: skip
