"""Tasks and polling: valid states that only move forward, `Result` only once finished,
and what a finished `DeleteJob` task means for the job (gone, or intact after a failure)."""

from __future__ import annotations

import itertools

from conformance.checks._support import (
    describe,
    is_success,
    job_ids_in,
    last_segment,
    require,
    require_status,
    require_valid,
    session_of,
    task_ids_in,
    task_of,
)
from conformance.checks.registry import check
from conformance.checks.rule import Level, rule_maker
from conformance.checks.scope import (
    Each,
    Indexed,
    InFlow,
    PerTask,
    Subject,
    path_matches,
    tag_value,
)
from conformance.checks.steps import Label
from conformance.checks.verdict import fail, skip
from conformance.exchange import Exchange
from conformance.model import TASK_STATES, Task

AREA = "task"
MUST, SHOULD, INFO = Level.MUST, Level.SHOULD, Level.INFO
GET_TASK = "get_tasks_id.html"
DELETE_JOB = "delete_jobs_id.html"
POLL_FLOWS = ("delete-and-poll", "delete-running-job")


_rule = rule_maker("TASK", AREA)

OWN_TASK = _rule(
    1, MUST, GET_TASK, "GET /tasks/{ID} of one's own task answers 200 with a valid Task."
)
STATES = _rule(2, MUST, GET_TASK, "A Task's State is Running, OperationFinished or Finished.")
RESULT_WHEN_DONE = _rule(3, MUST, GET_TASK, "A Task carries a Result only once it has finished.")
FINISHED_RESULT = _rule(4, MUST, GET_TASK, "A Finished Task carries a Result with Success.")
FORWARD = _rule(
    5, MUST, GET_TASK, "A task's State only moves forward and a Finished task stays put."
)
FINISHES = _rule(6, MUST, GET_TASK, "A task polled to its end reaches Finished within the timeout.")
LISTED = _rule(7, MUST, "get_tasks.html", "A task is listed in GET /tasks of its own session.")
JOB_GONE = _rule(8, MUST, DELETE_JOB, "After a successful DeleteJob task, GET /jobs/{ID} is 404.")
JOB_UNLISTED = _rule(
    9, MUST, DELETE_JOB, "After a successful DeleteJob task, GET /jobs omits the job."
)
NO_SECOND_DELETE = _rule(10, MUST, DELETE_JOB, "Deleting an already deleted job is not a success.")
FAILED_KEEPS_JOB = _rule(
    11, SHOULD, DELETE_JOB, "A DeleteJob task that fails leaves the job in place."
)
FAILURE_MESSAGE = _rule(
    12, SHOULD, GET_TASK, "A task that finishes Success=false says why in Message."
)
RUNNING_JOB = _rule(
    14, SHOULD, DELETE_JOB, "Deleting a running job fails (Success=false) and the job stays."
)
OK_MESSAGE = _rule(13, INFO, DELETE_JOB, "A successful DeleteJob task finishes with Message 'Ok'.")

_RANK = {state: rank for rank, state in enumerate(TASK_STATES)}


def carries_task(exchange: Exchange) -> bool:
    """Responses whose body is one Task: a 202 from a job operation, or GET /tasks/{ID} 200."""
    request, status = exchange.request, exchange.response.status
    if status == 202 and path_matches("/jobs/{id}", request.url):
        return True
    return status == 200 and request.method == "GET" and path_matches("/tasks/{id}", request.url)


def _task_key(exchange: Exchange) -> str | None:
    if not carries_task(exchange):
        return None
    task = Task.from_exchange(exchange)
    return f"{session_of(exchange)}/{task.task_id}" if task and task.task_id else None


def _own_task(exchange: Exchange) -> bool:
    own = exchange.label in (Label.POLL_TASK, Label.POLL_DELETE_AGAIN, Label.OWN_GET_TASK)
    return own or exchange.response.status == 200


@check(OWN_TASK, Each(method="GET", path="/tasks/{id}", where=_own_task))
def own_task_readable(subject: Subject) -> None:
    require_status(subject.items[0], 200)
    require_valid(subject.items[0], "Task")


@check(STATES, Each(where=carries_task))
def task_state_known(subject: Subject) -> None:
    task = task_of(subject.items[0])
    if task.state not in TASK_STATES:
        fail(f"State {', '.join(TASK_STATES)}", f"State {task.state!r}")


@check(RESULT_WHEN_DONE, Each(where=carries_task))
def result_only_when_finished(subject: Subject) -> None:
    task = task_of(subject.items[0])
    if task.result is not None and task.state == "Running":
        fail("no Result while State is Running", f"Result Success={task.result.success}")


@check(FINISHED_RESULT, Each(where=carries_task))
def finished_task_has_result(subject: Subject) -> None:
    task = task_of(subject.items[0])
    if task.finished and (task.result is None or task.result.success is None):
        fail("a Result with Success=true|false on a Finished task", "none")


@check(FORWARD, PerTask(_task_key))
def states_move_forward(subject: Subject) -> str:
    seen: list[tuple[int, Task]] = [(index, task_of((index, e))) for index, e in subject.items]
    for (before_at, before), (after_at, after) in itertools.pairwise(seen):
        if _RANK.get(after.state, -1) < _RANK.get(before.state, -1):
            fail(
                f"State after {before.state} to stay or move forward",
                after.state,
                at=(before_at, after_at),
            )
        if before.finished and after.result != before.result:
            fail(
                "a Finished task to keep its Result",
                f"{before.result} then {after.result}",
                at=(before_at, after_at),
            )
    return " -> ".join(task.state for _, task in seen)


