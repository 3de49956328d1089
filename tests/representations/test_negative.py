"""Hand-made invalid bodies: each is rejected with a message naming its fault."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conformance.representations import validate_body

NS = "http://www.veeam.com/ent/v1.0"
HREF = "https://em.example:9398/api/tasks/task-7"


def task_xml(
    *,
    namespace: str = NS,
    task_id: str | None = "<TaskId>task-7</TaskId>",
    state: str = "Running",
    result: str = "",
    root: str = "Task",
    extra: str = "",
    href: str | None = HREF,
) -> bytes:
    href_attr = f' Href="{href}"' if href is not None else ""
    return (
        f'<{root} xmlns="{namespace}" Type="Task"{href_attr}>'
        f'<Links><Link Rel="Delete" Href="{HREF}"/></Links>'
        f"{task_id or ''}<State>{state}</State><Operation>DeleteJob</Operation>{result}{extra}"
        f"</{root}>"
    ).encode()


def task_json(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "TaskId": "task-7",
        "State": "Finished",
        "Operation": "DeleteJob",
        "Result": {"Success": True, "Message": "Ok"},
        "Links": [{"Rel": "Delete", "Href": HREF}],
        "Href": HREF,
        "Type": "Task",
    }
    for key, value in changes.items():
        if value is ...:
            document.pop(key)
        else:
            document[key] = value
    return document


def dumps(document: Any) -> bytes:
    return json.dumps(document).encode()


FINISHED = '<Result Success="true"><Message>Ok</Message></Result>'

# (id, body, media type or None to sniff, resource or None to guess, fragment the message must name)
XML_CASES = [
    ("wrong-namespace", task_xml(namespace="http://www.veeam.com/ent/v2.0"), None, "namespace"),
    ("no-namespace", b'<Task Type="Task" Href="x"><TaskId>t</TaskId></Task>', "Task", "namespace"),
    ("missing-task-id", task_xml(task_id=None), None, "TaskId"),
    ("state-done", task_xml(state="Done"), None, "State"),
    ("state-lowercase", task_xml(state="running"), None, "State"),
    ("state-empty", task_xml(state=""), None, "State"),
    ("success-not-boolean", task_xml(result='<Result Success="yes"/>'), None, "Success"),
    (
        "result-without-success",
        task_xml(result="<Result><Message>Ok</Message></Result>"),
        None,
        "Success",
    ),
    ("unknown-child", task_xml(extra="<Progress>50</Progress>"), None, "Progress"),
    ("missing-href", task_xml(href=None), None, "Href"),
    (
        "elements-out-of-order",
        f'<Task xmlns="{NS}" Href="{HREF}"><State>Running</State><TaskId>t</TaskId><Operation>x</Operation></Task>'.encode(),
        None,
        "TaskId",
    ),
    ("text-in-container", f'<Tasks xmlns="{NS}">...</Tasks>'.encode(), None, "character content"),
    ("wrong-root-for-resource", task_xml(), "Error", "root element"),
    ("unknown-root", f'<Banana xmlns="{NS}"/>'.encode(), None, "resource"),
    ("error-without-message", f'<Error xmlns="{NS}" StatusCode="404"/>'.encode(), None, "Message"),
    (
        "error-status-not-int",
        f'<Error xmlns="{NS}" Message="x" StatusCode="four"/>'.encode(),
        None,
        "StatusCode",
    ),
    (
        "logon-without-session-id",
        f'<LogonSession xmlns="{NS}" Href="{HREF}"><UserName>u</UserName></LogonSession>'.encode(),
        None,
        "SessionId",
    ),
    (
        "ref-bad-uid",
        f'<EntityReferences xmlns="{NS}"><Ref UID="job-1" Name="n" Href="h" Type="JobReference"/></EntityReferences>'.encode(),
        None,
        "UID",
    ),
    ("link-without-rel", task_xml().replace(b'Rel="Delete" ', b""), None, "Rel"),
    ("not-xml", b"<Task><unclosed></Task>", "application/xml", "well-formed"),
    ("empty-body", b"", "application/xml", "well-formed"),
]

JSON_CASES = [
    (
        "camelcase-keys",
        dumps(
            {
                "taskId": "task-7",
                "state": "Running",
                "operation": "DeleteJob",
                "href": HREF,
                "type": "Task",
            }
        ),
        None,
        "taskId",
    ),
    ("wrapped-in-root", dumps({"Task": task_json()}), None, "wrapped"),
    ("success-as-string", dumps(task_json(Result={"Success": "true"})), None, "Success"),
    ("success-as-none-string", dumps(task_json(Result={"Success": "None"})), None, "Success"),
    ("result-without-success", dumps(task_json(Result={"Message": "Ok"})), None, "Success"),
    ("missing-task-id", dumps(task_json(TaskId=...)), None, "TaskId"),
    ("state-done", dumps(task_json(State="Done")), None, "Done"),
    ("links-as-object", dumps(task_json(Links={"Link": []})), None, "Links"),
    ("link-camelcase", dumps(task_json(Links=[{"rel": "Delete", "href": HREF}])), None, "rel"),
    ("task-id-number", dumps(task_json(TaskId=7)), None, "TaskId"),
    (
        "bom-before-json",
        b"\xef\xbb\xbf" + dumps(task_json()),
        "application/json",
        "byte-order mark",
    ),
    ("not-json", b"{'TaskId': 'task-7'}", "application/json", "well-formed"),
    ("invalid-utf8", b'{"TaskId": "\xff"}', "application/json", "UTF-8"),
    ("error-status-code-string", dumps({"Message": "x", "StatusCode": "404"}), None, "StatusCode"),
    (
        "error-camelcase",
        dumps({"message": "x", "statusCode": 404}),
        "application/json",
        "statusCode",
    ),
    ("refs-not-array", dumps({"Refs": {"Ref": []}}), None, "Refs"),
    (
        "logon-extra-key",
        dumps(
            {"UserName": "u", "SessionId": "s", "Href": HREF, "Type": "LogonSession", "Token": "t"}
        ),
        None,
        "Token",
    ),
]


@pytest.mark.parametrize(
    ("body", "resource", "fragment"), [c[1:] for c in XML_CASES], ids=[c[0] for c in XML_CASES]
)
def test_invalid_xml_is_rejected(body: bytes, resource: str | None, fragment: str) -> None:
    media = resource if resource and "/" in resource else "application/xml"
    result = validate_body(body, media, None if resource is None or "/" in resource else resource)
    assert not result.valid
    text = " ".join(v.message for v in result.violations)
    assert fragment.lower() in text.lower(), text


@pytest.mark.parametrize(
    ("body", "media", "fragment"), [c[1:] for c in JSON_CASES], ids=[c[0] for c in JSON_CASES]
)
def test_invalid_json_is_rejected(body: bytes, media: str | None, fragment: str) -> None:
    result = validate_body(body, media or "application/json")
    assert not result.valid
    text = " ".join(f"{v.path} {v.message}" for v in result.violations)
    assert fragment.lower() in text.lower(), text


def test_negative_table_is_large_enough() -> None:
    assert len(XML_CASES) + len(JSON_CASES) >= 30


@pytest.mark.parametrize(
    "body", [task_xml(), task_xml(state="Finished", result=FINISHED), dumps(task_json())]
)
def test_the_unmutated_bodies_are_valid(body: bytes) -> None:
    """The tables mutate valid bodies: without the mutation they pass."""
    result = validate_body(body)
    assert result.valid, result.violations
