"""Builders of hand-made exchanges and EM bodies for the check tests.

Bodies follow the documented examples (tests/examples/, SOURCES.md there); every
builder takes keyword overrides so one test can break exactly one thing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conformance.checks import Outcome, Verdict, judge
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BASE = "https://em.example:9398/api"
NS = "http://www.veeam.com/ent/v1.0"
XML = "application/xml"
JSON = "application/json"
JOB_ID = "5b89dae5-6f08-45ec-b068-08f0bd08394a"
TOKEN = "NDRjZmJkYmUtNWE5NS00MTU2LTg4NjctOTFmMDY5YjdjMmNj"


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def response(
    status: int, body: bytes | str = b"", media: str | None = None, **headers: str
) -> RecordedResponse:
    data = body.encode() if isinstance(body, str) else body
    fields: dict[str, str] = {}
    if data:
        fields["Content-Type"] = media or (JSON if data.lstrip()[:1] in (b"{", b"[") else XML)
        fields["Content-Length"] = str(len(data))
    fields.update({name.replace("_", "-"): value for name, value in headers.items()})
    return RecordedResponse.build(status, fields, data)


def exchange(
    method: str,
    path: str,
    answer: RecordedResponse,
    *,
    accept: str | None = None,
    token: str | None = TOKEN,
    label: str = "",
    tags: tuple[str, ...] = (),
    headers: dict[str, str] | None = None,
) -> Exchange:
    fields = dict(headers or {})
    if accept:
        fields["Accept"] = accept
    if token:
        fields["X-RestSvcSessionId"] = token
    request = RecordedRequest.build(method, BASE + path, fields)
    return Exchange(request, answer, label, tags)


def task_xml(
    task_id: str = "task-1",
    state: str = "Running",
    operation: str = "DeleteJob",
    success: bool | None = None,
    message: str | None = "Ok",
    href: str | None = None,
) -> bytes:
    href = href if href is not None else f"{BASE}/tasks/{task_id}"
    result = ""
    if success is not None:
        inner = f"<Message>{message}</Message>" if message else ""
        result = f'<Result Success="{str(success).lower()}">{inner}</Result>'
    return (
        f'<Task xmlns="{NS}" Type="Task" Href="{href}"><Links>'
        f'<Link Rel="Delete" Type="Task" Href="{href}"/></Links>'
        f"<TaskId>{task_id}</TaskId><State>{state}</State>"
        f"<Operation>{operation}</Operation>{result}</Task>"
    ).encode()


def task_json(
    task_id: str = "task-1",
    state: str = "Running",
    operation: str = "DeleteJob",
    success: bool | None = None,
    message: str | None = "Ok",
    href: str | None = None,
) -> bytes:
    href = href if href is not None else f"{BASE}/tasks/{task_id}"
    document: dict[str, Any] = {"TaskId": task_id, "State": state, "Operation": operation}
    if success is not None:
        document["Result"] = {"Success": success, "Message": message}
    document |= {"Links": [{"Rel": "Delete", "Href": href}], "Href": href, "Type": "Task"}
    return json.dumps(document).encode()


def tasks_xml(*task_ids: str) -> bytes:
    inner = "".join(
        task_xml(task_id).decode().replace(f' xmlns="{NS}"', "") for task_id in task_ids
    )
    return f'<Tasks xmlns="{NS}">{inner}</Tasks>'.encode()


def tasks_json(*task_ids: str) -> bytes:
    return json.dumps({"Tasks": [json.loads(task_json(task_id)) for task_id in task_ids]}).encode()


def job_ref_xml(job_id: str = JOB_ID, delete_link: bool = False) -> bytes:
    href = f"{BASE}/jobs/{job_id}"
    extra = f'<Link Rel="Delete" Href="{href}"/>' if delete_link else ""
    return (
        f'<EntityRef xmlns="{NS}" Type="JobReference" Href="{href}" Name="CRM Backup"'
        f' UID="urn:veeam:Job:{job_id}"><Links>'
        f'<Link Rel="Alternate" Type="Job" Href="{href}?format=Entity" Name="CRM Backup"/>'
        f"{extra}</Links></EntityRef>"
    ).encode()


def job_refs_xml(*job_ids: str) -> bytes:
    refs = "".join(
        f'<Ref Type="JobReference" Href="{BASE}/jobs/{job_id}" Name="Job {n}"'
        f' UID="urn:veeam:Job:{job_id}"/>'
        for n, job_id in enumerate(job_ids)
    )
    return f'<EntityReferences xmlns="{NS}">{refs}</EntityReferences>'.encode()


def error_xml(status: int, message: str = "Not found") -> bytes:
    return f'<Error xmlns="{NS}" Message="{message}" StatusCode="{status}"/>'.encode()


def error_json(status: int, message: str = "Not found") -> bytes:
    document = {
        "FirstChanceExceptionMessage": None,
        "Message": message,
        "StackTrace": None,
        "Status": None,
        "StatusCode": status,
    }
    return json.dumps(document).encode()


def verdicts_of(check: str, exchanges: list[Exchange]) -> list[Verdict]:
    """The check's own verdicts, before other rules' failures can block it."""
    judged = judge(exchanges, level="should", blocking=False)
    return [verdict for verdict in judged if verdict.check == check]


def outcomes_of(check: str, exchanges: list[Exchange]) -> set[Outcome]:
    return {verdict.outcome for verdict in verdicts_of(check, exchanges)}


def assert_outcome(check: str, exchanges: list[Exchange], expected: Outcome) -> None:
    """Every verdict of `check` has the expected outcome; failures say Expected / Received."""
    verdicts = verdicts_of(check, exchanges)
    assert verdicts, f"{check} is not registered"
    assert {verdict.outcome for verdict in verdicts} == {expected}, [v.message() for v in verdicts]
    for verdict in verdicts:
        if verdict.failed:
            assert verdict.expected and verdict.received
            assert verdict.rule.doc.startswith("https://")
            assert verdict.exchanges


def in_flow(name: str, *steps: Exchange, run: str = "1") -> list[Exchange]:
    """The steps tagged as one run of flow `name`, as the flows tag them."""
    tags = (f"flow:{name}", f"run:{run}", "format:xml")
    return [Exchange(s.request, s.response, s.label, s.tags + tags) for s in steps]


def twins_of(path: str, xml: bytes, body: bytes) -> list[Exchange]:
    """The XML and JSON twins of one resource, as the negotiation flow records them."""
    from conformance.checks.steps import Label

    tags = ("flow:negotiation", "run:1", "format:xml")
    return [
        exchange("GET", path, response(200, xml), label=Label.TWIN, tags=tags),
        exchange("GET", path, response(200, body), accept=JSON, label=Label.TWIN, tags=tags),
    ]
