"""Body shapes: the element, attribute and key paths of a body, with JSON value types.

A shape is what a contract fixes and a run does not: `$.Links[].Rel` is there and is
a string, whatever the link says.  Comparing shapes across an upgrade shows a renamed
key (EM 13's camelCase JSON), a vanished element or a boolean that became the string
"None" (field notes), without being fooled by new IDs or timestamps.

XML values carry no type, so an XML shape is its paths alone.  Elements outside the
EM namespace are written with their namespace, so a namespace change is a new path.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from conformance.errors import BodyError
from conformance.representations.jsoncodec import parse_json
from conformance.representations.xmlcodec import NS, parse_xml

__all__ = ["Shape", "body_shape", "json_type"]

Shape = dict[str, frozenset[str]]
"""Path -> the set of JSON types seen there (empty for XML paths)."""


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
