"""Representation: every successful body validates against the schema of its operation,
and which known form of an undocumented JSON shape a server sends is reported."""

from __future__ import annotations

from conformance.checks._support import body_kind, media_kind, require_valid
from conformance.checks.registry import check
from conformance.checks.rule import Level, rule_maker
from conformance.checks.scope import Each, Subject, path_matches
from conformance.checks.verdict import fail, skip
from conformance.errors import BodyError
from conformance.exchange import Exchange, RecordedRequest
from conformance.protocol import JSON
from conformance.representations import parse_json, supported_versions_form
from conformance.views import view

AREA = "representation"
_rule = rule_maker("REPR", AREA)

VALID_BODY = _rule(
    1,
    Level.MUST,
    "resource_representations.html",
    "Every 200 body of a GET in scope is valid against its XSD or JSON Schema.",
)
SUPPORTED_VERSIONS_FORM = _rule(
    2,
    Level.INFO,
    "http_authentication.html",
    "Which JSON form of SupportedVersions GET /api/ sends: a flat array or a nested wrapper.",
)

# (path template, resource, resource with ?format=Entity or None when no schema covers it)
RESOURCES = (
    ("/", "EnterpriseManager", None),
    ("/logonSessions", "LogonSessions", None),
    ("/logonSessions/{id}", "LogonSession", None),
    ("/jobs", "EntityReferences", "Jobs"),
    ("/jobs/{id}", "EntityRef", "Job"),
    ("/jobs/{id}/backupSessions", "EntityReferences", "BackupJobSessions"),
    ("/tasks", "Tasks", None),
    ("/tasks/{id}", "Task", None),
    ("/nas/jobs", "EntityReferences", None),
    ("/nas/jobs/{id}", "EntityRef", None),
    ("/agents/jobs", "EntityReferences", None),
    ("/agents/jobs/{id}", "EntityRef", None),
)


_ENTITY = ("entity", "entities")


def resource_of(exchange: Exchange) -> str | None:
    """The resource a GET in scope returns, or None when no schema covers it."""
    return _resource_at(exchange.request)[1]


def _resource_at(request: RecordedRequest) -> tuple[bool, str | None]:
    """Whether the URL is in scope, and its resource: once per URL while judging."""
    return view(request.url, "resource", lambda: _resource_of_url(request))


def _resource_of_url(request: RecordedRequest) -> tuple[bool, str | None]:
    for template, reference, entity in RESOURCES:
        if path_matches(template, request.url):
            # Any case, and `Entities`, as real clients send and servers answer (field notes).
            wants_entity = request.query.get("format", "").lower() in _ENTITY
            return True, entity if wants_entity else reference
    return False, None


def _in_scope(exchange: Exchange) -> bool:
    request = exchange.request
    return request.method == "GET" and exchange.response.status == 200 and _resource_at(request)[0]


@check(VALID_BODY, Each(where=_in_scope))
def body_matches_schema(subject: Subject) -> None:
    resource = resource_of(subject.exchange)
    if resource is None:
        skip("no schema covers the entity form of this resource")
    require_valid(subject.items[0], resource)


def _json_entry_point(exchange: Exchange) -> bool:
    response = exchange.response
    kind = media_kind(response.media_type) or body_kind(response.body)
    return response.status == 200 and kind == media_kind(JSON)


@check(SUPPORTED_VERSIONS_FORM, Each(method="GET", path="/", where=_json_entry_point))
def supported_versions_form_seen(subject: Subject) -> str:
    try:
        form = supported_versions_form(parse_json(subject.exchange.response.body))
    except BodyError as exc:
        fail("a JSON EnterpriseManager", str(exc))
    if form is None:
        fail(
            'SupportedVersions as [{"Name": ...}] or {"SupportedVersions": [...]}',
            "neither form",
        )
    return f"SupportedVersions as a {form}"
