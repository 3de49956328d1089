"""The isolation flow: a second logon session tries to read, list and remove the task
the first session's deletion created; then the owner follows it to the end."""

from __future__ import annotations

from conformance.checks.steps import Label
from conformance.flows.base import FlowRun, accepted_task, take_job

__all__ = ["run_isolation"]


def run_isolation(run: FlowRun) -> None:
    owner = run.logon()
    try:
        other = run.logon("logon-other-session")
        try:
            job = take_job(run, owner)
            exchange = run.send("DELETE", f"/jobs/{job}", Label.DELETE_JOB, logon=owner)
            task = accepted_task(exchange)
            if task is None:
                return
            target = run.task_target(task)
            run.send("GET", target, Label.OTHER_GET_TASK, logon=other)
            run.send("GET", "/tasks", Label.OTHER_LIST_TASKS, logon=other)
            removed = run.send("DELETE", target, Label.OTHER_DELETE_TASK, logon=other)
            if 200 <= removed.response.status < 300:
                # The other session removed the task (EM-ISO-004 fails on that): the owner
                # has nothing left to follow, and a 404 now would repeat that finding.
                return
            run.send("GET", target, Label.OWN_GET_TASK, logon=owner)
            run.poll(task, owner, "poll-owner-task")
        finally:
            run.logout(other, "logout-other-session")
    finally:
        run.logout(owner)
