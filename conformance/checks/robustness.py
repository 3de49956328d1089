"""Robustness: unknown and malformed IDs and wrong methods get 4xx with an Error body,
every error carries a valid Error, and nothing in scope answers 5xx."""

from __future__ import annotations

from conformance.checks._support import (
    describe,
    error_of,
    expected_media,
    media_kind,
    require_status,
    require_valid,
)
from conformance.checks.registry import check
from conformance.checks.rule import Level, rule_maker
from conformance.checks.scope import Each, Subject
from conformance.checks.steps import Label, Probe
from conformance.checks.verdict import fail
from conformance.exchange import Exchange

AREA = "robustness"
_rule = rule_maker("ERR", AREA)
MUST, SHOULD = Level.MUST, Level.SHOULD
CODES = "http_response_codes.html"

UNKNOWN_ID = _rule(1, MUST, CODES, "An unknown job or task ID gets 404 (or 400), never 5xx.")
MALFORMED_ID = _rule(2, MUST, CODES, "A malformed job or task ID gets 400 or 404, never 5xx.")
# SHOULD, not MUST: it rests on the generic status table only (grounds.WRONG_METHOD_LEVEL).
WRONG_METHOD = _rule(3, SHOULD, CODES, "A method the resource does not support gets 405.")
ERROR_BODY = _rule(4, MUST, CODES, "Every 4xx and 5xx response carries a valid Error body.")
ERROR_FORMAT = _rule(5, SHOULD, CODES, "An Error body comes in the negotiated format.")
STATUS_CODE = _rule(6, SHOULD, CODES, "An Error's StatusCode equals the HTTP status.")
NO_SERVER_ERROR = _rule(7, SHOULD, CODES, "No request of the suite gets a 5xx answer.")


@check(UNKNOWN_ID, Each(tag=Probe.UNKNOWN_ID))
def unknown_id_not_found(subject: Subject) -> None:
    require_status(subject.items[0], (404, 400))


@check(MALFORMED_ID, Each(tag=Probe.MALFORMED_ID))
def malformed_id_refused(subject: Subject) -> None:
    require_status(subject.items[0], (400, 404))


@check(WRONG_METHOD, Each(tag=Probe.WRONG_METHOD))
def wrong_method_not_allowed(subject: Subject) -> None:
    require_status(subject.items[0], 405)


def _error(exchange: Exchange) -> bool:
    # A 401 is judged by EM-AUTHZ-004; HEAD answers never carry a body.
    status = exchange.response.status
    return status >= 400 and status != 401 and exchange.request.method != "HEAD"


@check(ERROR_BODY, Each(where=_error))
def error_has_error_body(subject: Subject) -> None:
    if not subject.exchange.response.body:
        fail(f"an Error body with the {subject.exchange.response.status}", "an empty body")
    require_valid(subject.items[0], "Error")


@check(ERROR_FORMAT, Each(where=lambda e: e.response.status >= 400 and bool(e.response.body)))
def error_in_negotiated_format(subject: Subject) -> None:
    wanted = media_kind(expected_media(subject.exchange))
    declared = subject.exchange.response.media_type
    if media_kind(declared) != wanted:
        fail(f"an Error in {wanted.upper()}", f"Content-Type {declared or 'none'}")


@check(STATUS_CODE, Each(where=lambda e: e.response.status >= 400 and bool(e.response.body)))
def error_status_code_matches(subject: Subject) -> None:
    status = subject.exchange.response.status
    error = error_of(subject.items[0])
    if error.status_code != status:
        fail(f"StatusCode {status}", f"StatusCode {error.status_code}")


# Another session's task: real 12.x servers answer 500 (field notes); EM-ISO judges it.
_ISOLATION_PROBES = frozenset({Label.OTHER_GET_TASK, Label.OTHER_DELETE_TASK})


@check(NO_SERVER_ERROR, Each(where=lambda e: e.label not in _ISOLATION_PROBES))
def no_server_error(subject: Subject) -> None:
    if subject.exchange.response.status >= 500:
        fail("a 2xx or 4xx answer", describe(subject.exchange))
