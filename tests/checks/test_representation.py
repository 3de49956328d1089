"""The representation check: successful GET bodies validate against their schema."""

from __future__ import annotations

import json

import pytest

from conformance.checks import Outcome

from ._exchanges import JOB_ID, JSON, assert_outcome, example, exchange, response

P, F = Outcome.PASSED, Outcome.FAILED
VERSION = {"Name": "v1_7"}
FLAT = json.dumps({"SupportedVersions": [VERSION]}).encode()
NESTED = json.dumps({"SupportedVersions": {"SupportedVersions": [VERSION]}}).encode()
NEITHER = json.dumps({"SupportedVersions": {"Versions": [VERSION]}}).encode()


def get(path: str, body: bytes):
    return exchange("GET", path, response(200, body))


def entry_json(body: bytes):
    return exchange("GET", "/", response(200, body, JSON), accept=JSON)


CASES = [
    pytest.param(
        "body_matches_schema", [get(f"/jobs/{JOB_ID}", example("entityref-job.xml"))], P, id="ref"
    ),
    pytest.param(
        "body_matches_schema",
        [get(f"/jobs/{JOB_ID}", example("entityref-job.json"))],
        P,
        id="ref-json",
    ),
    pytest.param(
        "body_matches_schema",
        [get(f"/jobs/{JOB_ID}?format=Entity", example("job-entity-backup-hyperv.xml"))],
        P,
        id="entity",
    ),
    pytest.param(
        "body_matches_schema", [get("/tasks", example("tasks-collection.xml"))], P, id="tasks"
    ),
    pytest.param(
        "body_matches_schema", [get("/", example("enterprisemanager.xml"))], P, id="entry"
    ),
    pytest.param(
        "body_matches_schema",
        [get("/jobs", example("entityreferences-jobs-ELLIPSIS.xml"))],
        F,
        id="abridged",
    ),
    pytest.param(
        "body_matches_schema", [get("/tasks", example("entityref-job.xml"))], F, id="wrong-resource"
    ),
    pytest.param(
        "body_matches_schema",
        [get("/tasks", b'{"Task": {"TaskId": "task-1"}}')],
        F,
        id="wrapped-root",
    ),
    pytest.param("body_matches_schema", [entry_json(FLAT)], P, id="entry-json-flat"),
    pytest.param("body_matches_schema", [entry_json(NESTED)], P, id="entry-json-nested"),
    pytest.param("body_matches_schema", [entry_json(NEITHER)], F, id="entry-json-neither"),
    pytest.param("supported_versions_form_seen", [entry_json(FLAT)], P, id="form-flat"),
    pytest.param("supported_versions_form_seen", [entry_json(NESTED)], P, id="form-nested"),
    pytest.param("supported_versions_form_seen", [entry_json(NEITHER)], F, id="form-neither"),
    pytest.param("supported_versions_form_seen", [entry_json(b"{")], F, id="form-unreadable"),
]


@pytest.mark.parametrize(("check", "exchanges", "expected"), CASES)
def test_representation_checks(check: str, exchanges: list, expected: Outcome) -> None:
    assert_outcome(check, exchanges, expected)
