"""What real clients send, answered as a real server answers it (field notes, "What real
clients send"): query values in any case, double slashes, `?v=latest` everywhere,
Accept lists, a Basic header next to the token; and the published scripts' sequences."""

from __future__ import annotations

import pytest

from conformance.model import EntityRef, ErrorBody, Task
from conformance.representations import local_name, parse_json, parse_xml
from tests.emulator.conftest import JSON, XML, Client, CoreDriver, Driver, assert_valid, basic


def _job_id(client: Client) -> str:
    return EntityRef.list_from_body(client.get("/jobs").body, XML)[0].id


@pytest.mark.parametrize("value", ["Entity", "entity", "ENTITY", "entities", "Entities"])
def test_format_values_in_any_case_give_the_entity(core: CoreDriver, value: str) -> None:
    client = Client(core)
    job = _job_id(client)
    one = client.get(f"/jobs/{job}?format={value}")
    assert (one.status, local_name(parse_xml(one.body))) == (200, "Job")
    listing = client.get(f"/jobs?format={value}")
    assert (listing.status, local_name(parse_xml(listing.body))) == (200, "Jobs")
    sessions = client.get(f"/jobs/{job}/backupSessions?format={value}")
    assert sessions.status == 200


@pytest.mark.parametrize("value", ["Wrong", "", "Entityx"])
def test_other_format_values_are_still_400(core: CoreDriver, value: str) -> None:
    client = Client(core, strict=False)
    response = client.get(f"/jobs/{_job_id(client)}?format={value}")
    assert response.status == 400
    assert_valid(response)


@pytest.mark.parametrize("path", ["/api//sessionMngr/?v=latest", "/api//sessionMngr/",
                                  "/api/sessionMngr?v=latest", "/api/sessionmngr/?v=v1_7"])  # fmt: skip
def test_logon_paths_real_clients_use(driver: Driver, path: str) -> None:
    url = driver.base.removesuffix("/api") + path
    assert driver.send("POST", url, {"Authorization": basic("administrator")}).status == 201


@pytest.mark.parametrize("path", ["/jobs?v=latest", "/jobs/{job}?v=latest",
                                  "/jobs/{job}?format=Entity&v=latest", "/tasks?v=latest",
                                  "/logonSessions?v=latest", "/?v=latest", "//jobs"])  # fmt: skip
def test_v_latest_and_double_slashes_on_resource_urls(core: CoreDriver, path: str) -> None:
    client = Client(core)
    assert client.get(path.format(job=_job_id(client))).status == 200


@pytest.mark.parametrize(("accept", "media"), [
    ("application/json, text/plain, */*", JSON), ("text/plain, */*, application/json", JSON),
    ("application/*+xml;version=1.5", XML), ("application/*+xml;version=31.0, */*", XML),
])  # fmt: skip
def test_accept_lists_real_clients_send(core: CoreDriver, accept: str, media: str) -> None:
    client = Client(core)
    assert client.get("/jobs", Accept=accept).media_type == media


def test_a_basic_header_next_to_the_token_is_harmless(core: CoreDriver) -> None:
    client = Client(core)
    wrong = basic("administrator", "not the password")
    assert client.get("/tasks", Authorization=wrong).status == 200


def test_a_veeam_em_like_request(driver: Driver) -> None:
    """veeam-em: Accept and Content-Type JSON on a bodiless GET, `?v=latest` on every
    URL, the token as header and as cookie (field notes)."""
    common = {"Accept": JSON, "Content-Type": JSON}
    logon = driver.send("POST", "/sessionMngr/?v=latest",
                        {**common, "Authorization": basic("administrator")})  # fmt: skip
    assert logon.status == 201 and "Links" in parse_json(logon.body)
    token = logon.header("X-RestSvcSessionId") or ""
    sent = {**common, "X-RestSvcSessionId": token, "Cookie": f"X-RestSvcSessionId={token}"}
    jobs = driver.send("GET", "/jobs?v=latest", sent)
    assert (jobs.status, jobs.media_type) == (200, JSON)
    job = EntityRef.list_from_body(jobs.body, JSON)[0].id
    task = driver.send("DELETE", f"/jobs/{job}?v=latest", sent)
    assert task.status == 202
    polled = driver.send("GET", f"/tasks/{Task.from_body(task.body, JSON).task_id}?v=latest", sent)
    assert (polled.status, polled.media_type) == (200, JSON)


def _calm_logon(driver: Driver) -> dict[str, str]:
    response = driver.send("POST", "/sessionMngr/?v=latest",
                           {"Authorization": basic("administrator"), "Accept": JSON})  # fmt: skip
    assert response.status == 201
    token = response.header("X-RestSvcSessionId") or ""
    return {"X-RestSvcSessionId": token, "Accept": JSON, "Content-Type": JSON}


def test_nutanix_calm_delete_then_get_task_in_a_new_session(driver: Driver) -> None:
    """Calm's VeeamDeleteJob script reads the job with `?format=entity`, deletes it, and
    its get-task script polls GET /tasks/{ID} after a logon of its own: the read works,
    the delete is 202, and the new session's poll gets what a 12.x server gives, a 500
    whose Error names the task (field notes)."""
    delete_script = _calm_logon(driver)
    jobs = driver.send("GET", "/jobs", delete_script)
    job = EntityRef.list_from_body(jobs.body, JSON)[0].id
    read = driver.send("GET", f"/jobs/{job}?format=entity", delete_script)
    assert (read.status, parse_json(read.body)["Type"]) == (200, "Job")
    deleted = driver.send("DELETE", f"/jobs/{job}", delete_script)
    assert deleted.status == 202
    task = Task.from_body(deleted.body, JSON)
    get_task_script = _calm_logon(driver)
    polled = driver.send("GET", f"/tasks/{task.task_id}", get_task_script)
    assert (polled.status, polled.media_type) == (500, JSON)
    assert_valid(polled)
    error = ErrorBody.from_body(polled.body, JSON)
    assert error.status_code == 500
    assert error.message == f"No task with id [{task.task_id}] in current rest session."
    assert driver.send("GET", f"/tasks/{task.task_id}", delete_script).status == 200
