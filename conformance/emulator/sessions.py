"""Users, roles and logon sessions: Basic logon, tokens, sliding idle timeout, logout."""

from __future__ import annotations

import base64
import binascii
import secrets
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "DEFAULT_USERS",
    "PORTAL_ADMINISTRATOR",
    "RESTORE_OPERATOR",
    "SUPPORTED_VERSIONS",
    "LogonSession",
    "SessionStore",
    "User",
    "parse_basic",
]

PORTAL_ADMINISTRATOR = "Portal Administrator"
RESTORE_OPERATOR = "Restore Operator"
PORTAL_USER = "Portal User"

# 12.x and 13 list v1_5..v1_7; `latest` resolves to v1_7 (em_web_api_versions.html).
SUPPORTED_VERSIONS = ("v1_5", "v1_6", "v1_7")
LATEST_VERSION = "v1_7"


@dataclass(frozen=True)
class User:
    """An account holding an Enterprise Manager role."""

    name: str
    password: str
    role: str = PORTAL_ADMINISTRATOR
    domain: str = "EMULATOR"

    @property
    def user_name(self) -> str:
        """The account as EM prints it in LogonSession/UserName (`DOMAIN\\name`)."""
        return f"{self.domain}\\{self.name}"

    @property
    def is_administrator(self) -> bool:
        return self.role == PORTAL_ADMINISTRATOR


DEFAULT_USERS = (
    User("administrator", "Veeam123!", PORTAL_ADMINISTRATOR),
    User("operator", "Veeam123!", RESTORE_OPERATOR),
)


@dataclass
class LogonSession:
    """One logon: its GUID, the token that stands for it, and when it was last used."""

    session_id: str
    token: str
    user: User
    version: str
    last_seen: float


def parse_basic(header: str | None) -> tuple[str, str] | None:
    """User name and password from an `Authorization: Basic ...` value, or None."""
    scheme, _, encoded = (header or "").strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    name, colon, password = decoded.partition(":")
    return (name, password) if colon else None


def resolve_version(requested: str | None) -> str | None:
    """The API version a `v=` value selects, or None when it is not supported."""
    if requested == "latest":
        return LATEST_VERSION
    return requested if requested in SUPPORTED_VERSIONS else None


def _new_token() -> str:
    # Tokens are base64 text, never the SessionId GUID (http_authentication.html examples).
    return base64.b64encode(secrets.token_bytes(16)).decode("ascii")


class SessionStore:
    """Live logon sessions, by token and by SessionId; callers hold the emulator's lock.

    Sessions are kept least recently used first (the clock never goes backwards), so
    the expired ones are always at the front: `sweep` purges them in time proportional
    to their number, and past `limit` sessions a logon evicts the longest idle one.
    `on_close` hears the SessionId of every session that ends, to forget its tasks.
    """

    def __init__(self, users: tuple[User, ...], idle_timeout: float | None,
                 limit: int | None = None, on_close: Callable[[str], None] | None = None) -> None:  # fmt: skip
        self._users = {user.name.lower(): user for user in users}
        self._idle_timeout = idle_timeout
        self._limit = limit
        self._on_close = on_close
        self._by_token: dict[str, LogonSession] = {}
        self._by_id: OrderedDict[str, LogonSession] = OrderedDict()

    def __len__(self) -> int:
        return len(self._by_id)

    def check_credentials(self, name: str, password: str) -> User | None:
        user = self._users.get(name.lower())
        if user is None or not secrets.compare_digest(user.password, password):
            return None
        return user

    def open(self, user: User, version: str, session_id: str, now: float) -> LogonSession:
        """A new session; the longest idle one is evicted first if the store is full."""
        self.sweep(now)
        while self._limit is not None and self._by_id and len(self._by_id) >= self._limit:
            self.close(next(iter(self._by_id.values())))
        session = LogonSession(session_id, _new_token(), user, version, now)
        self._by_token[session.token] = session
        self._by_id[session.session_id] = session
        return session

    def _expired(self, session: LogonSession, now: float) -> bool:
        return self._idle_timeout is not None and now - session.last_seen > self._idle_timeout

    def sweep(self, now: float) -> None:
        """Close every session idle past the timeout (they are all at the front)."""
        while self._by_id:
            oldest = next(iter(self._by_id.values()))
            if not self._expired(oldest, now):
                return
            self.close(oldest)

    def authenticate(self, token: str, now: float) -> LogonSession | None:
        """The session of `token`, its idle timer restarted; None if unknown or expired."""
        session = self._by_token.get(token)
        if session is None:
            return None
        if self._expired(session, now):
            self.close(session)
            return None
        session.last_seen = now
        if session.session_id in self._by_id:  # not so for a token kept past logout (fault)
            self._by_id.move_to_end(session.session_id)
        return session

    def get(self, session_id: str, now: float) -> LogonSession | None:
        session = self._by_id.get(session_id.lower())
        return None if session is None or self._expired(session, now) else session

    def close(self, session: LogonSession, *, keep_token: bool = False) -> None:
        """End `session`; with `keep_token` (a fault) its token still works and its tasks stay."""
        self._by_id.pop(session.session_id, None)
        if keep_token:
            return
        self._by_token.pop(session.token, None)
        if self._on_close is not None:
            self._on_close(session.session_id)

    def active(self, now: float, visible: Callable[[LogonSession], bool]) -> list[LogonSession]:
        """Unexpired sessions that `visible` admits, least recently used first."""
        self.sweep(now)
        return [session for session in self._by_id.values() if visible(session)]
