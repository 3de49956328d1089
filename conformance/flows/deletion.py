"""The delete-and-poll flow: delete a disposable job, poll its task to the end (and a
little past it), then look for the job; and its variant on a running job, which must
fail and leave the job in place."""

from __future__ import annotations

from conformance.checks.steps import Label
from conformance.client import Logon
from conformance.flows.base import FlowAborted, FlowRun, FlowSkipped, accepted_task, take_job
from conformance.model import Task

__all__ = [
    "CONFIRMING_POLLS",
    "delete_and_poll",
    "run_cleanup",
    "run_delete_and_poll",
    "run_delete_running_job",
]

# Polls after Finished, to see that a finished task stays finished.
CONFIRMING_POLLS = 2


def _accepted(run: FlowRun, logon: Logon, job: str, label: str) -> Task | None:
    exchange = run.send("DELETE", f"/jobs/{job}", label, logon=logon)
    return accepted_task(exchange)


def _look_for_job(run: FlowRun, logon: Logon, job: str) -> bool:
    """GET the job and the job list after the task; True when the job is gone."""
    after = run.send("GET", f"/jobs/{job}", Label.GET_JOB_AFTER, logon=logon)
    run.send("GET", "/jobs", Label.LIST_JOBS_AFTER, logon=logon)
    return after.response.status == 404


def _delete_again(run: FlowRun, logon: Logon, job: str) -> None:
    task = _accepted(run, logon, job, Label.DELETE_AGAIN)
    if task is not None:
        run.poll(task, logon, Label.POLL_DELETE_AGAIN)


def delete_and_poll(run: FlowRun, logon: Logon, job: str) -> bool:
    """Delete `job` and follow its task; True when the job is gone afterwards."""
    task = _accepted(run, logon, job, Label.DELETE_JOB)
    if task is None:
        run.send("GET", f"/jobs/{job}", Label.GET_JOB_AFTER, logon=logon)
        return False
    run.poll(task, logon, Label.POLL_TASK, confirm=CONFIRMING_POLLS)
    run.send("GET", "/tasks", Label.LIST_TASKS, logon=logon)
    return _look_for_job(run, logon, job)


def run_delete_and_poll(run: FlowRun) -> None:
    logon = run.logon()
    try:
        job = take_job(run, logon)
        run.send("GET", f"/jobs/{job}", Label.GET_JOB_BEFORE, logon=logon)
        run.send("GET", f"/jobs/{job}?format=Entity", Label.GET_JOB_BEFORE, logon=logon)
        if delete_and_poll(run, logon, job):
            _delete_again(run, logon, job)
    finally:
        run.logout(logon)


def _start(run: FlowRun, logon: Logon, job: str) -> None:
    exchange = run.send("POST", f"/jobs/{job}?action=start", Label.START_JOB, logon=logon)
    task = accepted_task(exchange)
    if task is None:
        raise FlowAborted(f"starting job {job} answered {exchange.response.status} without a Task")
    result = run.poll(task, logon, "poll-start")
    if not (result.finished and result.task and result.task.result and result.task.result.success):
        raise FlowAborted(f"the start task of job {job} did not succeed ({result.stopped})")


def run_delete_running_job(run: FlowRun) -> None:
    logon = run.logon()
    try:
        job = take_job(run, logon)
        _start(run, logon, job)
        delete_and_poll(run, logon, job)
    finally:
        run.logout(logon)


def run_cleanup(run: FlowRun) -> None:
    """Delete the clones this run made that are still there (a cancelled deletion, a
    flow that stopped early), so a run leaves the target as it found it."""
    supply = run.context.supply
    made = list(supply.made) if supply is not None else []
    if not made:
        raise FlowSkipped("the run made no clones")
    logon = run.logon()
    try:
        for job in made:
            if run.send("GET", f"/jobs/{job}", "cleanup-get", logon=logon).response.status == 200:
                task = _accepted(run, logon, job, "cleanup-delete")
                if task is not None:
                    run.poll(task, logon, "poll-cleanup")
    finally:
        run.logout(logon)
