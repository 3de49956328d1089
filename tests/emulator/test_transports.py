"""Every operation, in both formats, through the core, the responses mock and a real server."""

from __future__ import annotations

import pytest

from conformance.model import EntityRef, ErrorBody, LogonSession, Task
from tests.emulator.conftest import JSON, XML, Client, Driver, assert_valid, basic

CLONE_XML = (
    '<JobCloneSpec xmlns="http://www.veeam.com/ent/v1.0"><BackupJobCloneInfo>'
    "<JobName>CRM Backup clone</JobName><FolderName>CRM</FolderName>"
    "<RepositoryUid>urn:veeam:Repository:cbd9a4b6-b9ed-4cd6-a091-75b6481c9d55</RepositoryUid>"
    "</BackupJobCloneInfo></JobCloneSpec>"
)
CLONE_JSON = '{"BackupJobCloneInfo": {"JobName": "CRM Backup clone", "FolderName": "CRM"}}'


def _finish(client: Client, task: Task) -> Task:
    client.driver.clock.advance(client.driver.emulator.config.task_duration)
    response = client.get(task.href)
    assert response.status == 200
    return Task.from_body(response.body, response.media_type)


def _started(client: Client, response_status: int, body: bytes, media: str, operation: str) -> Task:
    assert response_status == 202, body
    task = Task.from_body(body, media)
    assert (task.state, task.operation, task.result) == ("Running", operation, None)
    return task


def _jobs(client: Client) -> list[EntityRef]:
    response = client.get("/jobs")
    assert response.status == 200
    return EntityRef.list_from_body(response.body, response.media_type)


@pytest.mark.parametrize("media", [XML, JSON])
def test_entry_and_sessions(driver: Driver, media: str) -> None:
    entry = driver.send("GET", "/", {"Accept": media})
    assert (entry.status, entry.media_type) == (200, media)
    assert_valid(entry)
    client = Client(driver, media=media)
    assert client.logon.media_type == media
    assert_valid(client.logon)
    session = LogonSession.from_body(client.logon.body, media)
    assert client.get("/logonSessions").status == 200
    assert client.get(f"/logonSessions/{session.session_id}").status == 200
    assert client.delete(f"/logonSessions/{session.session_id}").status == 204
    assert client.get("/jobs").status == 401


@pytest.mark.parametrize("media", [XML, JSON])
def test_job_reads(driver: Driver, media: str) -> None:
    client = Client(driver, media=media)
    jobs = _jobs(client)
    assert len(jobs) == 6
    for path in ("/jobs?format=Entity", f"/jobs/{jobs[0].id}", f"/jobs/{jobs[0].id}?format=Entity",
                 f"/jobs/{jobs[0].id}/backupSessions", f"/jobs/{jobs[0].id}/backupSessions?format=Entity",
                 "/nas/jobs", "/agents/jobs", "/backupServers", "/tasks"):  # fmt: skip
        response = client.get(path)
        assert (response.status, response.media_type) == (200, media), path
    for kind in ("/nas/jobs", "/agents/jobs"):
        response = client.get(kind)
        (ref, *_) = EntityRef.list_from_body(response.body, media)
        assert client.get(ref.href).status == 200


@pytest.mark.parametrize("media", [XML, JSON])
def test_delete_job_and_poll(driver: Driver, media: str) -> None:
    client = Client(driver, media=media)
    job = _jobs(client)[0]
    response = client.delete(f"/jobs/{job.id}")
    task = _started(client, response.status, response.body, media, "DeleteJob")
    assert task.link("Delete") is not None and task.href.endswith(f"/tasks/{task.task_id}")
    finished = _finish(client, task)
    assert finished.state == "Finished" and finished.result is not None
    assert (finished.result.success, finished.result.message) == (True, "Ok")
    gone = client.get(f"/jobs/{job.id}")
    assert gone.status == 404
    assert ErrorBody.from_body(gone.body, media).status_code == 404


@pytest.mark.parametrize("media", [XML, JSON])
@pytest.mark.parametrize(("action", "operation"), [("start", "StartJob"), ("stop", "StopJob"),
                         ("toggleScheduleEnabled", "UpdateJob")])  # fmt: skip
def test_job_actions(driver: Driver, media: str, action: str, operation: str) -> None:
    client = Client(driver, media=media)
    job = _jobs(client)[0]
    response = client.post(f"/jobs/{job.id}?action={action}")
    task = _started(client, response.status, response.body, media, operation)
    finished = _finish(client, task)
    assert finished.result is not None and finished.result.success


@pytest.mark.parametrize(("media", "body"), [(XML, CLONE_XML), (JSON, CLONE_JSON)])
def test_clone_links_the_new_job(driver: Driver, media: str, body: str) -> None:
    client = Client(driver, media=media)
    job = _jobs(client)[0]
    response = client.post(f"/jobs/{job.id}?action=clone", body, **{"Content-Type": media})
    finished = _finish(client, _started(client, response.status, response.body, media, "CloneJob"))
    related = finished.link("Related")
    assert related is not None and related.name == "CRM Backup clone"
    clone = client.get(related.href)
    assert clone.status == 200 and b"CRM Backup clone" in clone.body
    assert len(_jobs(client)) == 7


@pytest.mark.parametrize("media", [XML, JSON])
def test_a_clone_named_with_blanks_only_is_listed(driver: Driver, media: str) -> None:
    # The schema takes "   " (non-empty); the entity listing crashed on it for good after.
    client = Client(driver, media=media)
    job = _jobs(client)[0]
    body = CLONE_JSON if media == JSON else CLONE_XML
    blank = body.replace("CRM Backup clone", "   ")
    response = client.post(f"/jobs/{job.id}?action=clone", blank, **{"Content-Type": media})
    finished = _finish(client, _started(client, response.status, response.body, media, "CloneJob"))
    assert finished.result is not None and finished.result.success
    listing = client.get("/jobs?format=Entity")
    assert listing.status == 200
    assert listing.body.count(b"vm01") >= 7


@pytest.mark.parametrize("media", [XML, JSON])
def test_task_list_and_cancel(driver: Driver, media: str) -> None:
    client = Client(driver, media=media)
    job = _jobs(client)[0]
    task = Task.from_body(client.delete(f"/jobs/{job.id}").body, media)
    assert task.task_id.encode() in client.get("/tasks").body
    assert client.delete(task.href).status == 204
    assert client.get(task.href).status == 404
    driver.clock.advance(10)
    assert client.get(f"/jobs/{job.id}").status == 200


@pytest.mark.parametrize("media", [XML, JSON])
def test_errors_in_the_negotiated_format(driver: Driver, media: str) -> None:
    client = Client(driver, media=media)
    operator = Client(driver, "operator", media)
    job = _jobs(client)[0]
    cases = [
        (client.get("/jobs/not-a-guid"), 404),
        (client.get("/nowhere"), 404),
        (client.send("PUT", f"/jobs/{job.id}"), 405),
        (client.get("/jobs?format=Wrong"), 400),
        (client.post(f"/jobs/{job.id}?action=explode"), 400),
        (operator.delete(f"/jobs/{job.id}"), 403),
        (driver.send("GET", "/jobs", {"Accept": media}), 401),
        (
            driver.send(
                "POST",
                "/sessionMngr/?v=latest",
                {"Authorization": basic("administrator", "bad"), "Accept": media},
            ),
            401,
        ),
    ]
    for response, status in cases:
        assert (response.status, response.media_type) == (status, media)
        assert_valid(response)
        assert ErrorBody.from_body(response.body, media).status_code == status
