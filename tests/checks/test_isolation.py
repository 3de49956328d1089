"""The isolation checks: another logon session can neither see nor remove the task."""

from __future__ import annotations

import pytest

from conformance.checks import Outcome, judge
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


def flow(
    get: int = 404,
    listed: tuple[str, ...] = ("task-7",),
    remove: int = 404,
    own: int = 200,
    leak: bool = False,
):
    def body(status: int) -> bytes:
        return task_xml() if status == 200 or leak else error_xml(status)

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
    pytest.param("task_hidden_from_other_session", flow(get=403), P, id="hidden-by-403"),
    pytest.param("task_hidden_from_other_session", flow(get=200), F, id="leaked"),
    pytest.param("other_session_refusal_reveals_nothing", flow(), P, id="404"),
    pytest.param("other_session_refusal_reveals_nothing", flow(get=500), P, id="500"),
    pytest.param(
        "other_session_refusal_reveals_nothing", flow(get=404, leak=True), F, id="404-task"
    ),
    pytest.param("other_session_refusal_reveals_nothing", flow(get=200), F, id="200"),
    pytest.param("task_unlisted_for_other_session", flow(), P, id="unlisted"),
    pytest.param("task_unlisted_for_other_session", flow(listed=("task-1",)), F, id="listed"),
    pytest.param("task_survives_other_session_delete", flow(), P, id="untouchable"),
    pytest.param("task_survives_other_session_delete", flow(remove=500), P, id="untouchable-500"),
    pytest.param("task_survives_other_session_delete", flow(remove=204), F, id="removed-by-other"),
    pytest.param("task_survives_other_session_delete", flow(own=404), F, id="owner-lost-it"),
]


@pytest.mark.parametrize(
    ("status", "note"),
    [(404, "404, as DESIGN.md chooses"), (500, "500, as real 12.x servers answer"), (403, "403")],
)
def test_the_refusal_seen_is_recorded(status: int, note: str) -> None:
    verdicts = judge(flow(get=status, remove=status))
    notes = {v.check: v.received for v in verdicts if v.rule.area == "isolation"}
    for name in ("task_hidden_from_other_session", "other_session_refusal_reveals_nothing",
                 "task_survives_other_session_delete"):  # fmt: skip
        assert notes[name] == f"refused with {note}"


@pytest.mark.parametrize(("check", "exchanges", "expected"), CASES)
def test_isolation_checks(check: str, exchanges: list, expected: Outcome) -> None:
    assert_outcome(check, exchanges, expected)
