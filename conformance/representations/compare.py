"""Semantic comparison of XML and JSON documents.

The documentation prints the same resource with and without an XML declaration,
with extra `xmlns:xsd`/`xmlns:xsi` declarations and with attributes in any order
(em-api-facts §2.2), so XML is compared as namespaced names, attributes and
trimmed text.  JSON is compared with null standing for an absent property, as the
documented JSON prints `null` for elements its XML twin leaves out.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

__all__ = ["json_differences", "xml_canonical", "xml_differences"]

Canonical = tuple[str, tuple[tuple[str, str], ...], str, tuple[Any, ...]]


def xml_canonical(element: etree._Element) -> Canonical:
    """A hashable form of `element` that ignores incidental XML form."""
    children = tuple(xml_canonical(child) for child in element if isinstance(child.tag, str))
    text = "" if children else (element.text or "").strip()
    attributes = tuple(sorted((str(key), str(value)) for key, value in element.attrib.items()))
    return (str(element.tag), attributes, text, children)


def _attributes(element: etree._Element) -> dict[str, str]:
    return {str(key): str(value) for key, value in element.attrib.items()}


def xml_differences(
    expected: etree._Element, received: etree._Element, path: str = ""
) -> list[str]:
    """Human-readable differences between two XML trees; empty when equal."""
    here = f"{path}/{etree.QName(received).localname}"
    if expected.tag != received.tag:
        return [f"{here}: expected element {expected.tag}, received {received.tag}"]
    found: list[str] = []
    want_attributes, got_attributes = _attributes(expected), _attributes(received)
    if want_attributes != got_attributes:
        found.append(f"{here}: expected attributes {want_attributes}, received {got_attributes}")
    left = [child for child in expected if isinstance(child.tag, str)]
    right = [child for child in received if isinstance(child.tag, str)]
    if len(left) != len(right):
        return [*found, f"{here}: expected {len(left)} child elements, received {len(right)}"]
    if not left and (expected.text or "").strip() != (received.text or "").strip():
        found.append(f"{here}: expected text {expected.text!r}, received {received.text!r}")
    for index, (want, got) in enumerate(zip(left, right, strict=True)):
        found.extend(xml_differences(want, got, f"{here}[{index}]"))
    return found


def json_differences(expected: Any, received: Any, path: str = "$") -> list[str]:
    """Differences between two JSON documents, null standing for an absent property."""
    if isinstance(expected, dict) and isinstance(received, dict):
        found: list[str] = []
        for key in sorted(set(expected) | set(received)):
            found.extend(json_differences(expected.get(key), received.get(key), f"{path}.{key}"))
        return found
    if isinstance(expected, list) and isinstance(received, list):
        if len(expected) != len(received):
            return [f"{path}: expected {len(expected)} items, received {len(received)}"]
        pairs = zip(expected, received, strict=True)
        return [
            diff
            for i, (a, b) in enumerate(pairs)
            for diff in json_differences(a, b, f"{path}[{i}]")
        ]
    if type(expected) is not type(received) or expected != received:
        return [f"{path}: expected {expected!r}, received {received!r}"]
    return []
