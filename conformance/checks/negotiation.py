"""Negotiation and headers: Accept picks XML or JSON; Content-Type and Content-Length tell
the truth; JSON has no byte-order mark and PascalCase keys; XML and JSON twins agree."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from conformance.checks._support import (
    body_kind,
    expected_media,
    media_kind,
)
from conformance.checks.registry import check
from conformance.checks.rule import Level, rule_maker
from conformance.checks.scope import Each, Indexed, InFlow, Subject
from conformance.checks.steps import Label
from conformance.checks.verdict import fail, skip
from conformance.errors import BodyError
from conformance.exchange import Exchange
from conformance.protocol import JSON, XML, accepted_media
from conformance.representations import (
    UTF8_BOM,
    as_nested,
    element_to_json,
    json_differences,
    parse_json,
    parse_xml,
)

AREA = "negotiation"
_rule = rule_maker("NEG", AREA)
MUST, SHOULD = Level.MUST, Level.SHOULD
SPECIFICATIONS = "em_web_api_specifications.html"

XML_BY_DEFAULT = _rule(
    1, MUST, SPECIFICATIONS, "Without Accept, or with */* or application/xml, the body is XML."
)
JSON_ON_REQUEST = _rule(2, MUST, SPECIFICATIONS, "With Accept: application/json the body is JSON.")
JSON_ANYWHERE = _rule(
    3,
    SHOULD,
    SPECIFICATIONS,
    "An application/json entry anywhere in Accept gives JSON, as real servers do.",
)
CONTENT_TYPE = _rule(
    4,
    MUST,
    SPECIFICATIONS,
    "Every response with a body has a Content-Type matching the body actually sent.",
)
CONTENT_LENGTH = _rule(
    5,
    MUST,
    SPECIFICATIONS,
    "Every response with a body has a Content-Length equal to the body's length in bytes.",
)
NO_BOM = _rule(
    6,
    MUST,
    "https://www.rfc-editor.org/rfc/rfc8259#section-8.1",
    "JSON bodies do not start with a UTF-8 byte-order mark.",
)
PASCAL_CASE = _rule(
    7,
    MUST,
    "resource_representations.html",
    "Every JSON property name is PascalCase, as the documented JSON examples (not camelCase).",
)
NULL_NOT_NONE = _rule(
    8,
    SHOULD,
    "resource_representations.html",
    "JSON writes a missing value as null, never as the string 'None'.",
)
SAME_CONTENT = _rule(
    9,
    SHOULD,
    "resource_representations.html",
    "The XML and JSON representations of the same resource carry the same content.",
)

_PASCAL = re.compile(r"[A-Z][A-Za-z0-9]*")


def _has_body(exchange: Exchange) -> bool:
    return bool(exchange.response.body)


def _accepts(exchange: Exchange) -> set[str]:
    return set(accepted_media(exchange.request.header("Accept")))


def _require_kind(subject: Subject, wanted: str) -> None:
    response = subject.exchange.response
    declared, sent = media_kind(response.media_type), body_kind(response.body)
    if declared != wanted or sent != wanted:
        received = f"Content-Type {response.media_type or 'none'} with a {sent.upper()} body"
        fail(f"an {wanted.upper()} body declared as application/{wanted}", received)


@check(XML_BY_DEFAULT, Each(where=lambda e: _has_body(e) and expected_media(e) == XML))
def xml_without_json_accept(subject: Subject) -> None:
    _require_kind(subject, "xml")


@check(JSON_ON_REQUEST, Each(where=lambda e: _has_body(e) and _accepts(e) == {JSON}))
def json_on_json_accept(subject: Subject) -> None:
    _require_kind(subject, "json")


def _mixed_json(exchange: Exchange) -> bool:
    accepted = _accepts(exchange)
    return _has_body(exchange) and JSON in accepted and len(accepted) > 1


@check(JSON_ANYWHERE, Each(where=_mixed_json))
def json_on_mixed_accept(subject: Subject) -> None:
    _require_kind(subject, "json")


@check(CONTENT_TYPE, Each(where=_has_body))
def content_type_matches_body(subject: Subject) -> None:
    response = subject.exchange.response
    declared, sent = media_kind(response.media_type), body_kind(response.body)
    if declared != sent:
        fail(
            f"Content-Type application/{sent} for the {sent.upper()} body sent",
            f"Content-Type {response.media_type or 'none'}",
        )


@check(CONTENT_LENGTH, Each(where=_has_body))
def content_length_matches_body(subject: Subject) -> None:
    response = subject.exchange.response
    declared = response.header("Content-Length")
    if declared is None:
        fail(f"Content-Length: {len(response.body)}", "no Content-Length header")
    if declared.strip() != str(len(response.body)):
        fail(
            f"Content-Length: {len(response.body)} (the body's length)",
            f"Content-Length: {declared}",
        )


def _json_body(exchange: Exchange) -> bool:
    response = exchange.response
    return _has_body(exchange) and "json" in (
        media_kind(response.media_type),
        body_kind(response.body),
    )


@check(NO_BOM, Each(where=_json_body))
def json_without_bom(subject: Subject) -> None:
    if subject.exchange.response.body.startswith(UTF8_BOM):
        fail("JSON starting with '{' or '['", "a UTF-8 byte-order mark (EF BB BF) first")


def _keys(document: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    if isinstance(document, dict):
        for key, value in document.items():
            yield f"{path}.{key}", str(key)
            yield from _keys(value, f"{path}.{key}")
    elif isinstance(document, list):
        for index, item in enumerate(document):
            yield from _keys(item, f"{path}[{index}]")


def _values(document: Any, path: str = "$") -> Iterator[tuple[str, Any]]:
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _values(value, f"{path}.{key}")
    elif isinstance(document, list):
        for index, item in enumerate(document):
            yield from _values(item, f"{path}[{index}]")
    else:
        yield path, document


def _document(subject: Subject) -> Any:
    body = subject.exchange.response.body
    try:
        return parse_json(body.removeprefix(UTF8_BOM))
    except BodyError as exc:
        skip(f"the body is not JSON ({exc})")


@check(PASCAL_CASE, Each(where=_json_body))
def json_keys_pascal_case(subject: Subject) -> None:
    wrong = [path for path, key in _keys(_document(subject)) if not _PASCAL.fullmatch(key)]
    if wrong:
        fail("PascalCase property names (TaskId, Href)", ", ".join(wrong[:5]))


@check(NULL_NOT_NONE, Each(where=_json_body))
def json_null_not_none(subject: Subject) -> None:
    wrong = [path for path, value in _values(_document(subject)) if value == "None"]
    if wrong:
        fail("null for missing values", f"the string 'None' at {', '.join(wrong[:5])}")


def _twins(subject: Subject) -> Iterator[tuple[Indexed, Indexed]]:
    by_url: dict[str, dict[str, Indexed]] = {}
    for index, exchange in subject.labelled(Label.TWIN):
        if exchange.response.status == 200:
            kind = body_kind(exchange.response.body)
            by_url.setdefault(exchange.request.url, {})[kind] = (index, exchange)
    for pair in by_url.values():
        if "xml" in pair and "json" in pair:
            yield pair["xml"], pair["json"]


def _compare(xml: Indexed, json: Indexed) -> list[str]:
    expected = element_to_json(parse_xml(xml[1].response.body))
    # Both known JSON forms of SupportedVersions carry the XML's content (variants.py).
    return json_differences(expected, as_nested(parse_json(json[1].response.body)))


@check(SAME_CONTENT, InFlow("negotiation"))
def xml_and_json_agree(subject: Subject) -> str:
    pairs = list(_twins(subject))
    if not pairs:
        skip("the negotiation flow recorded no XML and JSON twin of one resource")
    for xml, json in pairs:
        differences = _compare(xml, json)
        if differences:
            fail(
                "the JSON twin to carry the XML's content",
                "; ".join(differences[:3]),
                at=(xml[0], json[0]),
            )
    return f"{len(pairs)} resources compared"
