"""Fault profiles: each one changes the wire as documented, and is off by default.

Every probe looks only at what a client would see (status, headers, body bytes) and
says whether the deviation shows. It must not show on a clean emulator and must show
with the fault switched on.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
import requests

from conformance.emulator import (
    FAULTS,
    EmulatorConfig,
    EnterpriseManagerEmulator,
    ManualClock,
    describe_faults,
)
from conformance.emulator.faults import Fault, FaultSet
from conformance.emulator.server import EmulatorServer
from conformance.errors import UsageError
from conformance.model import EntityRef, LogonSession, Task
from conformance.representations import (
    NS,
    UTF8_BOM,
    parse_json,
    parse_xml,
    sniff_media_type,
    validate_body,
)
from tests.emulator.conftest import JSON, MOCK_BASE, XML, Client, CoreDriver, basic

Probe = Callable[[CoreDriver], bool]
PROBES: dict[str, Probe] = {}


def probe(name: str) -> Callable[[Probe], Probe]:
    def register(function: Probe) -> Probe:
        PROBES[name] = function
        return function

    return register


def _client(core: CoreDriver, media: str = XML, user: str = "administrator") -> Client:
    return Client(core, user, media, strict=False)


def _first(client: Client, path: str = "/jobs") -> str:
    return EntityRef.list_from_body(client.get(path).body, client.media)[0].id


def _delete_task(client: Client, job_id: str | None = None) -> Task:
    response = client.delete(f"/jobs/{job_id or _first(client)}")
    return Task.from_body(response.body, client.media)


def _invalid(response_body: bytes, media: str) -> bool:
    return not validate_body(response_body, media).valid


@probe("delete-returns-200")
def _delete_status(core: CoreDriver) -> bool:
    client = _client(core)
    return client.delete(f"/jobs/{_first(client)}").status != 202


@probe("json-ignored")
def _json_ignored(core: CoreDriver) -> bool:
    response = core.send("GET", "/", {"Accept": JSON})
    return response.media_type != JSON or sniff_media_type(response.body) != JSON


@probe("xml-errors")
def _xml_errors(core: CoreDriver) -> bool:
    response = core.send("GET", "/nowhere", {"Accept": JSON})
    return sniff_media_type(response.body) != JSON


@probe("wrong-namespace")
def _namespace(core: CoreDriver) -> bool:
    return parse_xml(core.send("GET", "/").body).tag != f"{{{NS}}}EnterpriseManager"


@probe("content-type-mismatch")
def _content_type(core: CoreDriver) -> bool:
    response = core.send("GET", "/")
    return response.media_type != sniff_media_type(response.body)


@probe("camelcase-json")
def _camel(core: CoreDriver) -> bool:
    return "SessionId" not in parse_json(_client(core, JSON).logon.body)


@probe("json-bom")
def _bom(core: CoreDriver) -> bool:
    return core.send("GET", "/", {"Accept": JSON}).body.startswith(UTF8_BOM)


@probe("wrapped-json-root")
def _wrapped(core: CoreDriver) -> bool:
    return _invalid(_client(core, JSON).logon.body, JSON)


@probe("success-as-string-in-json")
def _success_string(core: CoreDriver) -> bool:
    client = _client(core, JSON)
    task = _delete_task(client)
    core.clock.advance(1)
    return not isinstance(parse_json(client.get(task.href).body)["Result"]["Success"], bool)


@probe("no-content-length")
def _no_length(core: CoreDriver) -> bool:
    return core.send("GET", "/").header("Content-Length") is None


@probe("wrong-content-length")
def _wrong_length(core: CoreDriver) -> bool:
    response = core.send("GET", "/")
    return response.header("Content-Length") != str(len(response.body))


@probe("href-wrong-host")
def _wrong_host(core: CoreDriver) -> bool:
    session = LogonSession.from_body(_client(core).logon.body, XML)
    return not all(link.href.startswith(MOCK_BASE) for link in session.links)


@probe("missing-task-href")
def _task_href(core: CoreDriver) -> bool:
    client = _client(core)
    return _invalid(client.delete(f"/jobs/{_first(client)}").body, XML)


@probe("task-never-finishes")
def _never(core: CoreDriver) -> bool:
    client = _client(core)
    task = _delete_task(client)
    core.clock.advance(600)
    return Task.from_body(client.get(task.href).body, XML).state != "Finished"


@probe("state-goes-backwards")
def _backwards(core: CoreDriver) -> bool:
    client = _client(core)
    task = _delete_task(client)
    core.clock.advance(1)
    states = [Task.from_body(client.get(task.href).body, XML).state for _ in range(3)]
    return states != ["Finished"] * 3


@probe("result-while-running")
def _early_result(core: CoreDriver) -> bool:
    return _delete_task(_client(core)).result is not None


@probe("job-survives-delete")
def _survives(core: CoreDriver) -> bool:
    client = _client(core)
    job_id = _first(client)
    task = _delete_task(client, job_id)
    core.clock.advance(1)
    finished = Task.from_body(client.get(task.href).body, XML)
    return (
        bool(finished.result and finished.result.success)
        and client.get(f"/jobs/{job_id}").status == 200
    )


def _delete_running(core: CoreDriver) -> tuple[Client, str, Task]:
    client = _client(core)
    job_id = _first(client)
    client.post(f"/jobs/{job_id}?action=start")
    core.clock.advance(1)
    task = _delete_task(client, job_id)
    core.clock.advance(1)
    return client, job_id, Task.from_body(client.get(task.href).body, XML)


@probe("running-job-deletable")
def _running_deleted(core: CoreDriver) -> bool:
    _, _, task = _delete_running(core)
    return bool(task.result and task.result.success)


@probe("half-state-on-failed-delete")
def _half_state(core: CoreDriver) -> bool:
    client, job_id, task = _delete_running(core)
    return (
        bool(task.result and not task.result.success)
        and client.get(f"/jobs/{job_id}").status == 404
    )


@probe("nas-job-deletable")
def _nas_deleted(core: CoreDriver) -> bool:
    client = _client(core)
    nas = _first(client, "/nas/jobs")
    client.delete(f"/jobs/{nas}")
    core.clock.advance(1)
    return client.get(f"/nas/jobs/{nas}").status == 404


@probe("unknown-job-202")
def _unknown_202(core: CoreDriver) -> bool:
    return _client(core).delete(f"/jobs/{uuid.uuid4()}").status == 202


@probe("500-on-unknown-job")
def _unknown_500(core: CoreDriver) -> bool:
    return _client(core).get(f"/jobs/{uuid.uuid4()}").status >= 500


@probe("delete-link-on-job")
def _delete_link(core: CoreDriver) -> bool:
    client = _client(core)
    return b'Rel="Delete"' in client.get("/jobs").body + client.get("/jobs?format=Entity").body


@probe("cancel-returns-200-with-body")
def _cancel_200(core: CoreDriver) -> bool:
    client = _client(core)
    response = client.delete(_delete_task(client).href)
    return response.status != 204 or bool(response.body)


@probe("task-survives-cancel")
def _cancel_kept(core: CoreDriver) -> bool:
    client = _client(core)
    task = _delete_task(client)
    client.delete(task.href)
    return client.get(task.href).status == 200


@probe("cross-session-task-leak")
def _leak(core: CoreDriver) -> bool:
    task = _delete_task(_client(core))
    return _client(core, user="operator").get(task.href).status == 200


@probe("auth-not-enforced")
def _no_auth(core: CoreDriver) -> bool:
    return core.send("GET", "/tasks").status != 401


@probe("logout-token-still-valid")
def _logout(core: CoreDriver) -> bool:
    client = _client(core)
    session = LogonSession.from_body(client.logon.body, XML)
    client.delete(f"/logonSessions/{session.session_id}")
    return client.get("/tasks").status == 200


@probe("no-idle-timeout")
def _idle(core: CoreDriver) -> bool:
    client = _client(core)
    core.clock.advance(16 * 60)
    return client.get("/tasks").status == 200


@probe("header-wins-over-cookie")
def _header_wins(core: CoreDriver) -> bool:
    client = _client(core)
    return client.send("GET", "/tasks", {"Cookie": "X-RestSvcSessionId=stale"}).status == 200


@probe("logon-returns-200")
def _logon_200(core: CoreDriver) -> bool:
    response = core.send(
        "POST", "/sessionMngr/?v=latest", {"Authorization": basic("administrator")}
    )
    return response.status == 200 and bool(response.header("X-RestSvcSessionId"))


@probe("no-session-cookie")
def _cookie(core: CoreDriver) -> bool:
    return _client(core).logon.header("Set-Cookie") is None


@probe("no-www-authenticate")
def _challenge(core: CoreDriver) -> bool:
    response = core.send(
        "POST", "/sessionMngr/?v=latest", {"Authorization": basic("administrator", "x")}
    )
    return response.header("WWW-Authenticate") is None


@probe("unsupported-version-accepted")
def _version(core: CoreDriver) -> bool:
    return (
        core.send("POST", "/sessionMngr/?v=v1_4", {"Authorization": basic("administrator")}).status
        == 201
    )


@probe("wrong-method-404")
def _method(core: CoreDriver) -> bool:
    return _client(core).send("PUT", "/jobs").status != 405


def _driver(*faults: str) -> CoreDriver:
    clock = ManualClock()
    return CoreDriver(
        MOCK_BASE, clock, EnterpriseManagerEmulator(EmulatorConfig(clock=clock, faults=faults))
    )


def test_there_are_at_least_twenty_documented_faults() -> None:
    assert len(FAULTS) >= 20
    for fault in FAULTS.values():
        assert fault.description and fault.rule and fault.page.startswith("https://")
    listing = describe_faults()
    assert all(name in listing for name in FAULTS)


def test_every_fault_has_a_probe() -> None:
    assert sorted(PROBES) == sorted(FAULTS)


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_fault_shows_on_the_wire_only_when_on(name: str) -> None:
    assert not PROBES[name](_driver()), f"{name} shows on a clean emulator"
    assert PROBES[name](_driver(name)), f"{name} does not show when switched on"


def test_unknown_fault_names_are_a_usage_error() -> None:
    with pytest.raises(UsageError, match="valid choices: delete-returns-200"):
        EmulatorConfig(faults=["no-such-fault"])
    with pytest.raises(KeyError):
        FaultSet().on(Fault("no-such-fault", "", "", ""))


@pytest.mark.parametrize("fault", ["no-content-length", "wrong-content-length"])
def test_length_faults_on_a_real_socket(fault: str) -> None:
    with EmulatorServer(EmulatorConfig(faults=[fault])) as server:
        if fault == "no-content-length":
            response = requests.get(server.base_url + "/", timeout=10)
            assert "Content-Length" not in response.headers
            assert response.headers["Transfer-Encoding"] == "chunked"
        else:
            with pytest.raises(requests.exceptions.ChunkedEncodingError):
                requests.get(server.base_url + "/", timeout=10)
