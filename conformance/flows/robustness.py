"""The robustness flow: unknown and malformed IDs, wrong methods, and (on the embedded
emulator only) `DELETE /jobs/{ID}` aimed at a NAS and an Agent job, which must survive."""

from __future__ import annotations

import secrets

from conformance.checks.steps import Label, Probe
from conformance.client import Logon
from conformance.errors import BodyError
from conformance.flows.base import FlowRun, new_probe_id, task_of
from conformance.model import EntityRef

__all__ = ["MALFORMED_IDS", "run_robustness"]

# Percent-encoded where needed: a snowman, a path-looking ID, one far too long, an empty-ish one.
MALFORMED_IDS = ("not-a-guid", "%E2%98%83", "..%2F..%2Fjobs", "x" * 300, "%20")

# (method, collection): methods the collections do not support; bodiless, so harmless.
WRONG_METHODS = (("PUT", "/tasks"), ("PATCH", "/jobs"))


def _unknown(run: FlowRun, logon: Logon) -> None:
    job, task = new_probe_id(), f"task-{secrets.randbelow(10**9) + 10**9}"
    run.client.guard.probes.update({job, task})
    tags = (Probe.UNKNOWN_ID,)
    run.send("GET", f"/jobs/{job}", "unknown-job", logon=logon, tags=tags)
    run.send("GET", f"/tasks/{task}", "unknown-task", logon=logon, tags=tags)
    if run.client.guard.destructive:
        run.send("DELETE", f"/jobs/{job}", "unknown-job", logon=logon, tags=tags)
        run.send("DELETE", f"/tasks/{task}", "unknown-task", logon=logon, tags=tags)


def _malformed(run: FlowRun, logon: Logon) -> None:
    tags = (Probe.MALFORMED_ID,)
    for job in MALFORMED_IDS:
        run.send("GET", f"/jobs/{job}", "malformed-job-id", logon=logon, tags=tags)
    run.send("GET", "/tasks/not-a-task", "malformed-task-id", logon=logon, tags=tags)
    if run.client.guard.destructive:
        run.client.guard.probes.add("not-a-guid")
        run.send("DELETE", "/jobs/not-a-guid", "malformed-job-id", logon=logon, tags=tags)


def _first_ref(run: FlowRun, logon: Logon, collection: str) -> str | None:
    listing = run.send("GET", collection, f"list:{collection}", logon=logon)
    try:
        refs = EntityRef.list_from_body(listing.response.body, listing.response.media_type)
    except BodyError:
        return None
    return refs[0].id if listing.response.status == 200 and refs and refs[0].id else None


def _foreign(run: FlowRun, logon: Logon, collection: str, delete: str, after: str) -> None:
    job = _first_ref(run, logon, collection)
    if job is None:
        return
    run.client.guard.foreign_jobs.add(job)
    exchange = run.send("DELETE", f"/jobs/{job}", delete, logon=logon)
    task = task_of(exchange)
    if exchange.response.status == 202 and task is not None:
        run.poll(task, logon, f"poll-{delete}")  # judge the job once the task has had its way
    run.send("GET", f"{collection}/{job}", after, logon=logon)


def run_robustness(run: FlowRun) -> None:
    logon = run.logon()
    try:
        _unknown(run, logon)
        _malformed(run, logon)
        for method, path in WRONG_METHODS:
            run.send(method, path, "wrong-method", logon=logon, tags=(Probe.WRONG_METHOD,))
        if run.context.embedded and run.client.guard.destructive:
            _foreign(run, logon, "/nas/jobs", Label.DELETE_NAS_JOB, Label.NAS_JOB_AFTER)
            _foreign(run, logon, "/agents/jobs", Label.DELETE_AGENT_JOB, Label.AGENT_JOB_AFTER)
    finally:
        run.logout(logon)
