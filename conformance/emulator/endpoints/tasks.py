"""GET /tasks, GET /tasks/{ID} and DELETE /tasks/{ID}; a task belongs to its logon session."""

from __future__ import annotations

from conformance.emulator.bodies import PLACEHOLDER, Template
from conformance.emulator.context import Context
from conformance.emulator.documents import task, tasks
from conformance.emulator.fault_catalogue import (
    BUSY_503,
    CANCEL_RETURNS_200_WITH_BODY,
    CROSS_SESSION_TASK_LEAK,
    MISSING_TASK_HREF,
    RESULT_WHILE_RUNNING,
    SESSION_EXPIRES_MID_POLL,
    STATE_GOES_BACKWARDS,
    TASK_IN_OTHER_SESSION,
    TASK_SURVIVES_CANCEL,
)
from conformance.emulator.render import TaskView
from conformance.emulator.state import State
from conformance.emulator.tasks import FINISHED, OPERATION_FINISHED, RUNNING, Outcome, Task
from conformance.emulator.wire import HttpError, Reply, collection

__all__ = ["delete_task", "get_task", "get_tasks", "task_body", "task_view"]


def _shown_result(task_: Task, state_: str) -> Outcome | None:
    outcome = task_.outcome
    if outcome is None or state_ == RUNNING:
        return None
    if state_ == OPERATION_FINISHED:
        # get_tasks_id.html: an OperationFinished task reports Message "OperationFinished".
        return Outcome(outcome.success, "OperationFinished" if outcome.success else outcome.message)
    return outcome


def task_view(state: State, task_: Task, now: float, *, poll: bool = False) -> TaskView:
    """What the Task body shows now; `poll` counts a GET (for state-goes-backwards)."""
    shown = task_.state(now)
    if poll:
        task_.polls += 1
    if state.faults.on(STATE_GOES_BACKWARDS) and shown == FINISHED and task_.polls % 2 == 0:
        shown = RUNNING
    result = _shown_result(task_, shown)
    if state.faults.on(RESULT_WHILE_RUNNING) and shown == RUNNING:
        result = Outcome(True, "Ok")
    return TaskView(
        task_.task_id, shown, task_.operation, result, href=not state.faults.on(MISSING_TASK_HREF)
    )


def task_body(base: str, view: TaskView) -> Template:
    """The Task body as a template: every task in the same state shares one rendering."""
    shape = TaskView(PLACEHOLDER, view.state, view.operation, view.result, href=view.href)
    key = ("Task", base, view.state, view.operation, view.result, view.href)
    return Template(key, task(base, shape), view.task_id)


def _owner(state: State, context: Context) -> str | None:
    """Whose tasks the caller sees: their own session's (everyone's with the leak fault)."""
    if state.faults.on(CROSS_SESSION_TASK_LEAK):
        return None
    assert context.session is not None
    return context.session.session_id


def _find(state: State, context: Context, task_id: str) -> Task:
    found = state.tasks.get(task_id)
    owner = _owner(state, context)
    if found is None:
        raise HttpError(404, f"No task with id [{task_id[:100]}].")
    if owner not in (None, found.owner):
        # What real 12.x servers answer for another logon session's task (field notes):
        # a 500 whose Error names the task, never the task itself.
        raise HttpError(500, f"No task with id [{found.task_id}] in current rest session.")
    return found


def get_tasks(state: State, context: Context) -> Reply:
    views = [
        task_view(state, item, context.now) for item in state.tasks.listed(_owner(state, context))
    ]
    base = context.base
    return Reply(200, collection(tasks(base, views), len(views)))


def _client_faults(state: State, context: Context, found: Task) -> None:
    """The client-facing profiles that refuse a poll (validate-client --matrix)."""
    if state.faults.on(TASK_IN_OTHER_SESSION):
        # The wording of 12.x for another session's task (field notes).
        raise HttpError(500, f"no task with id [{found.task_id}] in current rest session")
    if state.faults.on(BUSY_503) and found.polls == 0:
        found.polls += 1
        raise HttpError(503, "The service is busy; retry later.", [("Retry-After", "1")])
    if state.faults.on(SESSION_EXPIRES_MID_POLL) and found.polls >= 1:
        assert context.session is not None
        state.sessions.close(context.session)
        raise HttpError(
            401, "The X-RestSvcSessionId token is unknown, expired or logged out. Log on again."
        )


def get_task(state: State, context: Context, task_id: str) -> Reply:
    found = _find(state, context, task_id)
    _client_faults(state, context, found)
    return Reply(200, task_body(context.base, task_view(state, found, context.now, poll=True)))


def delete_task(state: State, context: Context, task_id: str) -> Reply:
    """204: the task is removed and, if its operation has not happened yet, it never will."""
    found = _find(state, context, task_id)
    if state.faults.on(CANCEL_RETURNS_200_WITH_BODY):
        view = task_view(state, found, context.now)
        state.tasks.remove(found)
        return Reply(200, task_body(context.base, view))
    if not state.faults.on(TASK_SURVIVES_CANCEL):
        state.tasks.remove(found)
    return Reply(204)
