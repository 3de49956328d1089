"""The delete-and-cancel flow: delete a disposable job, remove its task at once, then
see that the task is gone and what became of the job."""

from __future__ import annotations

from conformance.checks.steps import Label
from conformance.flows.base import FlowRun, accepted_task, take_job

__all__ = ["run_delete_and_cancel"]


def run_delete_and_cancel(run: FlowRun) -> None:
    logon = run.logon()
    try:
        job = take_job(run, logon)
        exchange = run.send("DELETE", f"/jobs/{job}", Label.DELETE_JOB, logon=logon)
        task = accepted_task(exchange)
        if task is None:
            return
        run.send("DELETE", run.task_target(task), Label.CANCEL_TASK, logon=logon)
        run.send("GET", run.task_target(task), Label.GET_CANCELLED_TASK, logon=logon)
        run.send("GET", "/tasks", Label.LIST_TASKS_AFTER_CANCEL, logon=logon)
        after = run.send("GET", f"/jobs/{job}", Label.GET_JOB_AFTER, logon=logon)
        run.send("GET", "/jobs", Label.LIST_JOBS_AFTER, logon=logon)
        if after.response.status == 200 and run.context.supply is not None:
            run.context.supply.give_back(job)
    finally:
        run.logout(logon)
