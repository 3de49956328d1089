"""The shipped client-shaped recordings: current, replayable by real clients, token-aware."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.cassette import Replayer, replay_cassette
from conformance.checks import Outcome
from conformance.exchange import RecordedRequest
from conformance.spec import cassettes_dir
from conformance.suite.client_recording import CLIENT_RECORDINGS, record_client_cassettes
from conformance.suite.client_validation import validate_client

from .clients.python_client import Client, delete_first_job

CLIENTS = Path(__file__).parent / "clients"
ROOT = Path(__file__).resolve().parents[2]
FORMATS = sorted(CLIENT_RECORDINGS)
API = "https://replayed.example:9398/api"


def shipped(fmt: str) -> Path:
    return cassettes_dir() / CLIENT_RECORDINGS[fmt]


def test_the_shipped_recordings_are_what_regeneration_writes(tmp_path: Path) -> None:
    for path in record_client_cassettes(tmp_path):
        assert path.read_text() == (cassettes_dir() / path.name).read_text(), path.name


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_python_client_logs_on_deletes_polls_and_logs_out_in_process(fmt: str) -> None:
    with replay_cassette(shipped(fmt)) as replay:
        job_id = delete_first_job(Client(API, fmt, sleep=lambda _: None), "me", "secret")
    steps = [(e.request.method, e.response.status) for e in replay.journal]
    assert steps[0] == ("POST", 201) and steps[-1] == ("DELETE", 204)
    assert ("DELETE", 202) in steps and steps.count(("GET", 200)) >= 2  # list, then polls
    assert job_id == "00000000-0000-4000-8000-000000000002"


CLIENT_COMMANDS = {
    "python-xml": ("xml", [sys.executable, str(CLIENTS / "python_client.py")]),
    "python-json": ("json", [sys.executable, str(CLIENTS / "python_client.py"), "--json"]),
    "curl-xml": ("xml", ["sh", str(CLIENTS / "curl_client.sh")]),
    "good-json": ("json", [sys.executable, str(CLIENTS / "good_client.py"), "--json"]),
}


@pytest.mark.parametrize("name", sorted(CLIENT_COMMANDS))
def test_each_shipped_recording_replays_a_client_program(name: str) -> None:
    fmt, command = CLIENT_COMMANDS[name]
    run = validate_client(command, cassette=shipped(fmt), timeout=60)
    assert run.returncode == 0, run.output
    assert not run.mismatches
    assert not [v.rule.id for v in run.result.verdicts if v.outcome is Outcome.FAILED]
    assert run.exit_code == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_valid_token_gets_the_real_answer_and_a_stale_one_the_401(fmt: str) -> None:
    replayer = Replayer.from_file(shipped(fmt))
    accept = {"Accept": f"application/{fmt}"}
    logon = RecordedRequest.build(
        "POST", f"{API}/sessionMngr/?v=latest", {**accept, "Authorization": "Basic eDp5"}
    )
    token = replayer.handle(logon).header("X-RestSvcSessionId") or ""
    stale = {**accept, "X-RestSvcSessionId": "expired-long-ago"}
    valid = {**accept, "X-RestSvcSessionId": token}
    assert replayer.handle(RecordedRequest.build("GET", f"{API}/jobs", stale)).status == 401
    assert replayer.handle(RecordedRequest.build("GET", f"{API}/jobs", valid)).status == 200
    # A path the recording only holds with a good token still refuses a bad one.
    assert replayer.handle(RecordedRequest.build("GET", f"{API}/tasks/task-1", stale)).status == 401


EXAMPLE_TEST = """
from python_client import Client, delete_first_job

def test_my_client_deletes_a_job(em_cassette):
    replay = em_cassette("client-session-json.yaml")
    client = Client("https://em.example:9398/api", "json", sleep=lambda seconds: None)
    assert delete_first_job(client, "administrator", "any") == "00000000-0000-4000-8000-000000000002"
    assert replay.journal[-1].request.method == "DELETE"   # it logged out
"""


def test_the_readme_client_test_example_passes(tmp_path: Path) -> None:
    (tmp_path / "test_example.py").write_text(EXAMPLE_TEST)
    (tmp_path / "python_client.py").write_text((CLIENTS / "python_client.py").read_text())
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "test_example.py"]
    # This checkout's package, whichever copy the venv has installed.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert "1 passed" in result.stdout, result.stdout + result.stderr


def test_a_suite_recording_answers_a_logged_on_clients_first_list_with_200() -> None:
    # The symptom: its first recorded GET /jobs is a bad-token probe (401).
    replayer = Replayer.from_file(cassettes_dir() / "emulator-flows-json.yaml")
    accept = {"Accept": "application/json"}
    logon = RecordedRequest.build(
        "POST", f"{API}/sessionMngr/?v=latest", {**accept, "Authorization": "Basic eDp5"}
    )
    token = replayer.handle(logon).header("X-RestSvcSessionId") or ""
    listed = RecordedRequest.build("GET", f"{API}/jobs", {**accept, "X-RestSvcSessionId": token})
    assert replayer.handle(listed).status == 200
