"""Typed models built from either format agree with each other."""

from __future__ import annotations

import json

import pytest

from conformance.errors import BodyError
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.model import EntityRef, ErrorBody, LogonSession, Task
from conformance.representations import dump_json, element_to_json, parse_xml
from tests.conftest import EXAMPLES


def both_formats(name: str) -> tuple[bytes, bytes]:
    xml = (EXAMPLES / name).read_bytes()
    return xml, dump_json(element_to_json(parse_xml(xml)))


def test_finished_task_from_xml_and_json_is_the_same() -> None:
    xml, as_json = both_formats("task-finished-deletejob.xml")
    from_xml = Task.from_body(xml, "application/xml")
    assert from_xml == Task.from_body(as_json, "application/json")
    assert from_xml.finished and from_xml.result is not None and from_xml.result.success is True
    assert from_xml.link("Delete") is not None and from_xml.link("Delete").href == from_xml.href  # type: ignore[union-attr]


def test_running_task_has_no_result() -> None:
    task = Task.from_body(
        (EXAMPLES / "community-task-running-editcloudtenant.json").read_bytes(), "application/json"
    )
    assert (task.task_id, task.state, task.result) == ("task-9", "Running", None)


def test_error_bodies() -> None:
    error = ErrorBody.from_body(
        (EXAMPLES / "community-error-400.json").read_bytes(), "application/json"
    )
    assert (error.status_code, error.message) == (400, "Node [root] does not exist.")
    assert (
        ErrorBody.from_body(
            (EXAMPLES / "community-error-500.xml").read_bytes(), "application/xml"
        ).status_code
        == 500
    )


def test_error_model_refuses_another_resource() -> None:
    with pytest.raises(BodyError, match="Error"):
        ErrorBody.from_body(
            (EXAMPLES / "task-finished-deletejob.xml").read_bytes(), "application/xml"
        )


def test_logon_session_links() -> None:
    xml, as_json = both_formats("logonsession.xml")
    session = LogonSession.from_body(xml, "application/xml")
    assert session == LogonSession.from_body(as_json, "application/json")
    assert session.session_id == "15a3fc97-0325-4119-b789-5c0367c6c565"
    assert session.link("Delete") is not None


def test_entity_references_list() -> None:
    refs = EntityRef.list_from_body(
        (EXAMPLES / "entityreferences-cloudtenants.json").read_bytes(), "application/json"
    )
    assert refs[0].id == "b7c7f152-a44a-4651-94df-40bb14cfe840"
    xml_refs = EntityRef.list_from_body(
        (EXAMPLES / "entityreferences-replicasessions.xml").read_bytes(), "application/xml"
    )
    assert len(xml_refs) == 2


def test_json_model_refuses_an_array() -> None:
    with pytest.raises(BodyError, match="JSON object"):
        Task.from_body(json.dumps([1]).encode(), "application/json")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/xml", "task-finished-deletejob.xml"),
        ("", "task-finished-deletejob.xml"),  # no Content-Type: read as XML
        ("application/json", "task-finished-deletejob.xml"),  # the body's own shape wins
    ],
)
def test_a_task_is_read_from_an_exchange_tolerantly(content_type: str, body: str) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = RecordedResponse.build(200, headers, (EXAMPLES / body).read_bytes())
    exchange = Exchange(RecordedRequest.build("GET", "https://em/api/tasks/task-1"), response)
    task = Task.from_exchange(exchange)
    assert task is not None and task.finished and task == Task.from_response(response)


@pytest.mark.parametrize("body", [b"", b"not a task", b"<Error/>", b"{]"])
def test_no_task_in_an_unreadable_exchange(body: bytes) -> None:
    response = RecordedResponse.build(200, {"Content-Type": "application/xml"}, body)
    exchange = Exchange(RecordedRequest.build("GET", "https://em/api/tasks/task-1"), response)
    found = Task.from_exchange(exchange)
    assert found is None or not found.task_id
    if body in (b"", b"not a task", b"{]"):
        assert found is None
