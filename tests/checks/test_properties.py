"""The property-based checks: schemathesis findings on generated requests, and ID probes."""

from __future__ import annotations

import pytest

from conformance.checks import Outcome
from conformance.checks.steps import SCHEMATHESIS_FAILURE_TAG, Label

from ._exchanges import JOB_ID, assert_outcome, error_xml, exchange, in_flow, job_refs_xml, response

P, F = Outcome.PASSED, Outcome.FAILED
OTHER = "0f5d8a0e-1b7e-4c7b-9a55-2d3f6c1e9a10"


def generated(*failures: str):
    tags = ("flow:property-based", *(SCHEMATHESIS_FAILURE_TAG + title for title in failures))
    return [
        exchange("GET", "/jobs/x", response(404, error_xml(404)), label=Label.GENERATED, tags=tags)
    ]


def probes(after: bytes):
    return in_flow(
        "id-probes",
        exchange(
            "GET", "/jobs", response(200, job_refs_xml(JOB_ID, OTHER)), label=Label.INVENTORY_BEFORE
        ),
        exchange(
            "DELETE", "/jobs/not-a-job", response(404, error_xml(404)), label=Label.PROBE_DELETE
        ),
        exchange("GET", "/jobs", response(200, after), label=Label.INVENTORY_AFTER),
    )


CASES = [
    pytest.param("generated_request_answered_as_described", generated(), P, id="no-finding"),
    pytest.param(
        "generated_request_answered_as_described",
        generated("Response violates schema"),
        F,
        id="schemathesis-finding",
    ),
    pytest.param(
        "generated_ids_delete_nothing", probes(job_refs_xml(JOB_ID, OTHER)), P, id="nothing-lost"
    ),
    pytest.param("generated_ids_delete_nothing", probes(job_refs_xml(JOB_ID)), F, id="job-lost"),
]


@pytest.mark.parametrize(("check", "exchanges", "expected"), CASES)
def test_property_checks(check: str, exchanges: list, expected: Outcome) -> None:
    assert_outcome(check, exchanges, expected)
