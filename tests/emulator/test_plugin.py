"""The pytest fixtures: one real server per session, its state reset for every test."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

INNER = """
import requests

def _logon(server):
    return requests.post(server.base_url + "/sessionMngr/?v=latest", auth=("administrator", "Veeam123!"))

def _jobs(server, token):
    return requests.get(server.base_url + "/jobs", headers={"X-RestSvcSessionId": token, "Accept": "application/json"})

def test_first_deletes_a_job(em_emulator, em_emulator_server):
    assert em_emulator is em_emulator_server
    token = _logon(em_emulator).headers["X-RestSvcSessionId"]
    refs = _jobs(em_emulator, token).json()["Refs"]
    job = refs[0]["Href"]
    assert requests.delete(job, headers={"X-RestSvcSessionId": token}).status_code == 202
    em_emulator_server.started_tokens = [token]

def test_second_sees_fresh_state(em_emulator):
    old = em_emulator.started_tokens[0]
    assert _jobs(em_emulator, old).status_code == 401
    token = _logon(em_emulator).headers["X-RestSvcSessionId"]
    assert len(_jobs(em_emulator, token).json()["Refs"]) == 6
    assert [e.exchange.response.status for e in em_emulator.emulator.journal.entries()] == [401, 201, 200]
"""


def test_fixtures_reset_state_between_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_inner=INNER)
    result = pytester.runpytest_inprocess(
        "-p", "conformance._plugin.emulator_fixtures", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=2)
