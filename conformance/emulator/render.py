"""Rendering: lxml elements in the EM namespace for every resource the emulator serves.

Only elements are built here, and XML bytes come from the representations layer
(`dump_xml`); `render_json` builds the JSON documents from the model, equal to what the
project's single mapping rule (`element_to_json`) makes of these elements.
`base` is always the `scheme://host:port/api` the client called.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import cast

from lxml import etree

from conformance.emulator.clock import utc
from conformance.emulator.inventory import BackupServer, BackupSession, Job
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
from conformance.emulator.tasks import Outcome
from conformance.representations import NS, qname

__all__ = [
    "TaskView",
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
    "xml_safe",
]

Element = etree._Element
# lxml takes None as the default-namespace key; lxml-stubs do not allow it.
_NSMAP = cast("dict[str, str]", {None: NS})

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _root(name: str, **attributes: str) -> Element:
    element = etree.Element(qname(name), nsmap=_NSMAP)
    for key, value in attributes.items():
        element.set(key, value)
    return element


def _child(parent: Element, name: str, text: str | None = None, **attributes: str) -> Element:
    element = etree.SubElement(parent, qname(name))
    for key, value in attributes.items():
        element.set(key, value)
    if text is not None:
        element.text = text
    return element


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _links(parent: Element, links: Iterable[LinkSpec]) -> Element:
    """`<Links>` with one `<Link Rel Type Href Name>` per (rel, href, type, name)."""
    container = _child(parent, "Links")
    for rel, href, kind, name in links:
        link = _child(container, "Link", Rel=rel)
        if kind is not None:
            link.set("Type", kind)
        link.set("Href", href)
        if name is not None:
            link.set("Name", name)
    return container


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 cannot carry replaced by `?` (echoed input)."""
    return _NOT_XML.sub("?", text)


def error(status: int, message: str) -> Element:
    """`<Error Message StatusCode Status>` (ErrorType; no doc page prints one)."""
    status_name = STATUS_NAMES.get(status, "Error")
    return _root("Error", Message=xml_safe(message), StatusCode=str(status), Status=status_name)


def enterprise_manager(base: str) -> Element:
    """GET /api/ (http_authentication.html): logon links and one entry per version."""
    root = _root("EnterpriseManager")
    _links(root, [("Down", f"{base}/logonSessions", "LogonSessionList", None),
                  ("Create", f"{base}/sessionMngr/?v=latest", "LogonSession", None)])  # fmt: skip
    versions = _child(root, "SupportedVersions")
    for name in SUPPORTED_VERSIONS:
        version = _child(versions, "SupportedVersion", Name=name)
        _links(version, [("Create", f"{base}/sessionMngr/?v={name}", "LogonSession", None)])
    return root


def _session_into(element: Element, base: str, session: LogonSession) -> Element:
    href = f"{base}/logonSessions/{session.session_id}"
    element.set("Type", "LogonSession")
    element.set("Href", href)
    _links(element, [
        ("Up", f"{base}/", "EnterpriseManager", None),
        ("Down", f"{base}/backupServers", "BackupServerReferenceList", None),
        ("Down", f"{base}/jobs", "JobReferenceList", None),
        ("Down", f"{base}/tasks", "TaskList", None),
        ("Down", f"{base}/jobs?format=Entity", "JobList", None),
        ("Delete", href, "LogonSession", None),
    ])  # fmt: skip
    _child(element, "UserName", session.user.user_name)
    _child(element, "SessionId", session.session_id)
    return element


def logon_session(base: str, session: LogonSession) -> Element:
    return _session_into(_root("LogonSession"), base, session)


def logon_sessions(base: str, sessions: Iterable[LogonSession]) -> Element:
    root = _root("LogonSessions")
    for session in sessions:
        _session_into(_child(root, "LogonSession"), base, session)
    return root


class TaskView:
    """What a Task body shows at one moment (faults may make it differ from the truth)."""

    __slots__ = ("href", "operation", "result", "state", "task_id")

    def __init__(self, task_id: str, state: str, operation: str, result: Outcome | None, *,
                 href: bool = True) -> None:  # fmt: skip
        self.task_id, self.state, self.operation = task_id, state, operation
        self.result, self.href = result, href


def _task_into(element: Element, base: str, view: TaskView) -> Element:
    href = f"{base}/tasks/{view.task_id}"
    element.set("Type", "Task")
    if view.href:
        element.set("Href", href)
    links: list[LinkSpec] = [("Delete", href, "Task", None)]
    if view.result is not None and view.result.related is not None:
        job_id, name = view.result.related
        links.append(("Related", f"{base}/jobs/{job_id}?format=Entity", "Job", name))
    _links(element, links)
    _child(element, "TaskId", view.task_id)
    _child(element, "State", view.state)
    _child(element, "Operation", view.operation)
    if view.result is not None:
        result = _child(element, "Result", Success=_bool(view.result.success))
        _child(result, "Message", view.result.message)
    return element


def task(base: str, view: TaskView) -> Element:
    return _task_into(_root("Task"), base, view)


def tasks(base: str, views: Iterable[TaskView]) -> Element:
    root = _root("Tasks")
    for view in views:
        _task_into(_child(root, "Task"), base, view)
    return root


def server_ref(
    base: str, server: BackupServer, tag: str = "EntityRef", parent: Element | None = None
) -> Element:
    element = _root(tag) if parent is None else _child(parent, tag)
    href = f"{base}/backupServers/{server.server_id}"
    for key, value in (
        ("Type", "BackupServerReference"),
        ("Href", href),
        ("Name", server.name),
        ("UID", server.uid),
    ):
        element.set(key, value)
    _links(element, [("Down", f"{base}/jobs", "JobReferenceList", None)])
    return element


