"""Jobs: GET /jobs, GET/DELETE/POST /jobs/{ID}, GET /jobs/{ID}/backupSessions."""

from __future__ import annotations

from conformance.emulator import operations
from conformance.emulator.access import require_administrator
from conformance.emulator.context import Context
from conformance.emulator.documents import (
    backup_session_refs,
    backup_sessions,
    job_entities,
    job_entity,
    job_ref,
    job_refs,
)
from conformance.emulator.endpoints.clone_spec import read_clone_spec
from conformance.emulator.endpoints.tasks import task_body, task_view
from conformance.emulator.fault_catalogue import (
    DELETE_LINK_ON_JOB,
    DELETE_RETURNS_200,
    NAS_JOB_DELETABLE,
    UNKNOWN_JOB_202,
    UNKNOWN_JOB_500,
)
from conformance.emulator.inventory import JOB, NAS, Job
from conformance.emulator.listings import listing
from conformance.emulator.state import State
from conformance.emulator.wire import HttpError, Reply

__all__ = ["delete_job", "entity_format", "get_backup_sessions", "get_job", "get_jobs", "post_job"]

# action -> Operation name of its task (post_jobs_id_action*.html).
_OPERATIONS = {
    "start": "StartJob", "stop": "StopJob", "retry": "RetryJob", "clone": "CloneJob",
    "sync": "StartJobSync", "togglescheduleenabled": "UpdateJob",
}  # fmt: skip
_ACTIONS = "start, stop, retry, clone, sync, toggleScheduleEnabled"


# Real clients send every case (Nutanix Calm: `format=entity`; the query service's
# `Entities`); EM answers them all like `Entity` (field notes).
_ENTITY = frozenset({"entity", "entities"})


def entity_format(context: Context) -> bool:
    """True for `?format=Entity` in any case (or `Entities`); any other value is a 400."""
    value = context.query.get("format")
    if value is None:
        return False
    if value.lower() in _ENTITY:
        return True
    raise HttpError(400, f"Expected format=Entity (or no format); received format={value[:100]!r}.")


def _administrator(context: Context) -> str:
    assert context.session is not None
    require_administrator(context.session)
    return context.session.session_id


def find_job(state: State, job_id: str, kind: str | None = JOB) -> Job:
    job = state.inventory.get(job_id, kind)
    if job is not None:
        return job
    if kind == JOB and state.faults.on(UNKNOWN_JOB_500):
        raise HttpError(500, "Object reference not set to an instance of an object.")
    raise HttpError(404, f"No job with ID {job_id[:100]!r} in this collection.")


def get_jobs(state: State, context: Context) -> Reply:
    _administrator(context)
    entity, delete = entity_format(context), state.faults.on(DELETE_LINK_ON_JOB)
    render = job_entities if entity else job_refs
    return listing(state, context, JOB, lambda jobs, server: render(context.base, jobs, server,
                   delete_link=delete), ("entity" if entity else "refs", delete))  # fmt: skip


def get_job(state: State, context: Context, job_id: str) -> Reply:
    _administrator(context)
    entity, delete = entity_format(context), state.faults.on(DELETE_LINK_ON_JOB)
    job, server = find_job(state, job_id), state.inventory.server
    if entity:
        return Reply(200, job_entity(context.base, job, server, delete_link=delete))
    return Reply(200, job_ref(context.base, job, server, delete_link=delete))


def _task_reply(state: State, context: Context, owner: str, operation: str,
                work: operations.Work, status: int = 202) -> Reply:  # fmt: skip
    created = state.tasks.create(operation, owner, context.now, state.task_duration, work)
    return Reply(status, task_body(context.base, task_view(state, created, context.now)))


def delete_job(state: State, context: Context, job_id: str) -> Reply:
    """202 and a Running DeleteJob task; the job goes when the task's operation happens."""
    owner = _administrator(context)
    status = 200 if state.faults.on(DELETE_RETURNS_200) else 202
    job = state.inventory.get(job_id, JOB)
    if job is None and state.faults.on(NAS_JOB_DELETABLE):
        job = state.inventory.get(job_id, NAS)
    if job is None and state.faults.on(UNKNOWN_JOB_202):
        return _task_reply(
            state, context, owner, "DeleteJob", operations.missing_job(job_id), status
        )
    job = job or find_job(state, job_id)
    return _task_reply(
        state, context, owner, "DeleteJob", operations.delete_job(state, job.job_id), status
    )


def _action(context: Context) -> str:
    # The docs' scenario posts `?action=start/`: the trailing slash is tolerated.
    raw = context.query.get("action")
    action = (raw or "").rstrip("/").lower()
    if action not in _OPERATIONS:
        received = "none" if raw is None else repr(raw[:100])
        raise HttpError(400, f"Expected ?action= one of {_ACTIONS}; received {received}.")
    return action


def _check_action(job: Job, action: str) -> None:
    """Backup copy jobs sync instead of start/stop/retry (get_jobs_id.html examples 2-3)."""
    if job.is_backup_copy and action in ("start", "stop", "retry"):
        raise HttpError(
            400, f"Expected action=sync for the {job.job_type} job; received action={action}."
        )
    if not job.is_backup_copy and action == "sync":
        raise HttpError(
            400, f"Expected action=start for the {job.job_type} job; sync is for backup copy jobs."
        )


def _work(state: State, context: Context, job: Job, action: str) -> operations.Work:
    if action == "clone":
        name, description = read_clone_spec(context.request, job)
        return operations.clone_job(state, job.job_id, name, description)
    if action == "stop":
        return operations.stop_job(state, job.job_id)
    if action == "togglescheduleenabled":
        return operations.toggle_schedule(state, job.job_id)
    return operations.start_job(state, job.job_id, action)


def post_job(state: State, context: Context, job_id: str) -> Reply:
    """202 and a task for start, stop, retry, sync, clone or toggleScheduleEnabled."""
    owner = _administrator(context)
    action = _action(context)
    job = find_job(state, job_id)
    _check_action(job, action)
    return _task_reply(
        state, context, owner, _OPERATIONS[action], _work(state, context, job, action)
    )


def get_backup_sessions(state: State, context: Context, job_id: str) -> Reply:
    """References, or with ?format=Entity the sessions with their State (running or not)."""
    _administrator(context)
    entity = entity_format(context)
    job = find_job(state, job_id)
    if entity:
        return Reply(200, backup_sessions(context.base, job, context.now))
    return Reply(200, backup_session_refs(context.base, job))
