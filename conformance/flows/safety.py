"""The safety flow: `DELETE /jobs/{ID}` aimed at a NAS and an Agent job, which must
survive it (delete_jobs_id.html: the call does not delete file share or Agent jobs).

On a server the flow aims only at a NAS or Agent job the user named with
`--disposable-job`, since a server that wrongly deletes it loses it; the job's kind is
learned by reading it at `/nas/jobs/{ID}` and `/agents/jobs/{ID}`, and the deleting flows
leave such a job alone (`take_job`).  On the embedded emulator, with none given, the
first job listed in each collection is used.
"""

from __future__ import annotations

from conformance.checks.steps import Label
from conformance.client import Logon
from conformance.errors import BodyError
from conformance.flows.base import FlowRun, FlowSkipped, job_kind
from conformance.model import EntityRef, Task

__all__ = ["run_safety"]

# (collection, label of the DELETE sent to /jobs/{ID}, label of the GET that looks after it)
_KINDS = (
    ("/nas/jobs", Label.DELETE_NAS_JOB, Label.NAS_JOB_AFTER),
    ("/agents/jobs", Label.DELETE_AGENT_JOB, Label.AGENT_JOB_AFTER),
)
NO_JOB = (
    "no NAS or Agent job given: name one with --disposable-job ID to judge EM-SAFE-002..004"
    " (DELETE /jobs/{ID} must leave it in place)"
)


def _first_listed(run: FlowRun, logon: Logon, collection: str) -> str | None:
    listing = run.send("GET", collection, f"list:{collection}", logon=logon)
    try:
        refs = EntityRef.list_from_body(listing.response.body, listing.response.media_type)
    except BodyError:
        return None
    return refs[0].id if listing.response.status == 200 and refs and refs[0].id else None


def _target(run: FlowRun, logon: Logon, collection: str) -> str | None:
    given = (
        job for job in run.context.plan.disposable_jobs if job_kind(run, logon, job) == collection
    )
    job = next(given, None)
    if job is None and run.context.plan.embedded:
        job = _first_listed(run, logon, collection)
    return job


def _aim(run: FlowRun, logon: Logon, collection: str, job: str, labels: tuple[str, str]) -> None:
    delete, after = labels
    run.client.guard.foreign_jobs.add(job)
    exchange = run.send("DELETE", f"/jobs/{job}", delete, logon=logon)
    task = Task.from_exchange(exchange)
    if exchange.response.status == 202 and task is not None:
        run.poll(task, logon, f"poll-{delete}")  # judge the job once the task has had its way
    run.send("GET", f"{collection}/{job}", after, logon=logon)


def run_safety(run: FlowRun) -> None:
    logon = run.logon()
    try:
        aimed = 0
        for collection, delete, after in _KINDS:
            job = _target(run, logon, collection)
            if job is not None:
                _aim(run, logon, collection, job, (delete, after))
                aimed += 1
        if not aimed:
            raise FlowSkipped(NO_JOB)
    finally:
        run.logout(logon)
