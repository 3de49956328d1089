"""The XML-to-JSON shape mapping, rule by rule."""

from __future__ import annotations

import pytest

from conformance.representations import element_to_json, parse_xml

NS = "http://www.veeam.com/ent/v1.0"


def mapped(xml: str) -> object:
    return element_to_json(parse_xml(xml.encode()))


def test_root_is_dropped_and_attributes_become_trailing_properties() -> None:
    document = mapped(
        f'<Task xmlns="{NS}" Type="Task" Href="h"><TaskId>task-1</TaskId><State>Running</State><Operation>DeleteJob</Operation></Task>'
    )
    assert document == {
        "TaskId": "task-1",
        "State": "Running",
        "Operation": "DeleteJob",
        "Href": "h",
        "Type": "Task",
    }
    assert list(document)[-2:] == ["Href", "Type"]  # type: ignore[call-overload]


def test_links_become_an_array_without_absent_attributes() -> None:
    document = mapped(
        f'<Task xmlns="{NS}" Href="h"><Links><Link Rel="Delete" Href="h"/></Links></Task>'
    )
    assert document == {"Links": [{"Rel": "Delete", "Href": "h"}], "Href": "h"}


def test_result_attributes_are_typed() -> None:
    document = mapped(
        f'<Task xmlns="{NS}"><Result Success="false"><Message>1</Message></Result></Task>'
    )
    assert document == {"Result": {"Message": "1", "Success": False}}


@pytest.mark.parametrize(
    ("root", "item", "key"),
    [
        ("Tasks", "Task", "Tasks"),
        ("EntityReferences", "Ref", "Refs"),
        ("LogonSessions", "LogonSession", "LogonSessions"),
    ],
)
def test_collections_are_keyed_by_the_plural_item_name(root: str, item: str, key: str) -> None:
    document = mapped(f'<{root} xmlns="{NS}"><{item} Href="a"/><{item} Href="b"/></{root}>')
    assert document == {key: [{"Href": "a"}, {"Href": "b"}]}


def test_empty_top_level_collection_is_an_empty_array() -> None:
    assert mapped(f'<Tasks xmlns="{NS}"/>') == {"Tasks": []}


def test_nested_list_wrapper_keeps_a_wrapper_object() -> None:
    document = mapped(
        f'<EnterpriseManager xmlns="{NS}"><SupportedVersions><SupportedVersion Name="v1_7"/>'
        "</SupportedVersions></EnterpriseManager>"
    )
    assert document == {"SupportedVersions": {"SupportedVersions": [{"Name": "v1_7"}]}}


def test_error_status_code_is_a_number_and_message_stays_text() -> None:
    document = mapped(f'<Error xmlns="{NS}" Message="404" StatusCode="404"/>')
    assert document == {"Message": "404", "StatusCode": 404}


def test_repeated_simple_elements_become_an_array() -> None:
    document = mapped(f'<X xmlns="{NS}"><Days>Sunday</Days><Days>Monday</Days></X>')
    assert document == {"Days": ["Sunday", "Monday"]}


def test_text_beside_attributes_becomes_value() -> None:
    assert mapped(f'<X xmlns="{NS}"><Day Name="Sunday">1,0</Day></X>') == {
        "Day": {"Name": "Sunday", "Value": "1,0"}
    }
