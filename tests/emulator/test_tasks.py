"""Task lifecycles driven by a ManualClock: states, outcomes, cancellation, ownership."""

from __future__ import annotations

import pytest

from conformance.emulator import EmulatorConfig, EnterpriseManagerEmulator, ManualClock
from conformance.model import EntityRef, ErrorBody, Task
from tests.emulator.conftest import MOCK_BASE, Client, CoreDriver, assert_valid

DURATION = 0.3


def _job(client: Client, index: int = 0) -> EntityRef:
    return EntityRef.list_from_body(client.get("/jobs").body, "application/xml")[index]


def _task(client: Client, path: str) -> Task:
    response = client.get(path)
    assert response.status == 200
    return Task.from_body(response.body, response.media_type)


def _start(client: Client, method: str, path: str, body: str | None = None) -> Task:
    response = client.send(
        method, path, {"Content-Type": "application/xml"} if body else None, body
    )
    assert response.status == 202, response.body
    return Task.from_body(response.body, response.media_type)


@pytest.fixture
def client(core: CoreDriver) -> Client:
    return Client(core)


def test_state_follows_the_clock(client: Client, clock: ManualClock) -> None:
    job = _job(client)
    task = _start(client, "DELETE", f"/jobs/{job.id}")
    assert _task(client, task.href).state == "Running"
    clock.advance(DURATION * 0.69)
    assert _task(client, task.href).result is None
    assert client.get(f"/jobs/{job.id}").status == 200
    clock.advance(DURATION * 0.02)
    middle = _task(client, task.href)
    assert middle.state == "OperationFinished"
    assert middle.result is not None and (middle.result.success, middle.result.message) == (
        True,
        "OperationFinished",
    )
    # Done on the backup server, not yet collected by EM: EM still shows the job.
    assert client.get(f"/jobs/{job.id}").status == 200
    clock.advance(DURATION * 0.3)
    done = _task(client, task.href)
    assert done.state == "Finished" and done.result is not None and done.result.message == "Ok"
    assert client.get(f"/jobs/{job.id}").status == 404


def test_job_goes_even_if_nobody_polls(client: Client, clock: ManualClock) -> None:
    job = _job(client)
    _start(client, "DELETE", f"/jobs/{job.id}")
    clock.advance(DURATION)
    assert client.get(f"/jobs/{job.id}").status == 404


def test_deleting_a_running_job_fails_and_keeps_it(client: Client, clock: ManualClock) -> None:
    job = _job(client)
    _start(client, "POST", f"/jobs/{job.id}?action=start")
    clock.advance(DURATION)
    sessions = client.get(f"/jobs/{job.id}/backupSessions?format=Entity").body
    assert b"<State>Working</State>" in sessions
    task = _start(client, "DELETE", f"/jobs/{job.id}")
    clock.advance(DURATION)
    failed = _task(client, task.href)
    assert failed.result is not None and failed.result.success is False
    assert "running" in (failed.result.message or "")
    assert client.get(f"/jobs/{job.id}").status == 200
    _start(client, "POST", f"/jobs/{job.id}?action=stop")
    clock.advance(DURATION)
    assert (
        b"<State>Working</State>"
        not in client.get(f"/jobs/{job.id}/backupSessions?format=Entity").body
    )
    _start(client, "DELETE", f"/jobs/{job.id}")
    clock.advance(DURATION)
    assert client.get(f"/jobs/{job.id}").status == 404


def test_a_started_job_stops_running_by_itself(
    client: Client, clock: ManualClock, emulator: EnterpriseManagerEmulator
) -> None:
    job = _job(client)
    _start(client, "POST", f"/jobs/{job.id}?action=start")
    clock.advance(DURATION + emulator.config.run_duration)
    body = client.get(f"/jobs/{job.id}/backupSessions?format=Entity").body
    assert b"<State>Working</State>" not in body and body.count(b"<Result>Success</Result>") == 2


