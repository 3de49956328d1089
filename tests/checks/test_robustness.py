"""The robustness checks: unknown and malformed IDs, wrong methods, Error bodies, no 5xx."""

from __future__ import annotations

import pytest

from conformance.checks import Outcome
from conformance.checks.steps import Label, Probe

from ._exchanges import (
    JSON,
    assert_outcome,
    error_json,
    error_xml,
    example,
    exchange,
    response,
)

P, F = Outcome.PASSED, Outcome.FAILED


def probe(tag: str, status: int, body: bytes | None = None, method: str = "GET", **kw):
    data = error_xml(status) if body is None else body
    return exchange(method, "/jobs/not-a-guid", response(status, data), tags=(tag,), **kw)


CASES = [
    pytest.param("unknown_id_not_found", [probe(Probe.UNKNOWN_ID, 404)], P, id="unknown-404"),
    pytest.param("unknown_id_not_found", [probe(Probe.UNKNOWN_ID, 500)], F, id="unknown-500"),
    pytest.param(
        "unknown_id_not_found", [probe(Probe.UNKNOWN_ID, 202, b"", "DELETE")], F, id="unknown-202"
    ),
    pytest.param("malformed_id_refused", [probe(Probe.MALFORMED_ID, 400)], P, id="malformed-400"),
    pytest.param("malformed_id_refused", [probe(Probe.MALFORMED_ID, 500)], F, id="malformed-500"),
    pytest.param(
        "wrong_method_not_allowed", [probe(Probe.WRONG_METHOD, 405, method="PUT")], P, id="405"
    ),
    pytest.param(
        "wrong_method_not_allowed", [probe(Probe.WRONG_METHOD, 404, method="PUT")], F, id="404"
    ),
    pytest.param("error_has_error_body", [probe("", 404)], P, id="error-body"),
    pytest.param("error_has_error_body", [probe("", 404, b"")], F, id="empty-404"),
    pytest.param(
        "error_has_error_body", [probe("", 404, b"<html>Not Found</html>")], F, id="html-404"
    ),
    pytest.param(
        "error_has_error_body",
        [probe("", 500, example("community-error-500.xml"))],
        P,
        id="documented-500",
    ),
    pytest.param(
        "error_in_negotiated_format", [probe("", 404, error_json(404), accept=JSON)], P, id="json"
    ),
    pytest.param(
        "error_in_negotiated_format",
        [probe("", 404, error_xml(404), accept=JSON)],
        F,
        id="xml-for-json",
    ),
    pytest.param(
        "error_status_code_matches",
        [probe("", 400, example("community-error-400.json"))],
        P,
        id="code-400",
    ),
    pytest.param(
        "error_status_code_matches", [probe("", 404, error_xml(400))], F, id="code-mismatch"
    ),
    pytest.param("no_server_error", [probe("", 404)], P, id="no-500"),
    pytest.param("no_server_error", [probe("", 500)], F, id="500"),
    pytest.param(
        "no_server_error",
        [probe("", 200), probe("", 500, label=Label.OTHER_GET_TASK)],
        P,
        id="500-for-another-sessions-task-is-judged-by-EM-ISO",
    ),
]


@pytest.mark.parametrize(("check", "exchanges", "expected"), CASES)
def test_robustness_checks(check: str, exchanges: list, expected: Outcome) -> None:
    assert_outcome(check, exchanges, expected)
