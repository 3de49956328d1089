"""JSON rendered from the model is what the XML-to-JSON mapping makes of the XML element."""

from __future__ import annotations

import random
from typing import Any

import pytest
from lxml import etree

from conformance.emulator import documents, render, render_json
from conformance.emulator.inventory import AGENT, JOB, NAS, Inventory
from conformance.emulator.render import TaskView
from conformance.emulator.sessions import DEFAULT_USERS, LogonSession
from conformance.emulator.tasks import FINISHED, OPERATION_FINISHED, RUNNING, Outcome
from conformance.representations import dump_json, element_to_json, local_name

BASE = "https://em.test:9398/api"
NOW = 1_000_000_000.0


def _inventory() -> Inventory:
    inventory = Inventory(random.Random(7), NOW, 12, 2, 2)
    # Odd but legal values: names and descriptions a clone spec may carry.
    odd = inventory.add(JOB, "Replica", "vCloud", " 42 spaced name ", "  padded  ", NOW)
    odd.schedule_enabled = False
    inventory.start_session(odd, NOW - 10, 60, retry=True)
    inventory.add(JOB, "ImmediateBackupCopy", "HyperV", "true", "123", NOW)
    return inventory


def _same(element: etree._Element, document: Any) -> None:
    assert dump_json(document) == dump_json(element_to_json(element))


VIEWS = [
    TaskView("task-1", RUNNING, "DeleteJob", None),
    TaskView("task-2", OPERATION_FINISHED, "StartJob", Outcome(True, "OperationFinished")),
    TaskView("task-3", FINISHED, "CloneJob", Outcome(True, "Ok", ("abc", "Copy of CRM"))),
    TaskView("task-4", FINISHED, "DeleteJob", Outcome(False, ' Job "x" \u00e9 gone. '), href=False),
]


@pytest.mark.parametrize("view", VIEWS, ids=lambda view: view.task_id)
def test_task(view: TaskView) -> None:
    _same(render.task(BASE, view), render_json.task(BASE, view))


@pytest.mark.parametrize("views", [[], VIEWS], ids=["empty", "four"])
def test_tasks(views: list[TaskView]) -> None:
    _same(render.tasks(BASE, views), render_json.tasks(BASE, views))


@pytest.mark.parametrize("kind", [JOB, NAS, AGENT])
@pytest.mark.parametrize("delete", [False, True], ids=["plain", "delete-link"])
def test_job_references(kind: str, delete: bool) -> None:
    inventory = _inventory()
    jobs = inventory.jobs(kind)
    server = inventory.server
    _same(render.job_refs(BASE, jobs, server, delete_link=delete),
          render_json.job_refs(BASE, jobs, server, delete_link=delete))  # fmt: skip
    _same(render.job_ref(BASE, jobs[-1], server, delete_link=delete),
          render_json.job_ref(BASE, jobs[-1], server, delete_link=delete))  # fmt: skip
    _same(render.job_refs(BASE, [], server), render_json.job_refs(BASE, [], server))


@pytest.mark.parametrize("delete", [False, True], ids=["plain", "delete-link"])
def test_job_entities(delete: bool) -> None:
    inventory = _inventory()
    jobs, server = inventory.jobs(JOB), inventory.server
    _same(render.job_entities(BASE, jobs, server, delete_link=delete),
          render_json.job_entities(BASE, jobs, server, delete_link=delete))  # fmt: skip
    for job in jobs:
        _same(render.job_entity(BASE, job, server, delete_link=delete),
              render_json.job_entity(BASE, job, server, delete_link=delete))  # fmt: skip
    _same(render.job_entities(BASE, [], server), render_json.job_entities(BASE, [], server))


@pytest.mark.parametrize("now", [NOW - 5, NOW + 100], ids=["running", "stopped"])
def test_backup_sessions(now: float) -> None:
    inventory = _inventory()
    for job in inventory.jobs(JOB):
        _same(render.backup_session_refs(BASE, job), render_json.backup_session_refs(BASE, job))
        _same(render.backup_sessions(BASE, job, now), render_json.backup_sessions(BASE, job, now))


def test_servers_entry_and_errors() -> None:
    server = _inventory().server
    _same(render.server_ref(BASE, server), render_json.server_ref(BASE, server))
    _same(render.server_refs(BASE, server), render_json.server_refs(BASE, server))
    _same(render.enterprise_manager(BASE), render_json.enterprise_manager(BASE))
    for status in (400, 401, 403, 404, 405, 500, 503):
        message = "Bad \x01 input 123 true"
        _same(render.error(status, message), render_json.error(status, message))


def test_logon_sessions() -> None:
    sessions = [
        LogonSession(f"{index:08d}-0000-4000-8000-000000000000", "token", user, "v1_7", NOW)
        for index, user in enumerate(DEFAULT_USERS)
    ]
    for session in sessions:
        _same(render.logon_session(BASE, session), render_json.logon_session(BASE, session))
    _same(render.logon_sessions(BASE, sessions), render_json.logon_sessions(BASE, sessions))
    _same(render.logon_sessions(BASE, []), render_json.logon_sessions(BASE, []))


def test_each_body_names_its_root_element() -> None:
    """The wrapped-json-root fault wraps a document in its root's name, taken from `root`."""
    inventory = _inventory()
    job, server = inventory.jobs(JOB)[0], inventory.server
    session = LogonSession(
        "00000000-0000-4000-8000-000000000000", "t", DEFAULT_USERS[0], "v1_7", NOW
    )
    bodies = [
        documents.error(404, "x"), documents.enterprise_manager(BASE),
        documents.logon_session(BASE, session), documents.logon_sessions(BASE, [session]),
        documents.task(BASE, VIEWS[0]), documents.tasks(BASE, VIEWS),
        documents.server_ref(BASE, server), documents.server_refs(BASE, server),
        documents.job_ref(BASE, job, server), documents.job_refs(BASE, [job], server),
        documents.job_entity(BASE, job, server), documents.job_entities(BASE, [job], server),
        documents.backup_session_refs(BASE, job), documents.backup_sessions(BASE, job, NOW),
    ]  # fmt: skip
    for body in bodies:
        assert body.root == local_name(body.xml())
        _same(body.xml(), body.json())
