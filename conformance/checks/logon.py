"""Logon and logout: the entry point, `POST /sessionMngr/`, the token, and logging out."""

from __future__ import annotations

from conformance.checks._support import (
    describe,
    is_success,
    require_status,
    require_valid,
)
from conformance.checks.registry import check
from conformance.checks.rule import Level, rule_maker
from conformance.checks.scope import Each, Subject, api_path
from conformance.checks.steps import Label, TokenProbe
from conformance.checks.verdict import fail
from conformance.exchange import Exchange
from conformance.model import LogonSession
from conformance.protocol import SESSION_HEADER, XML

AREA = "logon"
_rule = rule_maker("LOGON", AREA)
MUST, SHOULD = Level.MUST, Level.SHOULD

ENTRY_POINT = _rule(
    1,
    MUST,
    "http_authentication.html",
    "GET /api/ needs no token and answers 200 with an EnterpriseManager body.",
)
LOGON_CREATED = _rule(
    2, MUST, "post_sessionmngr.html", "A logon with valid Basic credentials answers 201 Created."
)
TOKEN_HEADER = _rule(
    3,
    MUST,
    "http_authentication.html",
    "The 201 logon response carries the token in the X-RestSvcSessionId header.",
)
TOKEN_COOKIE = _rule(
    4,
    MUST,
    "http_authentication.html",
    "The 201 logon response sets the same token as cookie X-RestSvcSessionId with Path=/api.",
)
LOGON_BODY = _rule(
    5, MUST, "post_sessionmngr.html", "The 201 logon response body is a valid LogonSession."
)
LOGON_LINKS = _rule(
    6,
    SHOULD,
    "logging_on.html",
    "The LogonSession's SessionId ends its Href, and it has a Delete link to itself.",
)
BAD_CREDENTIALS = _rule(
    7,
    MUST,
    "http_authentication.html",
    "Bad Basic credentials at logon get 401 with a WWW-Authenticate: Basic challenge.",
)
LOGOUT = _rule(
    8,
    MUST,
    "delete_loginsessions_id.html",
    "DELETE /logonSessions/{ID} of one's own session answers 204 No Content.",
)
LOGGED_OUT_TOKEN = _rule(
    9,
    MUST,
    "http_response_codes.html",
    "A token whose logon session was deleted is refused with 401.",
)
OLD_VERSION = _rule(
    10,
    SHOULD,
    "logging_on.html",
    "A logon asking for an unsupported API version (v=v1_4) is refused with 401, as 12a does.",
)
COOKIE_ONLY = _rule(
    11,
    SHOULD,
    "http_authentication.html",
    "A request that sends the token only as the cookie is accepted.",
)

COOKIE_WINS = _rule(
    12,
    MUST,
    "http_authentication.html",
    "When header and cookie both carry a token, the cookie wins.",
)
IDLE_EXPIRY = _rule(
    13,
    MUST,
    "http_authentication.html",
    "A session idle for more than 15 minutes is refused with 401.",
)


def _logon(exchange: Exchange) -> bool:
    return exchange.label == Label.LOGON or is_success(exchange.response.status)


@check(ENTRY_POINT, Each(method="GET", path="/"))
def entry_point_answers(subject: Subject) -> None:
    require_status(subject.items[0], 200)
    require_valid(subject.items[0], "EnterpriseManager")


@check(LOGON_CREATED, Each(method="POST", path="/sessionMngr/", where=_logon))
def logon_answers_201(subject: Subject) -> None:
    require_status(subject.items[0], 201)


@check(TOKEN_HEADER, Each(method="POST", path="/sessionMngr/", status=lambda s: s == 201))
def logon_returns_token_header(subject: Subject) -> None:
    if not subject.exchange.response.header(SESSION_HEADER):
        fail(f"a {SESSION_HEADER} response header", "none")


def _token_cookie(exchange: Exchange) -> str | None:
    prefix = SESSION_HEADER.lower() + "="
    cookies = exchange.response.header_values("Set-Cookie")
    return next((c for c in cookies if c.strip().lower().startswith(prefix)), None)


