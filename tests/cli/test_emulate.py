"""`em-conformance emulate`: listing faults, usage errors, and a real run stopped by a signal."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
import requests

from conformance.cli import main
from conformance.emulator import FAULTS
from tests.emulator.conftest import basic


def test_list_faults(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["emulate", "--list-faults"]) == 0
    out = capsys.readouterr().out
    assert all(f"{name}\n" in out for name in FAULTS)
    assert "breaks: DELETE /jobs/{ID} answers 202 Accepted with a Task." in out


@pytest.mark.parametrize(("argv", "message"), [
    (["--fault", "no-such-fault"], "valid choices: delete-returns-200"),
    (["--port", "70000"], "Expected --port between 0 and 65535; received 70000."),
    (["--task-duration", "-1"], "Expected task_duration >= 0 seconds; received -1.0."),
    (["--jobs", "-3"], "Expected jobs from 0 to 1,000,000; received -3."),
    (["--jobs", "100000000"], "Expected jobs from 0 to 1,000,000; received 100000000."),
    (["--port", "abc"], "invalid int value: 'abc'"),
    (["--max-sessions", "0"], "Expected max_sessions >= 1; received 0."),
    (["--request-timeout", "0"], "Expected --request-timeout > 0; received 0.0."),
])  # fmt: skip
def test_usage_errors_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["emulate", *argv]) == 2
    assert message in capsys.readouterr().err


def test_help_shows_the_bounds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["emulate", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--max-sessions N" in out and "--request-timeout S" in out


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serves_until_interrupted(stop: signal.Signals) -> None:
    command = [sys.executable, "-m", "conformance", "emulate", "--port", "0", "--jobs", "2", "--tls",
               "--fault", "json-bom"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        banner = [process.stdout.readline() for _ in range(6)]  # type: ignore[union-attr]
        assert banner[-1].strip() == "Press Ctrl-C to stop.", banner
        base_url = banner[0].split()[-1]
        ca_file = banner[3].split(": ", 1)[1].strip()
        assert "administrator / Veeam123!" in banner[1] and "operator / Veeam123!" in banner[2]
        assert "json-bom" in banner[4]
        logon = requests.post(f"{base_url}/sessionMngr/?v=latest", headers={"Authorization": basic("administrator")},
                              verify=ca_file, timeout=10)  # fmt: skip
        assert logon.status_code == 201
        process.send_signal(stop)
        out, _ = process.communicate(timeout=30)
    finally:
        process.kill() if process.poll() is None else None
        process.stdout.close()  # type: ignore[union-attr]
    assert process.returncode == 0, out
    assert "stopping the emulator" in out
