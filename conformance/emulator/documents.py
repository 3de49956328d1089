"""Every resource the emulator serves as a `Body`: its XML element from `render`, its
JSON document from `render_json`, each built from the model only when asked for."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from lxml import etree

from conformance.emulator import render, render_json
from conformance.emulator.bodies import Body
from conformance.emulator.inventory import BackupServer, Job
from conformance.emulator.render import TaskView
from conformance.emulator.sessions import LogonSession

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


def _pair(root: str, xml: Callable[..., etree._Element], json: Callable[..., Any],
          *args: Any, **kwargs: Any) -> Body:  # fmt: skip
    return Body(root, xml, json, *args, **kwargs)


def error(status: int, message: str) -> Body:
    return _pair("Error", render.error, render_json.error, status, message)


def enterprise_manager(base: str) -> Body:
    return _pair(
        "EnterpriseManager", render.enterprise_manager, render_json.enterprise_manager, base
    )


def logon_session(base: str, session: LogonSession) -> Body:
    return _pair("LogonSession", render.logon_session, render_json.logon_session, base, session)


def logon_sessions(base: str, sessions: Iterable[LogonSession]) -> Body:
    return _pair("LogonSessions", render.logon_sessions, render_json.logon_sessions, base, sessions)


def task(base: str, view: TaskView) -> Body:
    return _pair("Task", render.task, render_json.task, base, view)


def tasks(base: str, views: Iterable[TaskView]) -> Body:
    return _pair("Tasks", render.tasks, render_json.tasks, base, views)


def server_ref(base: str, server: BackupServer) -> Body:
    return _pair("EntityRef", render.server_ref, render_json.server_ref, base, server)


def server_refs(base: str, server: BackupServer) -> Body:
    return _pair("EntityReferences", render.server_refs, render_json.server_refs, base, server)


def job_ref(base: str, job: Job, server: BackupServer, *, delete_link: bool = False) -> Body:
    return _pair("EntityRef", render.job_ref, render_json.job_ref, base, job, server,
                 delete_link=delete_link)  # fmt: skip


def job_refs(base: str, jobs: Iterable[Job], server: BackupServer, *,
             delete_link: bool = False) -> Body:  # fmt: skip
    return _pair("EntityReferences", render.job_refs, render_json.job_refs, base, jobs, server,
                 delete_link=delete_link)  # fmt: skip


def job_entity(base: str, job: Job, server: BackupServer, *, delete_link: bool = False) -> Body:
    return _pair("Job", render.job_entity, render_json.job_entity, base, job, server,
                 delete_link=delete_link)  # fmt: skip


def job_entities(base: str, jobs: Iterable[Job], server: BackupServer, *,
                 delete_link: bool = False) -> Body:  # fmt: skip
    return _pair("Jobs", render.job_entities, render_json.job_entities, base, jobs, server,
                 delete_link=delete_link)  # fmt: skip


def backup_session_refs(base: str, job: Job) -> Body:
    return _pair("EntityReferences", render.backup_session_refs, render_json.backup_session_refs,
                 base, job)  # fmt: skip


def backup_sessions(base: str, job: Job, now: float) -> Body:
    return _pair("BackupJobSessions", render.backup_sessions, render_json.backup_sessions,
                 base, job, now)  # fmt: skip
