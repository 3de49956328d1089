"""Isolation: a task belongs to the logon session that created it; no other session
can read, list or remove it (tasks.html: /tasks lists the current session's tasks)."""

from __future__ import annotations

from conformance.checks._support import (
    describe,
    is_success,
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

AREA = "isolation"
_rule = rule_maker("ISO", AREA)
MUST, SHOULD = Level.MUST, Level.SHOULD
PAGE = "tasks.html"
FLOW = "isolation"

HIDDEN = _rule(1, MUST, PAGE, "Another logon session cannot read the task (GET /tasks/{ID}).")
NOT_FOUND = _rule(2, SHOULD, PAGE, "Another session's GET /tasks/{ID} is 404, not a server error.")
UNLISTED = _rule(3, MUST, PAGE, "The task does not appear in another session's GET /tasks.")
UNTOUCHABLE = _rule(
    4, SHOULD, PAGE, "Another session cannot remove the task; its owner still can read it."
)


def _task_id(subject: Subject) -> str:
    deletion = require(subject.first(Label.DELETE_JOB), Label.DELETE_JOB)
    if deletion[1].response.status != 202:
        skip("the DELETE of the job was not accepted, so there is no task to hide")
    return task_of(deletion).task_id


def _step(subject: Subject, label: str) -> Indexed:
    return require(subject.first(label), label)


@check(HIDDEN, InFlow(FLOW))
def task_hidden_from_other_session(subject: Subject) -> None:
    _task_id(subject)
    index, exchange = _step(subject, Label.OTHER_GET_TASK)
    if is_success(exchange.response.status):
        fail("no access to another session's task", describe(exchange), at=(index,))


@check(NOT_FOUND, InFlow(FLOW))
def other_session_gets_404(subject: Subject) -> None:
    _task_id(subject)
    require_status(_step(subject, Label.OTHER_GET_TASK), 404)


@check(UNLISTED, InFlow(FLOW))
def task_unlisted_for_other_session(subject: Subject) -> None:
    task_id = _task_id(subject)
    listing = _step(subject, Label.OTHER_LIST_TASKS)
    require_status(listing, 200)
    if task_id in task_ids_in(listing):
        fail(f"{task_id} absent from the other session's GET /tasks", "listed", at=(listing[0],))


@check(UNTOUCHABLE, InFlow(FLOW))
def task_survives_other_session_delete(subject: Subject) -> None:
    _task_id(subject)
    index, exchange = _step(subject, Label.OTHER_DELETE_TASK)
    if is_success(exchange.response.status):
        fail("another session's DELETE /tasks/{ID} refused (404)", describe(exchange), at=(index,))
    require_status(_step(subject, Label.OWN_GET_TASK), 200)
