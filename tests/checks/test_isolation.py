"""The isolation checks: another logon session can neither see nor remove the task."""

from __future__ import annotations

import pytest

from conformance.checks import Outcome
from conformance.checks.steps import Label

from ._exchanges import (
    JOB_ID,
    assert_outcome,
    error_xml,
    exchange,
    in_flow,
    response,
    task_xml,
    tasks_xml,
)

P, F = Outcome.PASSED, Outcome.FAILED
OTHER = "b3RoZXItc2Vzc2lvbg=="


def flow(get: int = 404, listed: tuple[str, ...] = ("task-7",), remove: int = 404, own: int = 200):
    def body(status: int) -> bytes:
        return task_xml() if status == 200 else error_xml(status)

    steps = [
        exchange("DELETE", f"/jobs/{JOB_ID}", response(202, task_xml()), label=Label.DELETE_JOB),
        exchange(
            "GET",
            "/tasks/task-1",
            response(get, body(get)),
            token=OTHER,
            label=Label.OTHER_GET_TASK,
        ),
        exchange(
            "GET",
            "/tasks",
            response(200, tasks_xml(*listed)),
            token=OTHER,
            label=Label.OTHER_LIST_TASKS,
        ),
        exchange(
            "DELETE",
            "/tasks/task-1",
            response(remove, b"" if remove == 204 else error_xml(remove)),
            token=OTHER,
            label=Label.OTHER_DELETE_TASK,
        ),
        exchange("GET", "/tasks/task-1", response(own, body(own)), label=Label.OWN_GET_TASK),
    ]
    return in_flow("isolation", *steps)


CASES = [
    pytest.param("task_hidden_from_other_session", flow(), P, id="hidden"),
    pytest.param("task_hidden_from_other_session", flow(get=500), P, id="hidden-by-500"),
    pytest.param("task_hidden_from_other_session", flow(get=200), F, id="leaked"),
    pytest.param("other_session_gets_404", flow(), P, id="404"),
    pytest.param("other_session_gets_404", flow(get=500), F, id="500"),
    pytest.param("task_unlisted_for_other_session", flow(), P, id="unlisted"),
    pytest.param("task_unlisted_for_other_session", flow(listed=("task-1",)), F, id="listed"),
    pytest.param("task_survives_other_session_delete", flow(), P, id="untouchable"),
    pytest.param("task_survives_other_session_delete", flow(remove=204), F, id="removed-by-other"),
    pytest.param("task_survives_other_session_delete", flow(own=404), F, id="owner-lost-it"),
]


@pytest.mark.parametrize(("check", "exchanges", "expected"), CASES)
def test_isolation_checks(check: str, exchanges: list, expected: Outcome) -> None:
    assert_outcome(check, exchanges, expected)
