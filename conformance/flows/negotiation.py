"""The negotiation flow: every Accept variant on the entry point and a protected
resource, then each resource of the subset fetched as XML and as JSON (the twins)."""

from __future__ import annotations

from conformance.checks.steps import FORMAT_TAG, Label
from conformance.client import Logon
from conformance.errors import BodyError
from conformance.flows.base import FlowRun
from conformance.model import EntityRef
from conformance.protocol import MEDIA_TYPES, XML

__all__ = ["ACCEPT_VARIANTS", "run_negotiation"]

# (Accept header or None, the format it negotiates per DESIGN.md)
ACCEPT_VARIANTS = (
    (None, "xml"),
    ("*/*", "xml"),
    ("application/xml", "xml"),
    ("application/json", "json"),
    ("application/xml, application/json", "json"),
    ("application/json;q=0.5, application/xml", "json"),
)


def _first_job(run: FlowRun, logon: Logon) -> str | None:
    listing = run.send("GET", "/jobs", "list-jobs", logon=logon, accept=MEDIA_TYPES["xml"])
    if listing.response.status != 200:
        return None
    try:
        refs = EntityRef.list_from_body(listing.response.body, XML)
    except BodyError:  # no readable list: no job-level twins
        return None
    return refs[0].id if refs else None


def _resources(logon: Logon, job: str | None) -> list[str]:
    paths = [
        "/",
        f"/logonSessions/{logon.session_id}",
        "/logonSessions",
        "/jobs",
        "/tasks",
        "/nas/jobs",
        "/agents/jobs",
    ]
    if job:
        paths += [f"/jobs/{job}", f"/jobs/{job}?format=Entity", f"/jobs/{job}/backupSessions"]
    return paths


def _lowercase_format(run: FlowRun, logon: Logon, job: str) -> None:
    """The job read as Nutanix Calm reads it, `?format=entity` in lower case (field notes);
    EM-TOL-001 compares the answer with the twin's `?format=Entity`."""
    run.send("GET", f"/jobs/{job}?format=entity", Label.GET_JOB_FORMAT_LOWERCASE, logon=logon,
             accept=MEDIA_TYPES["xml"], tags=(f"{FORMAT_TAG}:xml",))  # fmt: skip


def run_negotiation(run: FlowRun) -> None:
    logon = run.logon()
    try:
        for accept, fmt in ACCEPT_VARIANTS:
            tags = (f"{FORMAT_TAG}:{fmt}",)
            run.send("GET", "/", f"accept:{accept}", accept=accept, tags=tags)
            run.send("GET", "/tasks", f"accept:{accept}", logon=logon, accept=accept, tags=tags)
        job = _first_job(run, logon)
        for path in _resources(logon, job):
            for fmt, accept in MEDIA_TYPES.items():
                run.send(
                    "GET",
                    path,
                    Label.TWIN,
                    logon=logon,
                    accept=accept,
                    tags=(f"{FORMAT_TAG}:{fmt}",),
                )
        if job:
            _lowercase_format(run, logon, job)
    finally:
        run.logout(logon)
