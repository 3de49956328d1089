"""The cancellation checks: 204 without a body, the task gone, the job whole."""

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
    job_refs_xml,
    response,
    task_xml,
    tasks_xml,
)

P, F = Outcome.PASSED, Outcome.FAILED


def cancel(status: int = 204, body: bytes = b""):
    return exchange("DELETE", "/tasks/task-1", response(status, body), label=Label.CANCEL_TASK)


def flow(
    cancel_status: int = 204,
    get_status: int = 404,
    listed_tasks: tuple[str, ...] = (),
    job_status: int = 200,
    listed_jobs: tuple[str, ...] = (JOB_ID,),
):
    get_body = task_xml() if get_status == 200 else error_xml(get_status)
    job_body = b"" if job_status == 200 else error_xml(job_status)
    steps = [
        exchange("DELETE", f"/jobs/{JOB_ID}", response(202, task_xml()), label=Label.DELETE_JOB),
        cancel(cancel_status),
        exchange(
            "GET", "/tasks/task-1", response(get_status, get_body), label=Label.GET_CANCELLED_TASK
        ),
        exchange(
            "GET",
            "/tasks",
            response(200, tasks_xml(*listed_tasks)),
            label=Label.LIST_TASKS_AFTER_CANCEL,
        ),
        exchange(
            "GET", f"/jobs/{JOB_ID}", response(job_status, job_body), label=Label.GET_JOB_AFTER
        ),
        exchange(
            "GET", "/jobs", response(200, job_refs_xml(*listed_jobs)), label=Label.LIST_JOBS_AFTER
        ),
    ]
    return in_flow("delete-and-cancel", *steps)


CASES = [
    pytest.param("cancel_answers_204", [cancel()], P, id="204"),
    pytest.param("cancel_answers_204", [cancel(200, task_xml())], F, id="200-with-task"),
    pytest.param("cancel_answers_204", [cancel(204, b"<x/>")], F, id="204-with-body"),
    pytest.param("cancelled_task_not_found", flow(), P, id="gone"),
    pytest.param("cancelled_task_not_found", flow(get_status=200), F, id="still-readable"),
    pytest.param("cancelled_task_not_listed", flow(), P, id="unlisted"),
    pytest.param("cancelled_task_not_listed", flow(listed_tasks=("task-1",)), F, id="listed"),
    pytest.param("cancelled_job_fate", flow(), P, id="kept"),
    pytest.param("cancelled_job_fate", flow(job_status=404, listed_jobs=()), P, id="deleted"),
    pytest.param("cancelled_job_fate", flow(cancel_status=500), F, id="not-cancelled"),
    pytest.param("cancelled_job_whole", flow(), P, id="whole-kept"),
    pytest.param("cancelled_job_whole", flow(job_status=404, listed_jobs=()), P, id="whole-gone"),
    pytest.param("cancelled_job_whole", flow(job_status=404), F, id="half-listed"),
    pytest.param("cancelled_job_whole", flow(listed_jobs=()), F, id="half-unlisted"),
]


@pytest.mark.parametrize(("check", "exchanges", "expected"), CASES)
def test_cancellation_checks(check: str, exchanges: list, expected: Outcome) -> None:
    assert_outcome(check, exchanges, expected)


def test_job_fate_is_reported_in_the_verdict() -> None:
    from ._exchanges import verdicts_of

    (verdict,) = verdicts_of("cancelled_job_fate", flow(job_status=404, listed_jobs=()))
    assert verdict.received == "job deleted after the deletion task was cancelled"


def test_info_rule_never_blocks() -> None:
    from ._exchanges import verdicts_of

    (verdict,) = verdicts_of("cancelled_job_fate", flow(cancel_status=500))
    assert verdict.failed and not verdict.blocking