def final_task(subject: Subject) -> tuple[Indexed, Task]:
    """The last state the flow saw of the task its DELETE created."""
    steps = subject.labelled(Label.DELETE_JOB)[:1] + subject.labelled(Label.POLL_TASK)
    seen = [item for item in steps if item[1].response.status in (200, 202)]
    if not seen or require(subject.first(Label.DELETE_JOB), "delete-job")[1].response.status != 202:
        skip("the DELETE of the job was not accepted, so no task was polled")
    return seen[-1], task_of(seen[-1])


def _deleted(subject: Subject) -> tuple[Indexed, Task]:
    item, task = final_task(subject)
    if not (task.finished and task.result is not None and task.result.success):
        skip(f"the deletion did not finish successfully (State {task.state})")
    return item, task


def _polled_key(exchange: Exchange) -> str | None:
    """Polls a flow made to follow one task to its end (labels `poll-*`), per flow run."""
    if not exchange.label.startswith("poll-") or exchange.request.method != "GET":
        return None
    task_id = last_segment(exchange.request.url)
    return f"{tag_value(exchange, 'run')}/{exchange.label}/{session_of(exchange)}/{task_id}"


@check(FINISHES, PerTask(_polled_key))
def polled_task_finishes(subject: Subject) -> str:
    item = subject.items[-1]
    task = task_of(item)
    if not task.finished:
        fail(
            "State Finished before the task timeout",
            f"State {task.state or '(none)'} after {len(subject.items)} polls",
            at=(item[0],),
        )
    return f"Finished after {len(subject.items)} polls"


@check(LISTED, InFlow(*POLL_FLOWS))
def task_listed_in_session(subject: Subject) -> None:
    _, task = final_task(subject)
    listing = require(subject.first(Label.LIST_TASKS), Label.LIST_TASKS)
    require_status(listing, 200)
    if task.task_id not in task_ids_in(listing):
        fail(
            f"{task.task_id} among the session's tasks",
            ", ".join(task_ids_in(listing)) or "none",
            at=(listing[0],),
        )


def _job_id(subject: Subject) -> str:
    return last_segment(require(subject.first(Label.DELETE_JOB), Label.DELETE_JOB)[1].request.url)


@check(JOB_GONE, InFlow(*POLL_FLOWS))
def deleted_job_not_found(subject: Subject) -> None:
    _deleted(subject)
    require_status(require(subject.first(Label.GET_JOB_AFTER), Label.GET_JOB_AFTER), 404)


@check(JOB_UNLISTED, InFlow(*POLL_FLOWS))
def deleted_job_not_listed(subject: Subject) -> None:
    _deleted(subject)
    listing = require(subject.first(Label.LIST_JOBS_AFTER), Label.LIST_JOBS_AFTER)
    require_status(listing, 200)
    if _job_id(subject).lower() in job_ids_in(listing):
        fail(f"job {_job_id(subject)} absent from GET /jobs", "still listed", at=(listing[0],))


@check(NO_SECOND_DELETE, InFlow(*POLL_FLOWS))
def second_delete_fails(subject: Subject) -> str:
    _deleted(subject)
    again = require(subject.first(Label.DELETE_AGAIN), Label.DELETE_AGAIN)
    status = again[1].response.status
    if status != 202:
        if is_success(status) or status >= 500:
            fail(
                "404 (or another 4xx) for a job already deleted", describe(again[1]), at=(again[0],)
            )
        return f"answered {status}"
    polls = subject.labelled(Label.POLL_DELETE_AGAIN) or [again]
    task = task_of(polls[-1])
    if not (task.finished and task.result is not None and task.result.success is False):
        fail(
            "a task finishing Success=false",
            f"State {task.state}, {task.result}",
            at=(polls[-1][0],),
        )
    return "answered 202, then a failed task"


@check(FAILED_KEEPS_JOB, InFlow(*POLL_FLOWS))
def failed_delete_keeps_job(subject: Subject) -> str:
    _, task = final_task(subject)
    if not task.finished or task.result is None or task.result.success is not False:
        skip("the deletion did not finish with Success=false")
    require_status(require(subject.first(Label.GET_JOB_AFTER), Label.GET_JOB_AFTER), 200)
    return f"job kept after: {task.result.message}"


@check(FAILURE_MESSAGE, Each(where=carries_task))
def failed_task_says_why(subject: Subject) -> None:
    task = task_of(subject.items[0])
    if task.result is not None and task.result.success is False and not task.result.message:
        fail("a Message saying why the task failed", "an empty or missing Message")


@check(OK_MESSAGE, InFlow(*POLL_FLOWS))
def deletion_message_ok(subject: Subject) -> str:
    _, task = _deleted(subject)
    message = task.result.message if task.result else None
    if message != "Ok":
        fail("Message 'Ok'", repr(message))
    return "Message 'Ok'"


@check(RUNNING_JOB, InFlow("delete-running-job"))
def running_job_not_deleted(subject: Subject) -> str:
    item, task = final_task(subject)
    if not task.finished:
        skip(f"the deletion task did not finish (State {task.state})")
    if task.result is None or task.result.success is not False:
        fail("Result Success=false for deleting a running job", f"{task.result}", at=(item[0],))
    require_status(require(subject.first(Label.GET_JOB_AFTER), Label.GET_JOB_AFTER), 200)
    return f"refused: {task.result.message}"
