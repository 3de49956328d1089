"""Helpers the checks share: negotiation, tokens, bodies read leniently, failing clearly."""

from __future__ import annotations

import functools
from typing import Any, NoReturn

from conformance.checks.rule import Level
from conformance.checks.scope import Indexed, api_path
from conformance.checks.verdict import fail, skip_missing
from conformance.errors import BodyError
from conformance.exchange import Exchange, RecordedResponse, media_type
from conformance.model import EntityRef, ErrorBody, Task, parse_document
from conformance.protocol import JSON, XML, carried_token, negotiated_media, sends_token
from conformance.representations import (
    ValidationResult,
    qname,
    sniff_media_type,
    validate_body,
)

__all__ = [
    "body_kind",
    "carries_token",
    "describe",
    "error_of",
    "expected_media",
    "fail_invalid",
    "is_client_error",
    "is_error",
    "is_success",
    "job_ids_in",
    "last_segment",
    "media_kind",
    "require",
    "require_status",
    "require_valid",
    "session_of",
    "task_ids_in",
    "task_of",
]


def is_success(status: int) -> bool:
    return 200 <= status < 300


def is_client_error(status: int) -> bool:
    return 400 <= status < 500


def is_error(status: int) -> bool:
    return status >= 400


def expected_media(exchange: Exchange) -> str:
    """The media type the request negotiated (`protocol.negotiated_media`)."""
    return _negotiated(exchange.request.header("Accept"))


# Pure functions of a header value, asked about every exchange by several checks; a
# recording holds few distinct values, so a small cache answers nearly every call.
_negotiated = functools.lru_cache(maxsize=256)(negotiated_media)


@functools.lru_cache(maxsize=256)
def media_kind(value: str) -> str:
    """`xml`, `json` or '' for a media type such as `application/xml` or `text/xml`."""
    bare = media_type(value)
    if bare.endswith("/json") or bare.endswith("+json"):
        return "json"
    return "xml" if bare.endswith("/xml") or bare.endswith("+xml") else ""


def body_kind(body: bytes) -> str:
    return "json" if sniff_media_type(body) == JSON else "xml"


def carries_token(exchange: Exchange) -> bool:
    """Whether the request sent a session token, as the header or as the cookie."""
    return sends_token(exchange.request)


def describe(exchange: Exchange) -> str:
    """`DELETE /jobs/1 -> 404`, for Received messages."""
    request, response = exchange.request, exchange.response
    return f"{request.method} {api_path(request.url)} -> {response.status}"


def require(item: Indexed | None, what: str) -> Indexed:
    """The step a flow check needs, or a skip saying which step is missing."""
    if item is None:
        skip_missing(what)
    return item


def require_status(item: Indexed, expected: int | tuple[int, ...]) -> RecordedResponse:
    index, exchange = item
    wanted = expected if isinstance(expected, tuple) else (expected,)
    if exchange.response.status not in wanted:
        names = " or ".join(str(code) for code in wanted)
        fail(f"status {names}", describe(exchange), at=(index,))
    return exchange.response


def require_valid(item: Indexed, resource: str) -> Any:
    """The parsed body, after it validates as `resource` in its own media type."""
    index, exchange = item
    response = exchange.response
    result = validate_body(response.body, _media_of(response), resource)
    if not result.valid:
        fail_invalid(index, result)
    return parse_document(response.body, _media_of(response))


def fail_invalid(index: int, result: ValidationResult) -> NoReturn:
    """Fail on a body that breaks its schema, at SHOULD at most when every constraint it
    breaks is inferred or observed (DESIGN.md: levels follow evidence)."""
    violations = result.violations
    documented = [v for v in violations if v.documented]
    shown = (documented or list(violations))[:3]
    problems = "; ".join(
        f"{v} [{v.evidence.kind.value if v.evidence else 'structure'}]" for v in shown
    )
    cap = None if documented else Level.SHOULD
    expected = f"a valid {result.resource} ({result.media_type})"
    fail(expected, problems, at=(index,), cap=cap, constraints=violations)


def _media_of(response: RecordedResponse) -> str:
    kind = media_kind(response.media_type) or body_kind(response.body)
    return JSON if kind == "json" else XML


def task_of(item: Indexed) -> Task:
    """The Task in a response body, read leniently; an unreadable body fails the check."""
    index, exchange = item
    try:
        return Task.from_response(exchange.response)
    except BodyError as exc:
        fail("a Task body", str(exc), at=(index,))


def error_of(item: Indexed) -> ErrorBody:
    index, exchange = item
    try:
        return ErrorBody.from_body(exchange.response.body, _media_of(exchange.response))
    except BodyError as exc:
        fail("an Error body", str(exc), at=(index,))


def task_ids_in(item: Indexed) -> list[str]:
    """The TaskIds listed in a `Tasks` collection body."""
    index, exchange = item
    response = exchange.response
    try:
        document = parse_document(response.body, _media_of(response))
    except BodyError as exc:
        fail("a Tasks collection", str(exc), at=(index,))
    if isinstance(document, dict):
        tasks = document.get("Tasks") or []
        return [str(task.get("TaskId")) for task in tasks if isinstance(task, dict)]
    if isinstance(document, list):
        fail("a Tasks object", "a JSON array", at=(index,))
    return [Task.from_xml(task).task_id for task in document.iterfind(qname("Task"))]


def job_ids_in(item: Indexed) -> list[str]:
    """The job IDs (GUIDs) referenced by an `EntityReferences` collection body."""
    index, exchange = item
    response = exchange.response
    try:
        refs = EntityRef.list_from_body(response.body, _media_of(response))
    except (BodyError, AttributeError, TypeError) as exc:
        fail("an EntityReferences collection", str(exc), at=(index,))
    return [ref.id.lower() for ref in refs]


def last_segment(url: str) -> str:
    return api_path(url).rstrip("/").rsplit("/", 1)[-1]


def session_of(exchange: Exchange) -> str:
    """The session token a request sent (the cookie wins over the header, as on EM)."""
    return carried_token(exchange.request) or ""
