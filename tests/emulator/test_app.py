"""Routing, negotiation, headers and Hrefs: what every response shares."""

from __future__ import annotations

import re

import pytest

from conformance.emulator import EmulatorConfig, EnterpriseManagerEmulator, ManualClock
from conformance.model import EntityRef
from tests.emulator.conftest import JSON, XML, Client, CoreDriver, assert_valid


@pytest.mark.parametrize(("accept", "media"), [
    (None, XML), ("*/*", XML), ("application/xml", XML), ("text/html", XML), ("application/*", XML),
    ("application/json", JSON), ("application/xml, application/json", JSON),
    ("text/plain;q=0.9, Application/JSON;q=0.1", JSON),
])  # fmt: skip
def test_negotiation(core: CoreDriver, accept: str | None, media: str) -> None:
    response = core.send("GET", "/", {"Accept": accept} if accept else None)
    assert response.media_type == media
    assert response.header("Content-Length") == str(len(response.body))
    assert_valid(response)


@pytest.mark.parametrize("host", ["em.test:9398", "10.0.0.5:443", "[::1]:9398", "localhost"])
def test_hrefs_use_the_host_that_was_called(
    clock: ManualClock, emulator: EnterpriseManagerEmulator, host: str
) -> None:
    client = Client(CoreDriver(f"https://{host}/api", clock, emulator))
    assert client.delete(f"/jobs/{_first(client, '/jobs')}").status == 202
    for path in ("/jobs", "/jobs?format=Entity", "/tasks", "/logonSessions"):
        body = client.get(path).body.decode()
        hrefs = re.findall(r'Href="([^"]+)"', body)
        assert hrefs and all(href.startswith(f"https://{host}/api/") for href in hrefs), path


def test_every_body_has_type_and_length(core: CoreDriver) -> None:
    client = Client(core, media=JSON)
    job = EntityRef.list_from_body(client.get("/jobs").body, JSON)[0]
    for method, path in [("GET", "/"), ("GET", "/jobs"), ("DELETE", f"/jobs/{job.id}"), ("GET", "/nope"),
                         ("PATCH", "/jobs"), ("GET", "/tasks/task-99")]:  # fmt: skip
        response = client.send(method, path)
        assert response.header("Content-Type") == JSON
        assert int(response.header("Content-Length") or -1) == len(response.body) > 0


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("POST", "/", "GET"), ("GET", "/sessionMngr/?v=latest", "POST"), ("PUT", "/jobs", "GET"),
    ("PUT", "/jobs/{job}", "GET, POST, DELETE"), ("POST", "/tasks/task-1", "GET, DELETE"),
    ("DELETE", "/nas/jobs/{nas}", "GET"), ("DELETE", "/agents/jobs/{agent}", "GET"),
    ("PATCH", "/logonSessions", "GET"), ("HEAD", "/tasks", "GET"),
])  # fmt: skip
def test_wrong_method_is_405_with_allow(
    core: CoreDriver, method: str, path: str, allow: str
) -> None:
    client = Client(core)
    ids = {
        "job": _first(client, "/jobs"),
        "nas": _first(client, "/nas/jobs"),
        "agent": _first(client, "/agents/jobs"),
    }
    response = client.send(method, path.format(**ids))
    assert (response.status, response.header("Allow")) == (405, allow)


def _first(client: Client, path: str) -> str:
    return EntityRef.list_from_body(client.get(path).body, XML)[0].id


@pytest.mark.parametrize("path", [
    "/nowhere", "/jobs/x/y/z", "/tasks/task-x", "/tasks/1", "/jobs/00000000-0000-0000-0000-000000000000",
    "/jobs/%00", "/jobs/..%2F..%2Fetc", "/jobs//backupSessions", "/nas/jobs/zzz", "/backupServers/1",
    "/logonSessions/unknown", "/jobs/" + "a" * 5000,
])  # fmt: skip
def test_unknown_things_are_404(core: CoreDriver, path: str) -> None:
    response = Client(core).get(path)
    assert response.status == 404
    assert_valid(response)


@pytest.mark.parametrize(
    "url", ["https://em.test:9398/", "https://em.test:9398/apix", "https://em.test:9398/v1/jobs"]
)
def test_paths_outside_the_api_are_404(core: CoreDriver, url: str) -> None:
    assert core.send("GET", url).status == 404


def test_nas_and_agent_jobs_are_not_under_jobs(core: CoreDriver, clock: ManualClock) -> None:
    client = Client(core)
    nas, agent = _first(client, "/nas/jobs"), _first(client, "/agents/jobs")
    listed = client.get("/jobs").body
    for job_id in (nas, agent):
        assert job_id.encode() not in listed
        assert client.get(f"/jobs/{job_id}").status == 404
        assert client.delete(f"/jobs/{job_id}").status == 404
    clock.advance(10)
    assert client.get(f"/nas/jobs/{nas}").status == 200
    assert client.get(f"/agents/jobs/{agent}").status == 200
    assert b'Type="NasJobReference"' in client.get("/nas/jobs").body
    assert b"urn:veeam:AgentBackupJob:" in client.get("/agents/jobs").body


def test_job_links_are_the_documented_ones(core: CoreDriver) -> None:
    client = Client(core)
    job = EntityRef.list_from_body(client.get("/jobs").body, XML)[0]
    assert [link.rel for link in job.links] == ["Up", "Alternate", "Down"]
    entity = client.get(f"/jobs/{job.id}?format=Entity").body.decode()
    rels = re.findall(r'Rel="(\w+)"', entity)
    assert rels == ["Up", "Alternate", "Edit", "Clone", "ToggleScheduleEnabled", "Down", "Down", "Create",
                    "Start", "Stop", "Retry"]  # fmt: skip
    assert "Delete" not in rels


def test_paths_are_case_insensitive_and_tolerate_slashes(core: CoreDriver) -> None:
    client = Client(core)
    job = _first(client, "/jobs")
    assert client.get("/JOBS").status == 200
    assert client.get("/logonsessions").status == 200
    assert client.get(f"/jobs/{job.upper()}/").status == 200
    assert client.post(f"/jobs/{job}?action=start/").status == 202


def test_unknown_query_parameters_are_ignored(core: CoreDriver) -> None:
    client = Client(core)
    assert client.get("/jobs?v=latest&x=1").status == 200
    assert client.get("/tasks?format=Entity").status == 200


def test_same_seed_same_ids_different_seed_different(clock: ManualClock) -> None:
    def ids(seed: int) -> list[str]:
        emulator = EnterpriseManagerEmulator(EmulatorConfig(clock=clock, seed=seed))
        client = Client(CoreDriver("https://em.test/api", clock, emulator))
        return [ref.id for ref in EntityRef.list_from_body(client.get("/jobs").body, XML)]

    assert ids(7) == ids(7) != ids(8)


def test_reset_restores_the_seeded_state(
    core: CoreDriver, emulator: EnterpriseManagerEmulator
) -> None:
    client = Client(core)
    before = client.get("/jobs").body
    client.delete(f"/jobs/{_first(client, '/jobs')}")
    core.clock.advance(1)
    assert client.get("/jobs").body != before
    emulator.reset()
    assert len(emulator.journal) == 0
    assert client.get("/jobs").status == 401
    assert Client(core).get("/jobs").body == before
