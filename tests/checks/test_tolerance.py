"""The tolerance checks: request forms real clients send, answered like documented ones."""

from __future__ import annotations

import pytest

from conformance.checks import Outcome
from conformance.checks.steps import Label

from ._exchanges import JOB_ID, assert_outcome, error_xml, exchange, in_flow, response

P, F, S = Outcome.PASSED, Outcome.FAILED, Outcome.SKIPPED
NS = 'xmlns="http://www.veeam.com/ent/v1.0"'
ENTITY = f'<Job {NS} Type="Job" Href="x"><JobType>Backup</JobType></Job>'.encode()
REFERENCE = f'<Ref {NS} Type="JobReference" Href="x" Name="a" UID="u"/>'.encode()
ENTITY_JSON = b'{"Type": "Job", "Href": "x", "JobType": "Backup"}'


def flow(lower: tuple[int, bytes] = (200, ENTITY), entity: tuple[int, bytes] = (200, ENTITY),
         accept: str = "application/xml") -> list:  # fmt: skip
    path = f"/jobs/{JOB_ID}"
    return in_flow(
        "negotiation",
        exchange(
            "GET", f"{path}?format=Entity", response(*entity), accept=accept, label=Label.TWIN
        ),
        exchange(
            "GET",
            f"{path}?format=entity",
            response(*lower),
            accept=accept,
            label=Label.GET_JOB_FORMAT_LOWERCASE,
        ),
    )


CASES = [
    pytest.param("lowercase_format_answered", flow(), P, id="answered-alike"),
    pytest.param("lowercase_format_answered", flow((400, error_xml(400))), F, id="refused-400"),
    pytest.param("lowercase_format_answered", flow((200, REFERENCE)), F, id="answered-reference"),
    pytest.param("lowercase_format_answered", flow((200, b"")), F, id="empty"),
    pytest.param(
        "lowercase_format_answered",
        flow((200, ENTITY_JSON), (200, ENTITY_JSON), accept="application/json"),
        P,
        id="json-alike",
    ),
    pytest.param(
        "lowercase_format_answered", flow(entity=(404, error_xml(404))), S, id="entity-not-200"
    ),
    pytest.param("lowercase_format_answered", flow()[1:], S, id="no-entity-step"),
]


@pytest.mark.parametrize(("check", "exchanges", "expected"), CASES)
def test_tolerance_checks(check: str, exchanges: list, expected: Outcome) -> None:
    assert_outcome(check, exchanges, expected)
