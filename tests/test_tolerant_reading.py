"""Tolerant reading, strict judging: models read past a byte-order mark and a lying
Content-Type, the client holds a session from a 200 logon or a cookie-only token, and
the hardened parsers' limits still hold."""

from __future__ import annotations

import json

import pytest

from conformance.client import EmClient
from conformance.errors import BodyError, UnsafeBodyError
from conformance.model import EntityRef, LogonSession, Task, parse_document
from conformance.representations import NS, UTF8_BOM, local_name
from tests.suite._servers import Handler, Respond, serve

TASK_JSON = json.dumps(
    {"TaskId": "task-1", "State": "Finished", "Href": "https://em/api/tasks/task-1",
     "Result": {"Success": True, "Message": "Ok"}}
).encode()  # fmt: skip
TASK_XML = (
    f'<Task xmlns="{NS}" Href="https://em/api/tasks/task-1"><TaskId>task-1</TaskId>'
    "<State>Finished</State></Task>"
).encode()
SESSION_XML = (
    f'<LogonSession xmlns="{NS}" Href="https://em/api/logonSessions/s-1">'
    "<UserName>administrator</UserName><SessionId>s-1</SessionId></LogonSession>"
).encode()
BOMB = b'<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">]><Task>&a;</Task>'


@pytest.mark.parametrize(
    ("body", "media_type"),
    [
        pytest.param(TASK_JSON, "application/json", id="json"),
        pytest.param(UTF8_BOM + TASK_JSON, "application/json", id="bom-before-json"),
        pytest.param(TASK_JSON, "application/xml", id="json-labelled-xml"),
        pytest.param(TASK_XML, "application/json", id="xml-labelled-json"),
        pytest.param(UTF8_BOM + TASK_XML, "application/xml", id="bom-before-xml"),
        pytest.param(b"\r\n  " + TASK_JSON, "", id="json-without-content-type"),
    ],
)
def test_a_task_is_read_whatever_the_wire_got_wrong(body: bytes, media_type: str) -> None:
    task = Task.from_body(body, media_type)
    assert (task.task_id, task.state) == ("task-1", "Finished")


def test_a_boolean_written_as_a_string_is_read_as_what_it_says() -> None:
    document = json.loads(TASK_JSON) | {"Result": {"Success": "True", "Message": "Ok"}}
    task = Task.from_body(json.dumps(document).encode(), "application/json")
    assert task.result is not None and task.result.success is True


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"not a document", id="neither"),
        pytest.param(UTF8_BOM + b'{"TaskId": ', id="bom-before-broken-json"),
        pytest.param(b"", id="empty"),
    ],
)
def test_what_no_tolerant_client_could_read_still_raises(body: bytes) -> None:
    with pytest.raises(BodyError):
        Task.from_body(body, "application/json")


def test_the_hardened_limits_still_hold_after_the_bom() -> None:
    with pytest.raises(UnsafeBodyError):
        parse_document(UTF8_BOM + BOMB, "application/json")
    deep = UTF8_BOM + b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(BodyError):
        parse_document(deep, "application/json")


def test_the_document_says_its_own_kind() -> None:
    assert local_name(parse_document(TASK_XML, "application/json")) == "Task"
    document = parse_document(TASK_JSON, "application/xml")
    assert isinstance(document, dict) and document["TaskId"] == "task-1"


def _logon_answer(status: int, header: bool) -> Respond:
    def respond(handler: Handler) -> None:
        headers = {
            "Content_Type": "application/xml",
            "Set_Cookie": "X-RestSvcSessionId=S3ss10nT0k3n; Path=/api",
        }
        if header:
            headers["X_RestSvcSessionId"] = "S3ss10nT0k3n"
        handler.answer(status, SESSION_XML, **headers)

    return respond


@pytest.mark.parametrize(
    ("status", "header", "usable"),
    [
        pytest.param(201, True, True, id="201-header-and-cookie"),
        pytest.param(200, True, True, id="200-with-token"),
        pytest.param(201, False, True, id="token-only-in-the-cookie"),
        pytest.param(401, True, False, id="refused"),
        pytest.param(302, True, False, id="redirected"),
    ],
)
def test_the_client_holds_any_session_a_tolerant_client_would(
    status: int, header: bool, usable: bool
) -> None:
    with serve(_logon_answer(status, header)) as server:
        client = EmClient(server.url)
        exchange, logon = client.logon("administrator", "pw")
        client.close()
    assert (logon is not None) is usable
    if logon is not None:
        assert logon.token == "S3ss10nT0k3n" and logon.session_id == "s-1"
        # The cookie's token is learnt like the header's: no output will hold it.
        assert "S3ss10nT0k3n" not in repr(client.redactor.redact(exchange))


def test_a_logon_session_is_read_from_a_body_with_a_bom() -> None:
    session = LogonSession.from_body(UTF8_BOM + SESSION_XML, "application/xml")
    assert session.session_id == "s-1"


def test_a_task_in_another_namespace_is_still_read() -> None:
    body = TASK_XML.replace(NS.encode(), b"http://www.veeam.com/ent/v1.1")
    assert Task.from_body(body, "application/xml").task_id == "task-1"


def test_a_json_body_that_kept_its_root_element_is_read_inside_it() -> None:
    wrapped = b'{"Task": ' + TASK_JSON + b"}"
    assert Task.from_body(wrapped, "application/json").task_id == "task-1"


def test_a_json_object_with_one_other_key_is_not_unwrapped() -> None:
    assert Task.from_body(b'{"TaskId": "task-9"}', "application/json").task_id == "task-9"


def test_camel_case_names_are_read_as_the_documented_ones() -> None:
    body = b'{"taskId": "task-3", "state": "Finished", "result": {"success": false}}'
    task = Task.from_body(body, "application/json")
    assert (task.task_id, task.state) == ("task-3", "Finished")
    assert task.result is not None and task.result.success is False


def test_camel_case_references_keep_their_ids() -> None:
    body = b'{"refs": [{"uid": "urn:veeam:Job:abc", "name": "Job 1", "href": "h", "type": "Job"}]}'
    assert [ref.id for ref in EntityRef.list_from_body(body, "application/json")] == ["abc"]
