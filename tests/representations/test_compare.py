"""Semantic XML and JSON comparison."""

from __future__ import annotations

from conformance.representations import json_differences, parse_xml, xml_canonical, xml_differences

NS = "http://www.veeam.com/ent/v1.0"
PLAIN = f'<Task xmlns="{NS}" Type="Task" Href="h"><TaskId>t</TaskId></Task>'.encode()
DECORATED = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<Task xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    + f'xmlns="{NS}" Href="h" Type="Task">\n  <TaskId> t </TaskId>\n</Task>'.encode()
)


def test_incidental_form_is_ignored() -> None:
    assert xml_canonical(parse_xml(PLAIN)) == xml_canonical(parse_xml(DECORATED))
    assert xml_differences(parse_xml(PLAIN), parse_xml(DECORATED)) == []


def test_prefixed_namespace_is_the_same_element() -> None:
    prefixed = (
        f'<em:Task xmlns:em="{NS}" Href="h" Type="Task"><em:TaskId>t</em:TaskId></em:Task>'.encode()
    )
    assert xml_canonical(parse_xml(prefixed)) == xml_canonical(parse_xml(PLAIN))


def test_another_namespace_differs() -> None:
    other = PLAIN.replace(NS.encode(), b"urn:other")
    assert xml_differences(parse_xml(PLAIN), parse_xml(other)) != []


def test_changed_text_and_attribute_are_named() -> None:
    changed = PLAIN.replace(b">t<", b">u<").replace(b'Href="h"', b'Href="g"')
    found = xml_differences(parse_xml(PLAIN), parse_xml(changed))
    assert any("attributes" in d for d in found)
    assert any("text" in d for d in found)


def test_json_null_stands_for_absent_but_types_matter() -> None:
    assert json_differences({"A": 1, "B": None}, {"A": 1}) == []
    assert json_differences({"A": True}, {"A": "true"}) == ["$.A: expected True, received 'true'"]
    assert json_differences({"A": [1]}, {"A": [1, 2]}) == ["$.A: expected 1 items, received 2"]
