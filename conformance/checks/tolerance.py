"""Tolerance: request forms real clients send and real servers answer, though no page
documents them (field notes, "What real clients send"). Observed, so SHOULD at most."""

from __future__ import annotations

from typing import Any

from conformance.checks._support import describe, media_kind, require
from conformance.checks.registry import check
from conformance.checks.rule import Level, rule_maker
from conformance.checks.scope import Indexed, InFlow, Subject, api_path
from conformance.checks.steps import Label
from conformance.checks.verdict import fail, skip
from conformance.errors import BodyError
from conformance.exchange import Exchange
from conformance.model import parse_document
from conformance.protocol import JSON
from conformance.representations import local_name

AREA = "tolerance"
_rule = rule_maker("TOL", AREA)
SHOULD = Level.SHOULD

LOWERCASE_FORMAT = _rule(
    1,
    SHOULD,
    "format.html",
    "A lower-case format=entity is answered like format=Entity (observed: Nutanix Calm"
    " reads jobs so before deleting them).",
)


def _shape(exchange: Exchange) -> str:
    """What kind of representation a body is: its root element and `Type` (XML) or its
    `Type` property (JSON); '' for a body that is neither."""
    response = exchange.response
    json = media_kind(response.media_type) == "json"
    try:
        document: Any = parse_document(response.body, JSON if json else "")
    except BodyError:
        return ""
    if isinstance(document, dict):
        return str(document.get("Type", ""))
    if json:
        return ""
    return f"{local_name(document)} Type={document.get('Type', '')}"


def _reference(subject: Subject, lower: Exchange) -> Indexed:
    """The same resource asked for with `format=Entity` in the same format."""
    path, accept = api_path(lower.request.url), lower.request.header("Accept")

    def alike(exchange: Exchange) -> bool:
        request = exchange.request
        same = api_path(request.url) == path and request.header("Accept") == accept
        return same and request.query.get("format") == "Entity"

    found = next((item for item in subject.items if alike(item[1])), None)
    return require(found, f"GET {path}?format=Entity to compare with")


@check(LOWERCASE_FORMAT, InFlow("negotiation"))
def lowercase_format_answered(subject: Subject) -> str:
    index, lower = require(subject.first(Label.GET_JOB_FORMAT_LOWERCASE),
                           Label.GET_JOB_FORMAT_LOWERCASE)  # fmt: skip
    _, entity = _reference(subject, lower)
    if entity.response.status != 200:
        skip(f"format=Entity itself was not answered 200 ({describe(entity)})")
    wanted = _shape(entity)
    if lower.response.status != 200 or _shape(lower) != wanted:
        received = f"{describe(lower)} with {_shape(lower) or 'no readable representation'}"
        fail(f"200 with {wanted}, as for format=Entity", received, at=(index,))
    return f"format=entity answered 200 with {wanted}"
