"""Rendering: JSON documents straight from the model, for every resource the emulator serves.

Each function gives exactly what `element_to_json` makes of the element its namesake in
`render` builds (tests/emulator/test_render_json.py compares them on every resource and
shape): the root's content, child elements in order, then attributes with Name, UID,
Links, Href and Type last; `Links` a bare array; lists wrapped as {"<Item>s": [...]};
element text stripped; `true`/`false` and integers typed except in text fields. Built
without the element, a listing costs a fraction of the element and its conversion.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from conformance.emulator.clock import utc
from conformance.emulator.inventory import BackupServer, BackupSession, Job
from conformance.emulator.render import TaskView, xml_safe
from conformance.emulator.sessions import SUPPORTED_VERSIONS, LogonSession
from conformance.emulator.shapes import (
    DAYS,
    JOB_INFOS,
    JOB_REF_TYPES,
    STATUS_NAMES,
    LinkSpec,
    delete_link_spec,
    entity_links,
    hierarchy_ref,
    include_name,
    job_href,
    ref_links,
    session_name,
)

__all__ = [
    "backup_session_refs",
    "backup_sessions",
    "enterprise_manager",
    "error",
    "job_entities",
    "job_entity",
    "job_ref",
    "job_refs",
    "logon_session",
    "logon_sessions",
    "server_ref",
    "server_refs",
    "task",
    "tasks",
]

Document = dict[str, Any]


def _links(links: Iterable[LinkSpec]) -> list[Document]:
    """A <Link Rel Type Href Name> as JSON: Rel, then Name, Href and Type, when present."""
    rendered = []
    for rel, href, kind, name in links:
        link: Document = {"Rel": rel}
        if name is not None:
            link["Name"] = name
        link["Href"] = href
        if kind is not None:
            link["Type"] = kind
        rendered.append(link)
    return rendered


def error(status: int, message: str) -> Document:
    status_name = STATUS_NAMES.get(status, "Error")
    return {"Message": xml_safe(message), "StatusCode": status, "Status": status_name}


def enterprise_manager(base: str) -> Document:
    versions = [
        {"Name": name,
         "Links": _links([("Create", f"{base}/sessionMngr/?v={name}", "LogonSession", None)])}
        for name in SUPPORTED_VERSIONS
    ]  # fmt: skip
    links = _links([("Down", f"{base}/logonSessions", "LogonSessionList", None),
                    ("Create", f"{base}/sessionMngr/?v=latest", "LogonSession", None)])  # fmt: skip
    return {"SupportedVersions": {"SupportedVersions": versions}, "Links": links}


def logon_session(base: str, session: LogonSession) -> Document:
    href = f"{base}/logonSessions/{session.session_id}"
    links = _links([
        ("Up", f"{base}/", "EnterpriseManager", None),
        ("Down", f"{base}/backupServers", "BackupServerReferenceList", None),
        ("Down", f"{base}/jobs", "JobReferenceList", None),
        ("Down", f"{base}/tasks", "TaskList", None),
        ("Down", f"{base}/jobs?format=Entity", "JobList", None),
        ("Delete", href, "LogonSession", None),
    ])  # fmt: skip
    return {"UserName": session.user.user_name.strip(), "SessionId": session.session_id.strip(),
            "Links": links, "Href": href, "Type": "LogonSession"}  # fmt: skip


def logon_sessions(base: str, sessions: Iterable[LogonSession]) -> Document:
    return {"LogonSessions": [logon_session(base, session) for session in sessions]}


def task(base: str, view: TaskView) -> Document:
    href = f"{base}/tasks/{view.task_id}"
    links: list[LinkSpec] = [("Delete", href, "Task", None)]
    document: Document = {"TaskId": view.task_id, "State": view.state, "Operation": view.operation}
    if view.result is not None:
        if view.result.related is not None:
            job_id, name = view.result.related
            links.append(("Related", f"{base}/jobs/{job_id}?format=Entity", "Job", name))
        document["Result"] = {"Message": view.result.message.strip(),
                              "Success": view.result.success}  # fmt: skip
    document["Links"] = _links(links)
    if view.href:
        document["Href"] = href
    document["Type"] = "Task"
    return document


def tasks(base: str, views: Iterable[TaskView]) -> Document:
    return {"Tasks": [task(base, view) for view in views]}


def server_ref(base: str, server: BackupServer) -> Document:
    return {"Name": server.name, "UID": server.uid,
            "Links": _links([("Down", f"{base}/jobs", "JobReferenceList", None)]),
            "Href": f"{base}/backupServers/{server.server_id}", "Type": "BackupServerReference"}  # fmt: skip


def server_refs(base: str, server: BackupServer) -> Document:
    return {"Refs": [server_ref(base, server)]}


def job_ref(base: str, job: Job, server: BackupServer, *, delete_link: bool = False) -> Document:
    links = ref_links(base, job, server)
    if delete_link:
        links.append(delete_link_spec(base, job))
    return {"Name": job.name, "UID": job.uid, "Links": _links(links),
            "Href": job_href(base, job), "Type": JOB_REF_TYPES[job.kind]}  # fmt: skip


def job_refs(
    base: str, jobs: Iterable[Job], server: BackupServer, *, delete_link: bool = False
) -> Document:
    return {"Refs": [job_ref(base, job, server, delete_link=delete_link) for job in jobs]}


def _schedule() -> Document:
    """JobScheduleOptions, the same for every job (render._schedule)."""
    retry = {"RetryTimes": 3, "RetryTimeout": 10, "RetrySpecified": True}
    daily = {"Kind": "Everyday", "Days": list(DAYS), "Time": "22:00:00.0000000+00:00",
             "Enabled": True}  # fmt: skip
    return {"Standart": {"RetryOptions": retry, "OptionsDaily": daily}}


def _job_info(base: str, job: Job, server: BackupServer) -> Document:
    name = include_name(job)
    item = {"ObjectInJobId": job.object_id, "HierarchyObjRef": hierarchy_ref(job, server),
            "DisplayName": name, "Name": name,
            "Href": f"{job_href(base, job)}/includes/{job.object_id}", "Type": "ObjectInJob"}  # fmt: skip
    return {JOB_INFOS.get(job.job_type, "BackupJobInfo"): {"Includes": {"ObjectInJobs": [item]}}}


def job_entity(base: str, job: Job, server: BackupServer, *, delete_link: bool = False) -> Document:
    links = entity_links(base, job, server)
    if delete_link:
        links.append(delete_link_spec(base, job))
    return {
        "JobType": job.job_type, "Platform": job.platform,
        "Description": job.description.strip(), "ScheduleConfigured": True,
        "ScheduleEnabled": job.schedule_enabled, "NextRun": utc(job.next_run),
        "JobScheduleOptions": _schedule(), "JobInfo": _job_info(base, job, server),
        "Name": job.name, "UID": job.uid, "Links": _links(links),
        "Href": f"{job_href(base, job)}?format=Entity", "Type": "Job",
    }  # fmt: skip


def job_entities(
    base: str, jobs: Iterable[Job], server: BackupServer, *, delete_link: bool = False
) -> Document:
    return {"Jobs": [job_entity(base, job, server, delete_link=delete_link) for job in jobs]}


def backup_session_refs(base: str, job: Job) -> Document:
    refs = []
    for session in job.sessions:
        href = f"{base}/backupSessions/{session.session_id}"
        links = _links([("Up", job_href(base, job), "JobReference", job.name),
                        ("Alternate", f"{href}?format=Entity", "BackupJobSession", None)])  # fmt: skip
        refs.append({"Name": session_name(job, session),
                     "UID": f"urn:veeam:BackupJobSession:{session.session_id}", "Links": links,
                     "Href": href, "Type": "BackupJobSessionReference"})  # fmt: skip
    return {"Refs": refs}


def _session_entity(base: str, job: Job, session: BackupSession, now: float) -> Document:
    running = session.running(now)
    document: Document = {"JobUid": job.uid, "JobName": job.name.strip(), "JobType": job.job_type,
                          "CreationTimeUTC": utc(session.started)}  # fmt: skip
    if not running:
        document["EndTimeUTC"] = utc(session.ends)
    document.update({
        "State": "Working" if running else "Stopped",
        "Result": "None" if running else session.result,
        "Progress": 50 if running else 100, "IsRetry": session.is_retry,
        "Name": session_name(job, session), "UID": f"urn:veeam:BackupJobSession:{session.session_id}",
        "Links": _links([("Up", job_href(base, job), "JobReference", job.name)]),
        "Href": f"{base}/backupSessions/{session.session_id}?format=Entity",
        "Type": "BackupJobSession",
    })  # fmt: skip
    return document


def backup_sessions(base: str, job: Job, now: float) -> Document:
    return {"BackupJobSessions": [_session_entity(base, job, s, now) for s in job.sessions]}
