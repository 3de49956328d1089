"""Property: whatever a client sends, the core answers below 500 with a valid, well-framed body."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.emulator import EmulatorConfig, EnterpriseManagerEmulator, ManualClock
from conformance.exchange import RecordedRequest
from conformance.model import EntityRef
from tests.emulator.conftest import JSON, MOCK_BASE, XML, assert_valid, basic

_SEGMENTS = ["jobs", "tasks", "nas", "agents", "backupSessions", "logonSessions", "sessionMngr", "backupServers",
             "task-1", "task-2", "JOBS", "", "..", "%2F", "%00", "api"]  # fmt: skip
_QUERIES = ["", "?format=Entity", "?format=x", "?action=start", "?action=stop", "?action=retry", "?action=clone",
            "?action=sync", "?action=toggleScheduleEnabled", "?action=", "?v=latest", "?v=v1_4", "?v=",
            "?format=Entity&action=start", "?%zz=%zz", "?action=start/"]  # fmt: skip
_BODIES = [b"", b"{}", b"[]", b"null", b"<JobCloneSpec/>", b"\xef\xbb\xbf{}", b"\xff\xfe", b"<!DOCTYPE x><x/>",
           b'{"BackupJobCloneInfo": {"JobName": "fuzz"}}', b'{"ReplicaJobCloneInfo": {"JobName": 5}}',
           b'<JobCloneSpec xmlns="http://www.veeam.com/ent/v1.0"><BackupJobCloneInfo><JobName>f</JobName>'
           b"</BackupJobCloneInfo></JobCloneSpec>"]  # fmt: skip


def _segment(ids: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(_SEGMENTS), st.sampled_from(ids), st.sampled_from(ids), st.text(max_size=12),
                     st.builds(lambda: str(uuid.uuid4())))  # fmt: skip


_TEMPLATES = ["", "sessionMngr/", "logonSessions", "logonSessions/{id}", "jobs", "jobs/{id}", "jobs/{id}",
              "jobs/{id}", "jobs/{id}/backupSessions", "tasks", "tasks/{task}", "tasks/{task}", "nas/jobs",
              "nas/jobs/{id}", "agents/jobs/{id}", "backupServers"]  # fmt: skip


def _templated(ids: list[str]) -> st.SearchStrategy[str]:
    tasks = st.sampled_from(["task-1", "task-2", "task-3", "task-0", "TASK-1"])
    return st.builds(lambda template, job, task: template.format(id=job, task=task),
                     st.sampled_from(_TEMPLATES), _segment(ids), tasks)  # fmt: skip


_HEADER_VALUES = st.one_of(
    st.none(), st.sampled_from([XML, JSON, "*/*", "text/html", ""]), st.text(max_size=20)
)


@st.composite
def requests_(draw: st.DrawFn, ids: list[str], token: str) -> tuple[RecordedRequest, float]:
    method = draw(
        st.sampled_from(
            ["GET", "GET", "POST", "POST", "DELETE", "DELETE", "PUT", "PATCH", "HEAD", "get"]
        )
    )
    path = draw(
        st.one_of(
            _templated(ids), _templated(ids), st.lists(_segment(ids), max_size=4).map("/".join)
        )
    )
    headers = {"Accept": draw(_HEADER_VALUES), "Content-Type": draw(_HEADER_VALUES),
               "X-RestSvcSessionId": draw(st.sampled_from([token, token, "nope", ""])),
               "Cookie": draw(st.sampled_from(["", f"X-RestSvcSessionId={token}", "X-RestSvcSessionId=bad", "a=b=c;;"])),
               "Authorization": draw(st.sampled_from([basic("administrator"), basic("operator"), "Basic ###", ""]))}  # fmt: skip
    body = draw(st.one_of(st.sampled_from(_BODIES), st.binary(max_size=64)))
    url = f"{MOCK_BASE}/{path}{draw(st.sampled_from(_QUERIES))}"
    sent = {name: value for name, value in headers.items() if value is not None}
    return RecordedRequest.build(method, url, sent, body), draw(
        st.sampled_from([0.0, 0.0, 0.25, 1.0, 100.0])
    )


def _emulator() -> tuple[EnterpriseManagerEmulator, ManualClock, list[str], str]:
    clock = ManualClock()
    emulator = EnterpriseManagerEmulator(EmulatorConfig(clock=clock, seed=3))
    logon = emulator.handle(RecordedRequest.build("POST", f"{MOCK_BASE}/sessionMngr/?v=latest",
                                                  {"Authorization": basic("administrator")}))  # fmt: skip
    token = logon.header("X-RestSvcSessionId") or ""
    listed = emulator.handle(
        RecordedRequest.build("GET", f"{MOCK_BASE}/jobs", {"X-RestSvcSessionId": token})
    )
    ids = [ref.id for ref in EntityRef.list_from_body(listed.body, XML)]
    return emulator, clock, ids, token


# The seeded jobs' IDs; each example runs on a fresh emulator with the same seed.
_IDS = _emulator()[2]
_TOKEN = "@token@"


def _with_token(request: RecordedRequest, token: str) -> RecordedRequest:
    headers = tuple((name, value.replace(_TOKEN, token)) for name, value in request.headers)
    return RecordedRequest(request.method, request.url, headers, request.body)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(requests_(_IDS, _TOKEN), min_size=1, max_size=8))
def test_any_request_gets_a_conformant_answer(batch: list[tuple[RecordedRequest, float]]) -> None:
    emulator, clock, ids, token = _emulator()
    assert ids == _IDS, "the same seed must seed the same jobs"
    for drawn, pause in batch:
        clock.advance(pause)
        request = _with_token(drawn, token)
        response = emulator.handle(request)
        assert response.status < 500, (request, response)
        if response.body:
            assert response.media_type in (XML, JSON)
            assert response.header("Content-Length") == str(len(response.body))
            assert_valid(response)
        else:
            assert response.status == 204, (request, response)