def test_start_twice_fails_the_second(client: Client, clock: ManualClock) -> None:
    job = _job(client)
    first = _start(client, "POST", f"/jobs/{job.id}?action=start")
    clock.advance(DURATION)
    second = _start(client, "POST", f"/jobs/{job.id}?action=start")
    clock.advance(DURATION)
    first_result = _task(client, first.href).result
    assert (
        first_result is not None and first_result.message == 'Job "CRM Backup" triggered to start.'
    )
    result = _task(client, second.href).result
    assert (
        result is not None
        and result.success is False
        and "already running" in (result.message or "")
    )


def test_retry_needs_a_failed_last_run(client: Client, clock: ManualClock) -> None:
    succeeded, failed = _job(client, 0), _job(client, 2)
    refused = _start(client, "POST", f"/jobs/{succeeded.id}?action=retry")
    retried = _start(client, "POST", f"/jobs/{failed.id}?action=retry")
    clock.advance(DURATION)
    assert _task(client, refused.href).result.success is False  # type: ignore[union-attr]
    result = _task(client, retried.href).result
    assert (
        result is not None
        and result.success
        and result.message == 'Job "DB Backup" triggered to retry.'
    )
    assert (
        b"<IsRetry>true</IsRetry>"
        in client.get(f"/jobs/{failed.id}/backupSessions?format=Entity").body
    )


def test_backup_copy_jobs_sync(client: Client, clock: ManualClock) -> None:
    copy = _job(client, 4)
    assert client.post(f"/jobs/{copy.id}?action=start").status == 400
    task = _start(client, "POST", f"/jobs/{copy.id}?action=sync")
    assert task.operation == "StartJobSync"
    assert client.post(f"/jobs/{_job(client).id}?action=sync").status == 400
    entity = client.get(f"/jobs/{copy.id}?format=Entity").body
    assert b'Rel="Sync"' in entity and b'Rel="Start"' not in entity


def test_toggle_schedule_flips_it(client: Client, clock: ManualClock) -> None:
    job = _job(client)
    assert (
        b"<ScheduleEnabled>true</ScheduleEnabled>"
        in client.get(f"/jobs/{job.id}?format=Entity").body
    )
    _start(client, "POST", f"/jobs/{job.id}?action=toggleScheduleEnabled")
    clock.advance(DURATION)
    assert (
        b"<ScheduleEnabled>false</ScheduleEnabled>"
        in client.get(f"/jobs/{job.id}?format=Entity").body
    )


def test_a_clone_shows_once_its_task_is_finished(client: Client, clock: ManualClock) -> None:
    job = _job(client)
    spec = (
        '<JobCloneSpec xmlns="http://www.veeam.com/ent/v1.0"><BackupJobCloneInfo>'
        "<JobName>Second CRM Backup</JobName></BackupJobCloneInfo></JobCloneSpec>"
    )
    task = _start(client, "POST", f"/jobs/{job.id}?action=clone", spec)
    clock.advance(DURATION * 0.8)
    assert b"Second CRM Backup" not in client.get("/jobs").body
    assert _task(client, task.href).link("Related") is None
    clock.advance(DURATION * 0.2)
    related = _task(client, task.href).link("Related")
    assert related is not None and client.get(related.href).status == 200
    assert b"Second CRM Backup" in client.get("/jobs").body


def test_clone_with_a_taken_name_fails(client: Client, clock: ManualClock) -> None:
    job = _job(client)
    spec = ('<JobCloneSpec xmlns="http://www.veeam.com/ent/v1.0"><BackupJobCloneInfo>'
            "<JobName>DB Backup</JobName></BackupJobCloneInfo></JobCloneSpec>")  # fmt: skip
    task = _start(client, "POST", f"/jobs/{job.id}?action=clone", spec)
    clock.advance(DURATION)
    result = _task(client, task.href)
    assert result.result is not None and result.result.success is False
    assert result.link("Related") is None


