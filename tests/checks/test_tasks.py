"""The task and polling checks: states, Result, monotonic polls, the job after the task."""

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
OTHER_JOB = "065c3eed-175d-4fd8-89c8-2da82b0dcd4f"
RUNNING = task_xml()
DONE = task_xml(state="Finished", success=True)
FAILED = task_xml(state="Finished", success=False, message="Job is running")


def delete(body: bytes = RUNNING, status: int = 202, label: str = Label.DELETE_JOB):
    return exchange("DELETE", f"/jobs/{JOB_ID}", response(status, body), label=label)


def poll(body: bytes, label: str = Label.POLL_TASK, task: str = "task-1", status: int = 200):
    return exchange("GET", f"/tasks/{task}", response(status, body), label=label)


def after(get_status: int = 404, listed: tuple[str, ...] = (OTHER_JOB,), again: int = 404):
    return [
        exchange("GET", "/tasks", response(200, tasks_xml("task-1")), label=Label.LIST_TASKS),
        exchange(
            "GET",
            f"/jobs/{JOB_ID}",
            response(get_status, error_xml(get_status) if get_status != 200 else b""),
            label=Label.GET_JOB_AFTER,
        ),
        exchange("GET", "/jobs", response(200, job_refs_xml(*listed)), label=Label.LIST_JOBS_AFTER),
        delete(error_xml(again) if again != 202 else RUNNING, again, Label.DELETE_AGAIN),
    ]


def flow(*steps, name: str = "delete-and-poll"):
    return in_flow(name, *steps)


GOOD = flow(delete(), poll(RUNNING), poll(DONE), poll(DONE), *after())
NEVER = flow(delete(), poll(RUNNING), poll(RUNNING))
BACKWARDS = flow(delete(), poll(DONE), poll(RUNNING))
FAILED_FLOW = flow(delete(), poll(FAILED), *after(get_status=200, listed=(JOB_ID,)))
HALF = flow(delete(), poll(FAILED), *after(get_status=404))
UNLISTED = flow(
    delete(),
    poll(DONE),
    exchange("GET", "/tasks", response(200, tasks_xml("task-9")), label=Label.LIST_TASKS),
)
STILL_THERE = flow(delete(), poll(DONE), *after(get_status=200, listed=(JOB_ID,)))
AGAIN_OK = flow(
    delete(), poll(DONE), *after(again=202), poll(DONE, Label.POLL_DELETE_AGAIN, "task-2")
)
AGAIN_FAILS = flow(
    delete(), poll(DONE), *after(again=202), poll(FAILED, Label.POLL_DELETE_AGAIN, "task-2")
)
NO_MESSAGE = task_xml(state="Finished", success=False, message=None)
RUNNING_JOB_REFUSED = flow(
    delete(), poll(FAILED), *after(get_status=200), name="delete-running-job"
)
RUNNING_JOB_DELETED = flow(delete(), poll(DONE), *after(), name="delete-running-job")
WEIRD_OK = task_xml(state="Finished", success=True, message="Deleted")

CASES = [
    pytest.param("own_task_readable", [poll(DONE)], P, id="own-200"),
    pytest.param("own_task_readable", [poll(error_xml(404), status=404)], F, id="own-404"),
    pytest.param("task_state_known", [poll(DONE)], P, id="state-finished"),
    pytest.param("task_state_known", [poll(task_xml(state="Done"))], F, id="state-done"),
    pytest.param(
        "result_only_when_finished",
        [poll(task_xml(state="OperationFinished", success=True))],
        P,
        id="result-opfinished",
    ),
    pytest.param(
        "result_only_when_finished", [delete(task_xml(success=True))], F, id="result-running"
    ),
    pytest.param("finished_task_has_result", [poll(DONE)], P, id="finished-result"),
    pytest.param(
        "finished_task_has_result", [poll(task_xml(state="Finished"))], F, id="finished-no-result"
    ),
    pytest.param("states_move_forward", GOOD, P, id="forward"),
    pytest.param("states_move_forward", BACKWARDS, F, id="backwards"),
    pytest.param(
        "states_move_forward", flow(delete(), poll(DONE), poll(FAILED)), F, id="result-flips"
    ),
    pytest.param("polled_task_finishes", GOOD, P, id="finishes"),
    pytest.param("polled_task_finishes", NEVER, F, id="never-finishes"),
    pytest.param(
        "polled_task_finishes", [poll(RUNNING, "poll-clone")], F, id="clone-never-finishes"
    ),
    pytest.param("task_listed_in_session", GOOD, P, id="listed"),
    pytest.param("task_listed_in_session", UNLISTED, F, id="unlisted"),
    pytest.param("deleted_job_not_found", GOOD, P, id="gone"),
    pytest.param("deleted_job_not_found", STILL_THERE, F, id="survives"),
    pytest.param("deleted_job_not_listed", GOOD, P, id="unlisted-job"),
    pytest.param("deleted_job_not_listed", STILL_THERE, F, id="listed-job"),
    pytest.param("second_delete_fails", GOOD, P, id="again-404"),
    pytest.param("second_delete_fails", AGAIN_FAILS, P, id="again-202-then-fails"),
    pytest.param("second_delete_fails", AGAIN_OK, F, id="again-succeeds"),
    pytest.param("failed_delete_keeps_job", FAILED_FLOW, P, id="failed-keeps"),
    pytest.param("failed_delete_keeps_job", HALF, F, id="half-state"),
    pytest.param("failed_task_says_why", [poll(FAILED)], P, id="says-why"),
    pytest.param("failed_task_says_why", [poll(NO_MESSAGE)], F, id="silent-failure"),
    pytest.param("deletion_message_ok", GOOD, P, id="ok"),
    pytest.param("deletion_message_ok", flow(delete(), poll(WEIRD_OK), *after()), F, id="not-ok"),
    pytest.param("running_job_not_deleted", RUNNING_JOB_REFUSED, P, id="running-refused"),
    pytest.param("running_job_not_deleted", RUNNING_JOB_DELETED, F, id="running-deleted"),
]


@pytest.mark.parametrize(("check", "exchanges", "expected"), CASES)
def test_task_checks(check: str, exchanges: list, expected: Outcome) -> None:
    assert_outcome(check, exchanges, expected)


def test_tasks_of_different_sessions_are_not_one_timeline() -> None:
    other = exchange("GET", "/tasks/task-1", response(200, RUNNING), token="b3RoZXI=")
    assert_outcome("states_move_forward", [poll(DONE), other], P)


def test_flow_checks_skip_when_the_delete_was_refused() -> None:
    from ._exchanges import outcomes_of

    exchanges = flow(delete(error_xml(404), 404))
    assert outcomes_of("deleted_job_not_found", exchanges) == {Outcome.SKIPPED}
