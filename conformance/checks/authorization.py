"""Authorization: every operation in scope refuses a missing or bad token with 401 and an Error."""

from __future__ import annotations

from conformance.checks._support import (
    carries_token,
    expected_media,
    media_kind,
    require_status,
    require_valid,
)
from conformance.checks.registry import check
from conformance.checks.rule import Level, rule_maker
from conformance.checks.scope import Each, Subject, path_matches
from conformance.checks.steps import TokenProbe
from conformance.checks.verdict import fail
from conformance.exchange import Exchange
from conformance.views import view

AREA = "authorization"
_rule = rule_maker("AUTHZ", AREA)
MUST = Level.MUST

# The operations of specs/ that need a session token: all but GET / and the logon itself.
PROTECTED_PATHS = (
    "/logonSessions",
    "/logonSessions/{id}",
    "/jobs",
    "/jobs/{id}",
    "/jobs/{id}/backupSessions",
    "/tasks",
    "/tasks/{id}",
    "/nas/jobs",
    "/nas/jobs/{id}",
    "/agents/jobs",
    "/agents/jobs/{id}",
)

NO_TOKEN = _rule(
    1,
    MUST,
    "http_response_codes.html",
    "A request without a session token, on any operation but GET / and logon, gets 401.",
)
MALFORMED_TOKEN = _rule(
    2, MUST, "http_response_codes.html", "A request with a malformed session token gets 401."
)
UNKNOWN_TOKEN = _rule(
    3,
    MUST,
    "http_response_codes.html",
    "A request with a well-formed token that was never issued gets 401.",
)
ERROR_ON_401 = _rule(
    4, MUST, "http_response_codes.html", "Every 401 carries an Error body in the negotiated format."
)


def protected(exchange: Exchange) -> bool:
    url = exchange.request.url
    return view(url, "protected", lambda: any(path_matches(t, url) for t in PROTECTED_PATHS))


def _tokenless(exchange: Exchange) -> bool:
    return protected(exchange) and not carries_token(exchange)


@check(NO_TOKEN, Each(where=_tokenless))
def missing_token_refused(subject: Subject) -> None:
    require_status(subject.items[0], 401)


@check(MALFORMED_TOKEN, Each(tag=TokenProbe.MALFORMED))
def malformed_token_refused(subject: Subject) -> None:
    require_status(subject.items[0], 401)


@check(UNKNOWN_TOKEN, Each(tag=TokenProbe.UNKNOWN))
def unknown_token_refused(subject: Subject) -> None:
    require_status(subject.items[0], 401)


@check(ERROR_ON_401, Each(status=lambda status: status == 401))
def unauthorized_carries_error(subject: Subject) -> None:
    response = subject.exchange.response
    wanted = media_kind(expected_media(subject.exchange))
    if media_kind(response.media_type) != wanted:
        fail(f"an Error body in {wanted.upper()}", f"Content-Type {response.media_type or 'none'}")
    require_valid(subject.items[0], "Error")
