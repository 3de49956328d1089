"""The client-facing fault profiles, on the transport-free emulator with a manual clock."""

from __future__ import annotations

import base64
import re

import pytest

from conformance.emulator import EmulatorConfig, EnterpriseManagerEmulator, ManualClock
from conformance.emulator.faults import CLIENT_FAULTS, FAULTS, describe_faults
from conformance.exchange import RecordedRequest, RecordedResponse
from conformance.model import LogonSession, Task

API = "http://127.0.0.1:8080/api"
XML = "application/xml"


class Caller:
    """One logged-on client of one emulator."""

    def __init__(self, *faults: str) -> None:
        self.clock = ManualClock()
        config = EmulatorConfig(clock=self.clock, faults=faults, task_duration=2.0)
        self.emulator = EnterpriseManagerEmulator(config)
        user = self.emulator.users[0]
        basic = base64.b64encode(f"{user.name}:{user.password}".encode()).decode()
        logon = self.send("POST", f"{API}/sessionMngr/?v=latest", Authorization=f"Basic {basic}")
        self.token = logon.header("X-RestSvcSessionId") or ""
        self.session = LogonSession.from_body(logon.body, XML)

    def send(self, method: str, url: str, **headers: str) -> RecordedResponse:
        token = {"X-RestSvcSessionId": self.token} if getattr(self, "token", "") else {}
        request = RecordedRequest.build(method, url, {"Accept": XML, **token, **headers})
        return self.emulator.handle(request)

    def delete_first_job(self) -> Task:
        listed = self.send("GET", f"{API}/jobs").body.decode()
        job = re.findall(r"urn:veeam:Job:([0-9a-f-]{36})", listed)[0]
        return Task.from_body(self.send("DELETE", f"{API}/jobs/{job}").body, XML)


def test_client_profiles_are_listed_apart_from_the_server_suites_faults() -> None:
    assert not CLIENT_FAULTS.keys() & FAULTS.keys()
    listing = describe_faults()
    assert "client-facing profiles" in listing
    assert all(f"{name}\n" in listing for name in CLIENT_FAULTS)


def test_alias_hrefs_name_another_host_and_a_prefix_and_both_are_served() -> None:
    caller = Caller("href-alias-prefix")
    task = caller.delete_first_job()
    assert task.href == f"http://localhost:8080/em-proxy/api/tasks/{task.task_id}"
    via_href = caller.send("GET", task.href.replace("localhost", "127.0.0.1"))
    built = caller.send("GET", f"{API}/tasks/{task.task_id}")
    assert via_href.status == built.status == 200


def test_a_failing_delete_task_finishes_false_and_the_job_stays() -> None:
    caller = Caller("delete-task-fails")
    task = caller.delete_first_job()
    caller.clock.advance(5)
    finished = Task.from_body(caller.send("GET", task.href).body, XML)
    assert finished.finished and finished.result is not None
    assert finished.result.success is False and "Cannot delete job" in finished.result.message


def test_busy_503_refuses_the_first_poll_only_with_retry_after() -> None:
    caller = Caller("busy-503")
    task = caller.delete_first_job()
    first, second = caller.send("GET", task.href), caller.send("GET", task.href)
    assert (first.status, first.header("Retry-After")) == (503, "1")
    assert second.status == 200


def test_the_session_expires_at_the_second_poll() -> None:
    caller = Caller("session-expires-mid-poll")
    task = caller.delete_first_job()
    statuses = [caller.send("GET", task.href).status for _ in range(2)]
    assert statuses == [200, 401]
    assert caller.send("GET", f"{API}/jobs").status == 401  # the session is gone for good


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_poll_is_refused_as_another_sessions_task_with_the_12x_wording(fmt: str) -> None:
    caller = Caller("task-in-other-session")
    task = caller.delete_first_job()
    answer = caller.send("GET", task.href, Accept=f"application/{fmt}")
    assert answer.status == 500
    assert f"no task with id [{task.task_id}] in current rest session" in answer.body.decode()


def test_without_the_profiles_polls_are_answered() -> None:
    caller = Caller()
    task = caller.delete_first_job()
    assert [caller.send("GET", task.href).status for _ in range(3)] == [200, 200, 200]
    assert task.href == f"{API}/tasks/{task.task_id}"
