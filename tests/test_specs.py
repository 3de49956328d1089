"""The OpenAPI description is valid, loads in schemathesis and covers the mission."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from openapi_spec_validator import validate

from conformance.spec import OPENAPI_FILE, load_openapi, specs_dir

METHODS = ("get", "put", "post", "delete", "patch")
EXPECTED_OPERATIONS = {
    ("get", "/"),
    ("post", "/sessionMngr/"),
    ("get", "/logonSessions"),
    ("get", "/logonSessions/{ID}"),
    ("delete", "/logonSessions/{ID}"),
    ("get", "/jobs"),
    ("get", "/jobs/{ID}"),
    ("delete", "/jobs/{ID}"),
    ("post", "/jobs/{ID}"),
    ("get", "/jobs/{ID}/backupSessions"),
    ("get", "/tasks"),
    ("get", "/tasks/{ID}"),
    ("delete", "/tasks/{ID}"),
    ("get", "/nas/jobs"),
    ("get", "/nas/jobs/{ID}"),
    ("get", "/agents/jobs"),
    ("get", "/agents/jobs/{ID}"),
}


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    paths = load_openapi()["paths"]
    return [(m, p, op) for p, item in paths.items() for m, op in item.items() if m in METHODS]


def test_openapi_document_is_valid() -> None:
    validate(load_openapi())


def test_every_operation_of_the_mission_is_described() -> None:
    assert {(m, p) for m, p, _ in operations()} == EXPECTED_OPERATIONS


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    operations(),
    ids=lambda v: str(v) if isinstance(v, str) else "",
)
def test_operation_cites_its_doc_page_and_offers_both_formats(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    assert operation["x-doc-page"].startswith("https://helpcenter.veeam.com/")
    for status, response in operation["responses"].items():
        content = response.get("content")
        if content:
            assert {"application/xml", "application/json"} <= set(content), (status, set(content))


def test_delete_job_links_to_task_polling_and_cancellation() -> None:
    accepted = load_openapi()["paths"]["/jobs/{ID}"]["delete"]["responses"]["202"]
    targets = {link["operationId"] for link in accepted["links"].values()}
    assert {"GetTask", "DeleteTask"} <= targets


def test_schemathesis_loads_every_operation() -> None:
    schema = schemathesis.openapi.from_path(str(specs_dir() / OPENAPI_FILE))
    loaded = [result.ok() for result in schema.get_all_operations()]
    assert len(loaded) == len(EXPECTED_OPERATIONS)
