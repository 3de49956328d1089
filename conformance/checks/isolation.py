"""Isolation: a task belongs to the logon session that created it; no other session
can read, list or remove it (tasks.html: /tasks lists the current session's tasks)."""

from __future__ import annotations

from conformance.checks._support import (
    describe,
    is_error,
    require,
    require_status,
    task_ids_in,
    task_of,
)
from conformance.checks.registry import check
from conformance.checks.rule import Level, rule_maker
from conformance.checks.scope import Indexed, InFlow, Subject
from conformance.checks.steps import Label
from conformance.checks.verdict import fail, skip
from conformance.exchange import Exchange
from conformance.model import Task

AREA = "isolation"
_rule = rule_maker("ISO", AREA)
MUST, SHOULD = Level.MUST, Level.SHOULD
PAGE = "tasks.html"
FLOW = "isolation"

HIDDEN = _rule(1, MUST, PAGE, "Another logon session cannot read the task (GET /tasks/{ID}).")
NOT_REVEALED = _rule(
    2,
    SHOULD,
    PAGE,
    "Another session's refused GET /tasks/{ID} carries no Task: 404, or 500 as real 12.x"
    " servers answer, with the status recorded.",
)
UNLISTED = _rule(3, MUST, PAGE, "The task does not appear in another session's GET /tasks.")
UNTOUCHABLE = _rule(
    4, SHOULD, PAGE, "Another session cannot remove the task; its owner still can read it."
)

# Real 12.x servers refuse another session's task with a 500 whose Error says "no task
# with id [task-N] in current rest session" (field notes); DESIGN.md chose 404. Either
# is a refusal: a rule fails only when the task is revealed or removed.
_KNOWN = {404: "404, as DESIGN.md chooses", 500: "500, as real 12.x servers answer"}


def _task_id(subject: Subject) -> str:
    deletion = require(subject.first(Label.DELETE_JOB), Label.DELETE_JOB)
    if deletion[1].response.status != 202:
        skip("the DELETE of the job was not accepted, so there is no task to hide")
    return task_of(deletion).task_id


def _step(subject: Subject, label: str) -> Indexed:
    return require(subject.first(label), label)


def _refused(item: Indexed) -> str:
    """The note naming the refusal seen; fails when the answer was a success."""
    index, exchange = item
    status = exchange.response.status
    if not is_error(status):
        fail("a 4xx or 5xx refusal (404, or 500 as real 12.x servers)", describe(exchange),
             at=(index,))  # fmt: skip
    return f"refused with {_KNOWN.get(status, str(status))}"


def _carries_task(exchange: Exchange) -> bool:
    """Whether a body shows the task (its TaskId or State); a message naming it is fine."""
    shown = Task.from_exchange(exchange)
    return shown is not None and bool(shown.task_id or shown.state)


@check(HIDDEN, InFlow(FLOW))
def task_hidden_from_other_session(subject: Subject) -> str:
    _task_id(subject)
    return _refused(_step(subject, Label.OTHER_GET_TASK))


@check(NOT_REVEALED, InFlow(FLOW))
def other_session_refusal_reveals_nothing(subject: Subject) -> str:
    _task_id(subject)
    index, exchange = _step(subject, Label.OTHER_GET_TASK)
    if is_error(exchange.response.status) and _carries_task(exchange):
        fail("an Error (or no body) with the refusal, never the Task", "the Task", at=(index,))
    return _refused((index, exchange))


@check(UNLISTED, InFlow(FLOW))
def task_unlisted_for_other_session(subject: Subject) -> None:
    task_id = _task_id(subject)
    listing = _step(subject, Label.OTHER_LIST_TASKS)
    require_status(listing, 200)
    if task_id in task_ids_in(listing):
        fail(f"{task_id} absent from the other session's GET /tasks", "listed", at=(listing[0],))


@check(UNTOUCHABLE, InFlow(FLOW))
def task_survives_other_session_delete(subject: Subject) -> str:
    _task_id(subject)
    note = _refused(_step(subject, Label.OTHER_DELETE_TASK))
    require_status(_step(subject, Label.OWN_GET_TASK), 200)
    return note
