"""Interoperability: the published client `veeam-em` against the real emulator server."""

from __future__ import annotations

import pytest

from conformance.emulator import ManualClock
from conformance.emulator.server import EmulatorServer
from tests.emulator.conftest import PASSWORD

veeam_em = pytest.importorskip("veeam_em.manager")


def _client(server: EmulatorServer) -> object:
    root = server.base_url.removesuffix("/api")
    client = veeam_em.VeeamEm(api_endpoint=root, ssl_verify=False, timeout=10)
    client.get_token("administrator", PASSWORD)
    return client


def test_veeam_em_deletes_a_job_and_polls_its_task(
    manual_server: tuple[EmulatorServer, ManualClock],
) -> None:
    server, clock = manual_server
    server.emulator.reset()
    client = _client(server)
    assert client.session_data["UserName"] == "EMULATOR\\administrator"  # type: ignore[attr-defined]
    jobs = client.request("/jobs")["Refs"]  # type: ignore[attr-defined]
    job_id = jobs[0]["UID"].rsplit(":", 1)[-1]
    task = client.request(f"/jobs/{job_id}", method="DELETE")  # type: ignore[attr-defined]
    assert (task["State"], task["Operation"]) == ("Running", "DeleteJob")
    states = [task["State"]]
    for _ in range(10):
        clock.advance(0.1)
        task = client.request(f"/tasks/{task['TaskId']}")  # type: ignore[attr-defined]
        states.append(task["State"])
        if task["State"] == "Finished":
            break
    assert states[-1] == "Finished" and "OperationFinished" in states
    assert task["Result"] == {"Message": "Ok", "Success": True}
    with pytest.raises(veeam_em.VeeamEmError, match="404"):
        client.request(f"/jobs/{job_id}")  # type: ignore[attr-defined]


def test_veeam_em_traffic_is_journaled(manual_server: tuple[EmulatorServer, ManualClock]) -> None:
    server, _ = manual_server
    server.emulator.reset()
    client = _client(server)
    client.request("/tasks")  # type: ignore[attr-defined]
    entries = server.emulator.journal.entries()
    assert [entry.exchange.response.status for entry in entries] == [201, 200]
    logon, tasks = (entry.exchange.request for entry in entries)
    assert logon.header("Accept") == "application/json"
    assert tasks.query["v"] == "latest"
    assert entries[1].session_id is not None and entries[1].user == "administrator"
    # The client echoes the token both as header and as cookie (field notes).
    token = logon.header("X-RestSvcSessionId") or entries[0].exchange.response.header(
        "X-RestSvcSessionId"
    )
    assert tasks.header("X-RestSvcSessionId") == token
    assert f"X-RestSvcSessionId={token}" in (tasks.header("Cookie") or "")
