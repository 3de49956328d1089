"""Stateful runs follow the OpenAPI links from a deleted job's Task to polling and cancel."""

from __future__ import annotations

from conformance.checks.scope import api_path
from conformance.emulator.server import EmulatorServer
from conformance.properties.engine import PropertySettings
from conformance.properties.stateful import run_stateful
from tests.properties.conftest import CREDENTIALS, job_ids, logon


def test_links_carry_the_task_of_a_deleted_job(em_server: EmulatorServer) -> None:
    token = logon(em_server.base_url)
    owned = job_ids(em_server.base_url, token)
    run = run_stateful(
        PropertySettings(em_server.base_url, token, max_examples=8), CREDENTIALS, owned
    )
    assert run.findings == []
    seen = {
        (e.request.method, api_path(e.request.url).split("/")[1], e.response.status)
        for e in run.exchanges
    }
    assert ("DELETE", "jobs", 202) in seen
    assert any(method in ("GET", "DELETE") and area == "tasks" for method, area, _ in seen)
    assert ("POST", "sessionMngr", 201) in seen


def test_stateful_run_touches_only_the_jobs_it_owns(em_server: EmulatorServer) -> None:
    token = logon(em_server.base_url)
    everything = job_ids(em_server.base_url, token)
    owned, kept = everything[:2], everything[2:]
    run = run_stateful(
        PropertySettings(em_server.base_url, token, max_examples=8, formats=("json",)),
        CREDENTIALS,
        owned,
    )
    deleted = {
        api_path(e.request.url).split("/")[2]
        for e in run.exchanges
        if e.request.method == "DELETE" and e.response.status == 202 and "/jobs/" in e.request.url
    }
    assert deleted
    assert deleted <= set(owned)
    assert set(kept) <= set(job_ids(em_server.base_url, token))


def test_each_format_s_scenarios_ask_for_that_format(em_server: EmulatorServer) -> None:
    token = logon(em_server.base_url)
    owned = job_ids(em_server.base_url, token)
    run = run_stateful(
        PropertySettings(em_server.base_url, token, max_examples=2, formats=("json",)),
        CREDENTIALS,
        owned,
    )
    assert run.exchanges
    assert {e.request.header("Accept") for e in run.exchanges} == {"application/json"}
