"""The negotiation and header checks: media types, Content-Length, BOM, casing, twins."""

from __future__ import annotations

import json

import pytest

from conformance.checks import Outcome
from conformance.checks.steps import Label
from conformance.exchange import RecordedResponse

from ._exchanges import (
    JSON,
    XML,
    assert_outcome,
    example,
    exchange,
    response,
    task_json,
    task_xml,
)

P, F = Outcome.PASSED, Outcome.FAILED
BOM = b"\xef\xbb\xbf"


def get(answer: RecordedResponse, accept: str | None = None, **kw):
    return exchange("GET", "/tasks/task-1", answer, accept=accept, **kw)


def twins(xml: bytes, body: bytes) -> list:
    tags = ("flow:negotiation", "run:1")
    return [
        exchange("GET", "/jobs/1", response(200, xml), label=Label.TWIN, tags=tags),
        exchange("GET", "/jobs/1", response(200, body), accept=JSON, label=Label.TWIN, tags=tags),
    ]


CAMEL = json.dumps({"taskId": "task-1", "State": "Running", "links": [{"rel": "Delete"}]})
NONE = json.dumps({"TaskId": "task-1", "State": "None", "Operation": "DeleteJob"})
REF_XML = example("entityref-job.xml")
REF_JSON = example("entityref-job.json")

CASES = [
    pytest.param("xml_without_json_accept", [get(response(200, task_xml()))], P, id="no-accept"),
    pytest.param(
        "xml_without_json_accept", [get(response(200, task_xml()), accept="*/*")], P, id="any"
    ),
    pytest.param(
        "xml_without_json_accept", [get(response(200, task_json()), accept=XML)], F, id="xml-json"
    ),
    pytest.param(
        "json_on_json_accept", [get(response(200, task_json()), accept=JSON)], P, id="json"
    ),
    pytest.param(
        "json_on_json_accept", [get(response(200, task_xml()), accept=JSON)], F, id="json-xml"
    ),
    pytest.param(
        "json_on_mixed_accept",
        [get(response(200, task_json()), accept=f"{XML}, {JSON}")],
        P,
        id="mixed-json",
    ),
    pytest.param(
        "json_on_mixed_accept",
        [get(response(200, task_xml()), accept=f"{XML};q=0.9, {JSON}")],
        F,
        id="mixed-xml",
    ),
    pytest.param("content_type_matches_body", [get(response(200, task_xml()))], P, id="ct-ok"),
    pytest.param(
        "content_type_matches_body",
        [get(response(200, task_xml(), media=JSON))],
        F,
        id="ct-json-for-xml",
    ),
    pytest.param(
        "content_type_matches_body",
        [get(RecordedResponse.build(200, {}, task_xml()))],
        F,
        id="ct-missing",
    ),
    pytest.param("content_length_matches_body", [get(response(200, task_xml()))], P, id="cl-ok"),
    pytest.param(
        "content_length_matches_body",
        [
            get(
                RecordedResponse.build(
                    200, {"Content-Type": XML, "Content-Length": "9"}, task_xml()
                )
            )
        ],
        F,
        id="cl-wrong",
    ),
    pytest.param(
        "content_length_matches_body",
        [get(RecordedResponse.build(200, {"Content-Type": XML}, task_xml()))],
        F,
        id="cl-missing",
    ),
    pytest.param(
        "json_without_bom", [get(response(200, task_json()), accept=JSON)], P, id="bom-none"
    ),
    pytest.param(
        "json_without_bom",
        [get(response(200, BOM + task_json(), media=JSON), accept=JSON)],
        F,
        id="bom",
    ),
    pytest.param("json_keys_pascal_case", [get(response(200, task_json()))], P, id="pascal"),
    pytest.param("json_keys_pascal_case", [get(response(200, CAMEL))], F, id="camel"),
    pytest.param("json_null_not_none", [get(response(200, task_json()))], P, id="null"),
    pytest.param("json_null_not_none", [get(response(200, NONE))], F, id="none-string"),
    pytest.param("xml_and_json_agree", twins(REF_XML, REF_JSON), P, id="documented-twins"),
    pytest.param(
        "xml_and_json_agree",
        twins(REF_XML, REF_JSON.replace(b'"CRM Backup"', b'"ERP Backup"')),
        F,
        id="different-name",
    ),
]


@pytest.mark.parametrize(("check", "exchanges", "expected"), CASES)
def test_negotiation_checks(check: str, exchanges: list, expected: Outcome) -> None:
    assert_outcome(check, exchanges, expected)


def test_bodiless_responses_are_not_judged_for_headers() -> None:
    from ._exchanges import outcomes_of

    exchanges = [exchange("DELETE", "/tasks/task-1", RecordedResponse.build(204))]
    assert outcomes_of("content_length_matches_body", exchanges) == {Outcome.SKIPPED}
