"""The `DELETE /jobs/{ID}` checks: 202, a valid DeleteJob Task that links itself."""

from __future__ import annotations

import pytest

from conformance.checks import Outcome
from conformance.checks.steps import Label

from ._exchanges import (
    BASE,
    JOB_ID,
    JSON,
    assert_outcome,
    error_xml,
    exchange,
    response,
    task_json,
    task_xml,
)

P, F = Outcome.PASSED, Outcome.FAILED


def delete(status: int = 202, body: bytes | None = None, **kw):
    data = task_xml() if body is None else body
    return exchange(
        "DELETE", f"/jobs/{JOB_ID}", response(status, data), label=Label.DELETE_JOB, **kw
    )


WRONG_HOST = task_xml(href="http://em-internal.local:9399/api/tasks/task-1")
NO_LINK = task_xml().replace(
    b'<Link Rel="Delete" Type="Task" Href="' + BASE.encode() + b'/tasks/task-1"/>', b""
)

CASES = [
    pytest.param("delete_answers_202", [delete()], P, id="202"),
    pytest.param("delete_answers_202", [delete(200)], F, id="200"),
    pytest.param("delete_answers_202", [delete(404, error_xml(404))], F, id="404-for-existing"),
    pytest.param("delete_returns_valid_task", [delete()], P, id="valid-xml"),
    pytest.param(
        "delete_returns_valid_task", [delete(body=task_json(), accept=JSON)], P, id="valid-json"
    ),
    pytest.param(
        "delete_returns_valid_task", [delete(body=task_xml(state="Pending"))], F, id="bad-state"
    ),
    pytest.param("delete_task_operation", [delete()], P, id="deletejob"),
    pytest.param(
        "delete_task_operation", [delete(body=task_xml(operation="StartJob"))], F, id="startjob"
    ),
    pytest.param("delete_task_href", [delete()], P, id="href"),
    pytest.param(
        "delete_task_href",
        [delete(body=task_xml(href=f"{BASE}/tasks/task-2"))],
        F,
        id="href-other-task",
    ),
    pytest.param("delete_task_same_origin", [delete()], P, id="same-origin"),
    pytest.param("delete_task_same_origin", [delete(body=WRONG_HOST)], F, id="other-host"),
    pytest.param(
        "delete_task_links_itself", [delete(body=task_json(), accept=JSON)], P, id="self-link"
    ),
    pytest.param("delete_task_links_itself", [delete(body=NO_LINK)], F, id="no-self-link"),
]


@pytest.mark.parametrize(("check", "exchanges", "expected"), CASES)
def test_delete_job_checks(check: str, exchanges: list, expected: Outcome) -> None:
    assert_outcome(check, exchanges, expected)


def test_default_port_counts_as_the_same_origin() -> None:
    body = task_xml(href="https://em.example:443/api/tasks/task-1")
    answer = response(202, body)
    from conformance.exchange import Exchange, RecordedRequest

    request = RecordedRequest.build("DELETE", f"https://em.example/api/jobs/{JOB_ID}")
    assert_outcome("delete_task_same_origin", [Exchange(request, answer)], P)