@pytest.mark.parametrize("spec", [
    "",
    "<JobCloneSpec xmlns='http://www.veeam.com/ent/v1.0'/>",
    "<JobCloneSpec xmlns='http://www.veeam.com/ent/v1.0'><ReplicaJobCloneInfo><JobName>x</JobName>"
    "</ReplicaJobCloneInfo></JobCloneSpec>",
    "<JobCloneSpec xmlns='http://www.veeam.com/ent/v1.0'><BackupJobCloneInfo><JobName>" + "x" * 51
    + "</JobName></BackupJobCloneInfo></JobCloneSpec>",
    "not xml at all <",
])  # fmt: skip
def test_bad_clone_specs_are_400(client: Client, spec: str) -> None:
    response = client.send(
        "POST", f"/jobs/{_job(client).id}?action=clone", {"Content-Type": "application/xml"}, spec
    )
    assert response.status == 400


def test_cancel_stops_the_operation(client: Client, clock: ManualClock) -> None:
    job = _job(client)
    task = _start(client, "DELETE", f"/jobs/{job.id}")
    assert client.delete(task.href).status == 204
    assert client.delete(task.href).status == 404
    clock.advance(DURATION * 10)
    assert client.get(f"/jobs/{job.id}").status == 200
    assert task.task_id.encode() not in client.get("/tasks").body


def test_removing_a_finished_task_keeps_its_effect(client: Client, clock: ManualClock) -> None:
    job = _job(client)
    task = _start(client, "DELETE", f"/jobs/{job.id}")
    clock.advance(DURATION)
    assert client.delete(task.href).status == 204
    assert client.get(f"/jobs/{job.id}").status == 404


def test_tasks_belong_to_their_session(core: CoreDriver, clock: ManualClock) -> None:
    # Real 12.x servers answer another session's task with 500 and an Error naming it.
    owner, other = Client(core), Client(core, strict=False)
    task = _start(owner, "DELETE", f"/jobs/{_job(owner).id}")
    for method in ("GET", "DELETE"):
        refused = other.send(method, task.href)
        assert refused.status == 500
        assert_valid(refused)
        message = ErrorBody.from_body(refused.body, "application/xml").message
        assert message == f"No task with id [{task.task_id}] in current rest session."
    assert task.task_id.encode() not in other.get("/tasks").body
    assert owner.get(task.href).status == 200


def test_logout_forgets_tasks_but_the_operation_happens(
    core: CoreDriver, clock: ManualClock
) -> None:
    client, watcher = Client(core), Client(core)
    job = _job(client)
    _start(client, "DELETE", f"/jobs/{job.id}")
    session_id = client.logon.header("Location").rsplit("/", 1)[-1]  # type: ignore[union-attr]
    assert client.delete(f"/logonSessions/{session_id}").status == 204
    clock.advance(DURATION)
    assert watcher.get(f"/jobs/{job.id}").status == 404


def test_task_ids_count_up(client: Client) -> None:
    jobs = EntityRef.list_from_body(client.get("/jobs").body, "application/xml")
    ids = [
        _start(client, "POST", f"/jobs/{job.id}?action=toggleScheduleEnabled").task_id
        for job in jobs[:3]
    ]
    assert ids == ["task-1", "task-2", "task-3"]


def test_zero_duration_still_answers_running_first() -> None:
    clock = ManualClock()
    client = Client(
        CoreDriver(
            MOCK_BASE,
            clock,
            EnterpriseManagerEmulator(EmulatorConfig(clock=clock, task_duration=0)),
        )
    )
    task = _start(client, "DELETE", f"/jobs/{_job(client).id}")
    assert task.state == "Running"
    assert _task(client, task.href).state == "Finished"


def test_racing_deletes_in_the_core_succeed_once(client: Client, clock: ManualClock) -> None:
    job = _job(client)
    tasks = [_start(client, "DELETE", f"/jobs/{job.id}") for _ in range(5)]
    clock.advance(DURATION)
    results = [_task(client, task.href).result for task in tasks]
    assert [result.success for result in results if result] == [True, False, False, False, False]
