"""The authorization checks: 401 and an Error for every missing or bad token."""

from __future__ import annotations

import pytest

from conformance.checks import Outcome
from conformance.checks.steps import TokenProbe

from ._exchanges import JOB_ID, JSON, assert_outcome, error_json, error_xml, exchange, response

P, F = Outcome.PASSED, Outcome.FAILED


def probe(path: str, status: int, tag: str, body: bytes = b"", method: str = "GET", **kw):
    return exchange(method, path, response(status, body), tags=(tag,), **kw)


CASES = [
    pytest.param(
        "missing_token_refused",
        [exchange("GET", f"/jobs/{JOB_ID}", response(401, error_xml(401)), token=None)],
        P,
        id="no-token-401",
    ),
    pytest.param(
        "missing_token_refused",
        [exchange("DELETE", f"/jobs/{JOB_ID}", response(404, error_xml(404)), token=None)],
        F,
        id="no-token-404",
    ),
    pytest.param(
        "missing_token_refused",
        [exchange("GET", "/tasks", response(401), token=None, headers={"Cookie": "other=1"})],
        P,
        id="other-cookie-is-no-token",
    ),
    pytest.param(
        "malformed_token_refused",
        [probe("/tasks", 401, TokenProbe.MALFORMED, error_xml(401))],
        P,
        id="malformed-401",
    ),
    pytest.param(
        "malformed_token_refused",
        [probe("/tasks", 500, TokenProbe.MALFORMED, error_xml(500))],
        F,
        id="malformed-500",
    ),
    pytest.param(
        "unknown_token_refused", [probe("/jobs", 401, TokenProbe.UNKNOWN)], P, id="unknown-401"
    ),
    pytest.param(
        "unknown_token_refused", [probe("/jobs", 200, TokenProbe.UNKNOWN)], F, id="unknown-200"
    ),
    pytest.param(
        "unauthorized_carries_error",
        [probe("/jobs", 401, TokenProbe.UNKNOWN, error_json(401), accept=JSON)],
        P,
        id="json-error",
    ),
    pytest.param(
        "unauthorized_carries_error",
        [probe("/jobs", 401, TokenProbe.UNKNOWN, error_xml(401), accept=JSON)],
        F,
        id="xml-error-for-json",
    ),
    pytest.param(
        "unauthorized_carries_error",
        [probe("/jobs", 401, TokenProbe.UNKNOWN)],
        F,
        id="empty-401",
    ),
]


@pytest.mark.parametrize(("check", "exchanges", "expected"), CASES)
def test_authorization_checks(check: str, exchanges: list, expected: Outcome) -> None:
    assert_outcome(check, exchanges, expected)


def test_entry_point_and_logon_need_no_token() -> None:
    exchanges = [
        exchange("GET", "/", response(200), token=None),
        exchange("POST", "/sessionMngr/?v=latest", response(201), token=None),
    ]
    from ._exchanges import outcomes_of

    assert outcomes_of("missing_token_refused", exchanges) == {Outcome.SKIPPED}