def server_refs(base: str, server: BackupServer) -> Element:
    root = _root("EntityReferences")
    server_ref(base, server, "Ref", root)
    return root


def job_ref(base: str, job: Job, server: BackupServer, *, tag: str = "EntityRef",
            parent: Element | None = None, delete_link: bool = False) -> Element:  # fmt: skip
    """A job reference (`EntityRef`, or `Ref` inside `EntityReferences`)."""
    element = _root(tag) if parent is None else _child(parent, tag)
    for key, value in (("Type", JOB_REF_TYPES[job.kind]), ("Href", job_href(base, job)),
                       ("Name", job.name), ("UID", job.uid)):  # fmt: skip
        element.set(key, value)
    links = ref_links(base, job, server)
    _links(element, [*links, delete_link_spec(base, job)] if delete_link else links)
    return element


def job_refs(
    base: str, jobs: Iterable[Job], server: BackupServer, *, delete_link: bool = False
) -> Element:
    root = _root("EntityReferences")
    for job in jobs:
        job_ref(base, job, server, tag="Ref", parent=root, delete_link=delete_link)
    return root


def _schedule(parent: Element) -> None:
    standart = _child(_child(parent, "JobScheduleOptions"), "Standart")
    retry = _child(standart, "RetryOptions")
    _child(retry, "RetryTimes", "3")
    _child(retry, "RetryTimeout", "10")
    _child(retry, "RetrySpecified", "true")
    daily = _child(standart, "OptionsDaily", Enabled="true")
    _child(daily, "Kind", "Everyday")
    for day in DAYS:
        _child(daily, "Days", day)
    _child(daily, "Time", "22:00:00.0000000+00:00")


def _job_info(parent: Element, base: str, job: Job, server: BackupServer) -> None:
    info = _child(_child(parent, "JobInfo"), JOB_INFOS.get(job.job_type, "BackupJobInfo"))
    includes = _child(info, "Includes")
    item = _child(includes, "ObjectInJob", Type="ObjectInJob",
                  Href=f"{job_href(base, job)}/includes/{job.object_id}")  # fmt: skip
    _child(item, "ObjectInJobId", job.object_id)
    _child(item, "HierarchyObjRef", hierarchy_ref(job, server))
    _child(item, "Name", include_name(job))
    _child(item, "DisplayName", include_name(job))


def _entity_into(
    element: Element, base: str, job: Job, server: BackupServer, delete_link: bool
) -> Element:
    href = job_href(base, job)
    for key, value in (
        ("Type", "Job"),
        ("Href", f"{href}?format=Entity"),
        ("Name", job.name),
        ("UID", job.uid),
    ):
        element.set(key, value)
    links = entity_links(base, job, server)
    _links(element, [*links, delete_link_spec(base, job)] if delete_link else links)
    for name, text in (("JobType", job.job_type), ("Platform", job.platform), ("Description", job.description),
                       ("ScheduleConfigured", "true"), ("ScheduleEnabled", _bool(job.schedule_enabled)),
                       ("NextRun", utc(job.next_run))):  # fmt: skip
        _child(element, name, text)
    _schedule(element)
    _job_info(element, base, job, server)
    return element


def job_entity(base: str, job: Job, server: BackupServer, *, delete_link: bool = False) -> Element:
    """GET /jobs/{ID}?format=Entity (jobs_id.html)."""
    return _entity_into(_root("Job"), base, job, server, delete_link)


def job_entities(
    base: str, jobs: Iterable[Job], server: BackupServer, *, delete_link: bool = False
) -> Element:
    root = _root("Jobs")
    for job in jobs:
        _entity_into(_child(root, "Job"), base, job, server, delete_link)
    return root


def backup_session_refs(base: str, job: Job) -> Element:
    """GET /jobs/{ID}/backupSessions: EntityReferences of BackupJobSessionReference."""
    root = _root("EntityReferences")
    for session in job.sessions:
        href = f"{base}/backupSessions/{session.session_id}"
        ref = _child(root, "Ref", Type="BackupJobSessionReference", Href=href,
                     Name=session_name(job, session), UID=f"urn:veeam:BackupJobSession:{session.session_id}")  # fmt: skip
        _links(ref, [("Up", job_href(base, job), "JobReference", job.name),
                     ("Alternate", f"{href}?format=Entity", "BackupJobSession", None)])  # fmt: skip
    return root


def _session_entity(root: Element, base: str, job: Job, session: BackupSession, now: float) -> None:
    href = f"{base}/backupSessions/{session.session_id}?format=Entity"
    running = session.running(now)
    entity = _child(root, "BackupJobSession", Type="BackupJobSession", Href=href,
                    Name=session_name(job, session), UID=f"urn:veeam:BackupJobSession:{session.session_id}")  # fmt: skip
    _links(entity, [("Up", job_href(base, job), "JobReference", job.name)])
    _child(entity, "JobUid", job.uid)
    _child(entity, "JobName", job.name)
    _child(entity, "JobType", job.job_type)
    _child(entity, "CreationTimeUTC", utc(session.started))
    if not running:
        _child(entity, "EndTimeUTC", utc(session.ends))
    _child(entity, "State", "Working" if running else "Stopped")
    _child(entity, "Result", "None" if running else session.result)
    _child(entity, "Progress", "50" if running else "100")
    _child(entity, "IsRetry", _bool(session.is_retry))


def backup_sessions(base: str, job: Job, now: float) -> Element:
    """?format=Entity: the sessions with State Working (running) or Stopped, and Result."""
    root = _root("BackupJobSessions")
    for session in job.sessions:
        _session_entity(root, base, job, session, now)
    return root
