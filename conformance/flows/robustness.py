"""The robustness flow: unknown and malformed IDs and wrong methods (NAS and Agent jobs
aimed at through `/jobs/{ID}` are the safety flow's)."""

from __future__ import annotations

from conformance.checks.steps import Probe
from conformance.client import Logon
from conformance.flows.base import FlowRun, new_probe_id, new_probe_task

__all__ = ["MALFORMED_IDS", "run_robustness"]

# Percent-encoded where needed: a snowman, a path-looking ID, one far too long, an empty-ish one.
MALFORMED_IDS = ("not-a-guid", "%E2%98%83", "..%2F..%2Fjobs", "x" * 300, "%20")

# (method, collection): methods the collections do not support; bodiless, so harmless.
WRONG_METHODS = (("PUT", "/tasks"), ("PATCH", "/jobs"))


def _unknown(run: FlowRun, logon: Logon) -> None:
    job, task = new_probe_id(run.context.rng), new_probe_task(run.context.rng)
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


def run_robustness(run: FlowRun) -> None:
    logon = run.logon()
    try:
        _unknown(run, logon)
        _malformed(run, logon)
        for method, path in WRONG_METHODS:
            run.send(method, path, "wrong-method", logon=logon, tags=(Probe.WRONG_METHOD,))
    finally:
        run.logout(logon)