def _cookie_attributes(cookie: str) -> tuple[str, dict[str, str]]:
    first, *rest = (part.strip() for part in cookie.split(";"))
    attributes = dict(part.partition("=")[::2] for part in rest if part)
    return first.partition("=")[2], {key.lower(): value for key, value in attributes.items()}


@check(TOKEN_COOKIE, Each(method="POST", path="/sessionMngr/", status=lambda s: s == 201))
def logon_sets_token_cookie(subject: Subject) -> None:
    cookie = _token_cookie(subject.exchange)
    if cookie is None:
        fail(f"Set-Cookie: {SESSION_HEADER}=<token>; Path=/api", "no such cookie")
    value, attributes = _cookie_attributes(cookie)
    if value != subject.exchange.response.header(SESSION_HEADER):
        fail(f"the cookie value equal to the {SESSION_HEADER} header", "a different value")
    if attributes.get("path", "").rstrip("/") != "/api":
        fail("cookie attribute Path=/api", f"Path={attributes.get('path', '(none)')}")


@check(LOGON_BODY, Each(method="POST", path="/sessionMngr/", status=lambda s: s == 201))
def logon_body_is_logon_session(subject: Subject) -> None:
    require_valid(subject.items[0], "LogonSession")


@check(LOGON_LINKS, Each(method="POST", path="/sessionMngr/", status=lambda s: s == 201))
def logon_session_links_itself(subject: Subject) -> None:
    response = subject.exchange.response
    session = LogonSession.from_body(response.body, response.media_type or XML)
    if not session.session_id or not session.href.rstrip("/").endswith("/" + session.session_id):
        fail(
            "a SessionId equal to the last segment of Href",
            f"SessionId {session.session_id!r}, Href {session.href!r}",
        )
    delete = session.link("Delete")
    if delete is None or delete.href != session.href:
        received = "no Delete link" if delete is None else f"a Delete link to {delete.href}"
        fail(f"a Delete link to {session.href}", received)


@check(
    BAD_CREDENTIALS, Each(method="POST", path="/sessionMngr/", label=Label.LOGON_BAD_CREDENTIALS)
)
def bad_credentials_challenge(subject: Subject) -> None:
    response = require_status(subject.items[0], 401)
    challenge = response.header("WWW-Authenticate") or ""
    if not challenge.lower().startswith("basic"):
        fail("WWW-Authenticate: Basic Realm=RestSvc", challenge or "no WWW-Authenticate header")


def _logout(exchange: Exchange) -> bool:
    return exchange.label == Label.LOGOUT or is_success(exchange.response.status)


@check(LOGOUT, Each(method="DELETE", path="/logonSessions/{id}", where=_logout))
def logout_answers_204(subject: Subject) -> None:
    require_status(subject.items[0], 204)


@check(LOGGED_OUT_TOKEN, Each(tag=TokenProbe.LOGGED_OUT))
def logged_out_token_refused(subject: Subject) -> None:
    require_status(subject.items[0], 401)


@check(
    OLD_VERSION, Each(method="POST", path="/sessionMngr/", label=Label.LOGON_UNSUPPORTED_VERSION)
)
def unsupported_version_refused(subject: Subject) -> None:
    require_status(subject.items[0], 401)


@check(COOKIE_ONLY, Each(label=Label.COOKIE_ONLY))
def cookie_token_accepted(subject: Subject) -> str:
    response = subject.exchange.response
    if not is_success(response.status):
        fail(
            "a 2xx answer to a request carrying the token only as a cookie",
            describe(subject.exchange),
        )
    return f"{api_path(subject.exchange.request.url)} answered {response.status}"


@check(COOKIE_WINS, Each(label=Label.COOKIE_WINS))
def cookie_wins_over_header(subject: Subject) -> None:
    if not is_success(subject.exchange.response.status):
        expected = "a 2xx answer: a valid cookie with a bogus header (the cookie wins)"
        fail(expected, describe(subject.exchange))


@check(IDLE_EXPIRY, Each(tag=TokenProbe.EXPIRED))
def idle_session_expires(subject: Subject) -> None:
    require_status(subject.items[0], 401)
