"""Job operations as the backup server carries them out, when their task's time comes.

Each function returns the work a task runs at its operation time; the outcome is
decided then, against the state of that moment (a job deleted meanwhile, a job that
started running). A failed operation changes nothing: never a half state (DESIGN.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from conformance.emulator.fault_catalogue import (
    DELETE_TASK_FAILS,
    HALF_STATE_ON_FAILED_DELETE,
    JOB_SURVIVES_DELETE,
    RUNNING_JOB_DELETABLE,
)
from conformance.emulator.inventory import JOB, Job
from conformance.emulator.state import State
from conformance.emulator.tasks import Outcome

__all__ = ["clone_job", "delete_job", "missing_job", "start_job", "stop_job", "toggle_schedule"]

Work = Callable[[float], Outcome]


def _gone(job_id: str) -> Outcome:
    shown = _printable(job_id)
    return Outcome(False, f"Job {shown} was not found on the backup server: it no longer exists.")


def _printable(text: str) -> str:
    """`text` with control characters escaped: a generated ID may hold some, and XML 1.0
    cannot carry them in a task's Message."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def missing_job(job_id: str) -> Work:
    """A job that never existed (fault unknown-job-202): the task fails."""
    return lambda now: _gone(job_id)


def _removal(state: State, job: Job) -> Callable[[], None]:
    """Mark the job deleted on the backup server; EM drops it when it publishes."""
    job.removed = True
    return functools.partial(state.inventory.remove, job.job_id)


def _deletion_refused(state: State, job: Job) -> Outcome:
    message = f'Cannot delete job "{job.name}" while it is running. Stop the job and try again.'
    if state.faults.on(HALF_STATE_ON_FAILED_DELETE):
        return Outcome(False, message, publish=_removal(state, job))
    return Outcome(False, message)


def delete_job(state: State, job_id: str) -> Work:
    """Deleted on the backup server at OperationFinished; gone from EM once Finished."""

    def work(now: float) -> Outcome:
        job = state.inventory.live(job_id)
        if job is None:
            return _gone(job_id)
        if job.running(now) and not state.faults.on(RUNNING_JOB_DELETABLE):
            return _deletion_refused(state, job)
        if state.faults.on(DELETE_TASK_FAILS):
            return Outcome(
                False, f'Cannot delete job "{job.name}": the backup server is not available.'
            )
        if state.faults.on(JOB_SURVIVES_DELETE):
            return Outcome(True, "Ok")
        return Outcome(True, "Ok", publish=_removal(state, job))

    return work


def start_job(state: State, job_id: str, verb: str = "start") -> Work:
    """Start (`start`, `sync`) or retry (`retry`) a job: it runs for `run_duration`."""

    def work(now: float) -> Outcome:
        job = state.inventory.live(job_id)
        if job is None:
            return _gone(job_id)
        if job.running(now):
            return Outcome(False, f'Job "{job.name}" is already running.')
        if verb == "retry" and job.last_result(now) != "Failed":
            return Outcome(
                False, f'Job "{job.name}" cannot be retried: its last session did not fail.'
            )
        state.inventory.start_session(job, now, state.config.run_duration, retry=verb == "retry")
        return Outcome(True, f'Job "{job.name}" triggered to {verb}.')

    return work


def stop_job(state: State, job_id: str) -> Work:
    def work(now: float) -> Outcome:
        job = state.inventory.live(job_id)
        if job is None:
            return _gone(job_id)
        for session in job.sessions:
            if session.running(now):
                session.ends, session.result = now, "Failed"
        return Outcome(True, f'Job "{job.name}" triggered to stop.')

    return work


def toggle_schedule(state: State, job_id: str) -> Work:
    def work(now: float) -> Outcome:
        job = state.inventory.live(job_id)
        if job is None:
            return _gone(job_id)
        job.schedule_enabled = not job.schedule_enabled
        return Outcome(True, "Ok")

    return work


def clone_job(state: State, job_id: str, name: str, description: str | None) -> Work:
    """A new job like the source, on the same backup server; the task links to it."""

    def work(now: float) -> Outcome:
        source = state.inventory.live(job_id)
        if source is None:
            return _gone(job_id)
        if state.inventory.named(name) is not None:
            return Outcome(False, f'A job named "{name}" already exists. Choose another JobName.')
        clone = state.inventory.add(JOB, source.job_type, source.platform, name,
                                    description or source.description, now, published=False)  # fmt: skip
        return Outcome(
            True,
            "Ok",
            (clone.job_id, clone.name),
            functools.partial(state.inventory.publish, clone.job_id),
        )

    return work
