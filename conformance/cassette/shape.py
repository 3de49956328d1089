"""Body shapes: the element, attribute and key paths of a body, with JSON value types.

A shape is what a contract fixes and a run does not: `$.Links[].Rel` is there and is
a string, whatever the link says.  Comparing shapes across an upgrade shows a renamed
key (EM 13's camelCase JSON), a vanished element or a boolean that became the string
"None" (field notes), without being fooled by new IDs or timestamps.

XML values carry no type, so an XML shape is its paths alone.  Elements outside the
EM namespace are written with their namespace, so a namespace change is a new path.
"""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

from conformance.errors import BodyError
from conformance.representations.jsoncodec import parse_json
from conformance.representations.xmlcodec import NS, parse_xml

__all__ = ["ENUMERATED", "Shape", "Values", "body_shape", "body_values", "json_type"]

Shape = dict[str, frozenset[str]]
"""Path -> the set of JSON types seen there (empty for XML paths)."""

Values = dict[str, set[str]]
"""Path -> the values seen there, for enumerated keys only."""

# Keys whose values are a vocabulary a client compares against (em-api-facts: Task
# State Running/OperationFinished/Finished, link Rel, resource Type, Result Success,
# SupportedVersion Name), not data that differs by run.
ENUMERATED = frozenset({"state", "operation", "rel", "type", "success", "name"})
# `Name` is a vocabulary only under SupportedVersion; elsewhere it names a job.
_NAME_PARENT = "supportedversion"


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _walk_json(value: Any, path: str, shape: dict[str, set[str]]) -> None:
    shape.setdefault(path, set()).add(json_type(value))
    if isinstance(value, dict):
        for key, item in value.items():
            _walk_json(item, f"{path}.{key}", shape)
    elif isinstance(value, list):
        for item in value:
            _walk_json(item, f"{path}[]", shape)


def _step(element: etree._Element) -> str:
    name = etree.QName(element)
    return (
        name.localname if name.namespace in (NS, None) else f"{{{name.namespace}}}{name.localname}"
    )


def _walk_xml(element: etree._Element, path: str, shape: dict[str, set[str]]) -> None:
    here = f"{path}/{_step(element)}"
    shape.setdefault(here, set())
    for attribute in element.attrib:
        shape.setdefault(f"{here}/@{etree.QName(attribute).localname}", set())
    for child in element:
        if isinstance(child.tag, str):
            _walk_xml(child, here, shape)


def body_shape(body: bytes, media_type: str) -> Shape | None:
    """The shape of an XML or JSON body; None when it is empty or not parseable."""
    if not body.strip():
        return None
    shape: dict[str, set[str]] = {}
    try:
        if "json" in media_type:
            _walk_json(parse_json(body), "$", shape)
        elif "xml" in media_type:
            _walk_xml(parse_xml(body), "", shape)
        else:
            return None
    except BodyError:
        return None
    return {path: frozenset(types) for path, types in shape.items()}


def _enumerated(path: str) -> bool:
    steps = [
        s.removeprefix("@").removesuffix("[]") for s in path.casefold().replace(".", "/").split("/")
    ]
    last = steps[-1]
    if last == "name":
        return len(steps) > 1 and steps[-2] in (_NAME_PARENT, _NAME_PARENT + "s")
    return last in ENUMERATED


def _json_values(value: Any, path: str, found: Values) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _json_values(item, f"{path}.{key}", found)
    elif isinstance(value, list):
        for item in value:
            _json_values(item, f"{path}[]", found)
    elif isinstance(value, str | bool) and _enumerated(path):
        found.setdefault(path, set()).add(json.dumps(value) if isinstance(value, bool) else value)


def _xml_values(element: etree._Element, path: str, found: Values) -> None:
    here = f"{path}/{_step(element)}"
    for attribute, value in element.attrib.items():
        where = f"{here}/@{etree.QName(attribute).localname}"
        if _enumerated(where):
            found.setdefault(where, set()).add(str(value))
    children = [child for child in element if isinstance(child.tag, str)]
    if not children and element.text and _enumerated(here):
        found.setdefault(here, set()).add(element.text.strip())
    for child in children:
        _xml_values(child, here, found)


def body_values(body: bytes, media_type: str) -> Values:
    """The values of enumerated keys in an XML or JSON body (empty when unreadable)."""
    found: Values = {}
    try:
        if "json" in media_type and body.strip():
            _json_values(parse_json(body), "$", found)
        elif "xml" in media_type and body.strip():
            _xml_values(parse_xml(body), "", found)
    except BodyError:
        return {}
    return found
