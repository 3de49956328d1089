"""The entry point and logon sessions: GET /api/, POST /sessionMngr/, /logonSessions."""

from __future__ import annotations

from conformance.emulator.context import Context
from conformance.emulator.documents import enterprise_manager, logon_session, logon_sessions
from conformance.emulator.fault_catalogue import (
    LOGON_RETURNS_200,
    LOGOUT_TOKEN_STILL_VALID,
    NO_SESSION_COOKIE,
    NO_WWW_AUTHENTICATE,
    UNSUPPORTED_VERSION_ACCEPTED,
)
from conformance.emulator.sessions import (
    LATEST_VERSION,
    SUPPORTED_VERSIONS,
    LogonSession,
    parse_basic,
    resolve_version,
)
from conformance.emulator.state import State
from conformance.emulator.wire import HttpError, Reply, collection
from conformance.protocol import SESSION_HEADER, token_cookie

__all__ = ["delete_session", "get_entry", "get_session", "get_sessions", "log_on"]

_CHALLENGE = ("WWW-Authenticate", "Basic Realm=RestSvc")
_VERSIONS = ", ".join(("latest", *SUPPORTED_VERSIONS))


def get_entry(state: State, context: Context) -> Reply:
    return Reply(200, enterprise_manager(context.base))


def _refuse_logon(state: State, message: str) -> HttpError:
    headers = [] if state.faults.on(NO_WWW_AUTHENTICATE) else [_CHALLENGE]
    return HttpError(401, message, headers)


def _version(state: State, context: Context) -> str:
    # Clients log on at `/sessionMngr/` with no `v` and real servers take it as the
    # latest version (field notes), so only a version they name can be refused.
    requested = context.query.get("v", "latest")
    version = resolve_version(requested)
    if version is not None:
        return version
    if state.faults.on(UNSUPPORTED_VERSION_ACCEPTED):
        return LATEST_VERSION
    # 12a answers 401 to v1_4 (field notes), which clients mistook for bad credentials.
    raise _refuse_logon(
        state, f"API version {requested[:100]!r} is not supported; valid choices: {_VERSIONS}."
    )


def log_on(state: State, context: Context) -> Reply:
    """201 with the LogonSession; the token in X-RestSvcSessionId and in a cookie."""
    version = _version(state, context)
    credentials = parse_basic(context.request.header("Authorization"))
    if credentials is None:
        raise _refuse_logon(
            state, "Expected an Authorization: Basic header with a user name and password."
        )
    user = state.sessions.check_credentials(*credentials)
    if user is None:
        raise _refuse_logon(state, "Logon failed: unknown user name or bad password.")
    session = state.sessions.open(user, version, state.guid(), context.now)
    body = logon_session(context.base, session)
    headers = [
        (SESSION_HEADER, session.token),
        ("Location", f"{context.base}/logonSessions/{session.session_id}"),
    ]
    if not state.faults.on(NO_SESSION_COOKIE):
        headers.append(("Set-Cookie", f"{token_cookie(session.token)}; Path=/api"))
    status = 200 if state.faults.on(LOGON_RETURNS_200) else 201
    return Reply(status, body, headers)


def _visible(caller: LogonSession, session: LogonSession) -> bool:
    return caller.user.is_administrator or caller.session_id == session.session_id


def _find(state: State, context: Context, session_id: str) -> LogonSession:
    caller = context.session
    assert caller is not None
    found = state.sessions.get(session_id, context.now)
    if found is None or not _visible(caller, found):
        raise HttpError(404, f"No logon session with ID {session_id!r}.")
    return found


def get_sessions(state: State, context: Context) -> Reply:
    """A Portal Administrator sees every live session; anyone else only their own."""
    caller = context.session
    assert caller is not None
    sessions = state.sessions.active(context.now, lambda session: _visible(caller, session))
    base = context.base
    return Reply(200, collection(logon_sessions(base, sessions), len(sessions)))


def get_session(state: State, context: Context, session_id: str) -> Reply:
    return Reply(200, logon_session(context.base, _find(state, context, session_id)))


def delete_session(state: State, context: Context, session_id: str) -> Reply:
    """Log out: 204; the token stops working and the session's tasks are forgotten."""
    found = _find(state, context, session_id)
    if state.faults.on(LOGOUT_TOKEN_STILL_VALID):
        state.sessions.close(found, keep_token=True)
        return Reply(204)
    state.sessions.close(found)
    return Reply(204)
