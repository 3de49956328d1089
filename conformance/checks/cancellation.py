"""Cancellation: `DELETE /tasks/{ID}` answers 204 with no body and the task is gone;
what happened to the job is reported, and it is never left half deleted."""

from __future__ import annotations

from conformance.checks._support import (
    describe,
    is_success,
    job_ids_in,
    last_segment,
    require,
    require_status,
    task_ids_in,
)
from conformance.checks.registry import check
from conformance.checks.rule import Level, rule_maker
from conformance.checks.scope import Each, Indexed, InFlow, Subject
from conformance.checks.steps import Label
from conformance.checks.verdict import fail
from conformance.exchange import Exchange

AREA = "cancellation"
_rule = rule_maker("CANCEL", AREA)
MUST, SHOULD, INFO = Level.MUST, Level.SHOULD, Level.INFO
PAGE = "delete_task_id.html"
FLOW = "delete-and-cancel"

NO_CONTENT = _rule(1, MUST, PAGE, "DELETE /tasks/{ID} answers 204 No Content with no body.")
TASK_GONE = _rule(2, MUST, PAGE, "After DELETE /tasks/{ID}, GET /tasks/{ID} is 404.")
TASK_UNLISTED = _rule(3, MUST, PAGE, "After DELETE /tasks/{ID}, GET /tasks omits the task.")
JOB_REPORTED = _rule(
    4, INFO, PAGE, "What cancelling the deletion did to the job (kept or deleted)."
)
NO_HALF_STATE = _rule(
    5, SHOULD, "delete_jobs_id.html", "After a cancelled deletion the job is wholly there or gone."
)


def _cancel(exchange: Exchange) -> bool:
    return exchange.label == Label.CANCEL_TASK or is_success(exchange.response.status)


@check(NO_CONTENT, Each(method="DELETE", path="/tasks/{id}", where=_cancel))
def cancel_answers_204(subject: Subject) -> None:
    response = require_status(subject.items[0], 204)
    if response.body:
        fail("no body with 204", f"{len(response.body)} bytes")


def _cancelled(subject: Subject) -> str:
    cancel = require(subject.first(Label.CANCEL_TASK), Label.CANCEL_TASK)
    require_status(cancel, 204)
    return last_segment(cancel[1].request.url)


@check(TASK_GONE, InFlow(FLOW))
def cancelled_task_not_found(subject: Subject) -> None:
    _cancelled(subject)
    require_status(require(subject.first(Label.GET_CANCELLED_TASK), Label.GET_CANCELLED_TASK), 404)


@check(TASK_UNLISTED, InFlow(FLOW))
def cancelled_task_not_listed(subject: Subject) -> None:
    task_id = _cancelled(subject)
    listing = require(subject.first(Label.LIST_TASKS_AFTER_CANCEL), Label.LIST_TASKS_AFTER_CANCEL)
    require_status(listing, 200)
    if task_id in task_ids_in(listing):
        fail(f"{task_id} absent from GET /tasks", "still listed", at=(listing[0],))


def _job_after(subject: Subject) -> Indexed:
    return require(subject.first(Label.GET_JOB_AFTER), Label.GET_JOB_AFTER)


@check(JOB_REPORTED, InFlow(FLOW))
def cancelled_job_fate(subject: Subject) -> str:
    _cancelled(subject)
    status = _job_after(subject)[1].response.status
    fate = {200: "kept", 404: "deleted"}.get(status, f"unknown (GET answered {status})")
    return f"job {fate} after the deletion task was cancelled"


@check(NO_HALF_STATE, InFlow(FLOW))
def cancelled_job_whole(subject: Subject) -> str:
    _cancelled(subject)
    get = _job_after(subject)
    status = get[1].response.status
    listing = require(subject.first(Label.LIST_JOBS_AFTER), Label.LIST_JOBS_AFTER)
    job_id = last_segment(require(subject.first(Label.DELETE_JOB), Label.DELETE_JOB)[1].request.url)
    listed = job_id.lower() in job_ids_in(listing)
    if status not in (200, 404) or listed != (status == 200):
        received = f"{describe(get[1])}, {'listed' if listed else 'not listed'}"
        fail(
            "GET /jobs/{ID} 200 and listed, or 404 and unlisted", received, at=(get[0], listing[0])
        )
    return "kept" if listed else "deleted"
