"""Client programs under faults: named verdicts, and the robustness matrix end to end."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conformance.checks import Outcome
from conformance.checks.client_outcome import Behaviour
from conformance.cli import main
from conformance.suite.client_matrix import MATRIX_CASES, run_matrix, select_cases
from conformance.suite.client_validation import ClientRun, validate_client

CLIENTS = Path(__file__).parent / "clients"
PYTHON = [sys.executable, str(CLIENTS / "python_client.py")]
CURL = ["sh", str(CLIENTS / "curl_client.sh")]
CRASHING = [sys.executable, str(CLIENTS / "crashing_client.py")]
HANDBUILT = [sys.executable, str(CLIENTS / "handbuilt_url_client.py")]

# Deletes, polls to Finished, logs out, and says "done" whatever the task's Result.
LIAR = """
import os, sys, time, requests
api, http = os.environ["EM_URL"], requests.Session()
logon = http.post(api + "/sessionMngr/?v=latest", auth=(os.environ["EM_USERNAME"], os.environ["EM_PASSWORD"]))
http.headers["X-RestSvcSessionId"] = logon.headers["X-RestSvcSessionId"]
me = logon.text.split('Rel="Delete"')[1].split('Href="')[1].split('"')[0]
job = http.get(api + "/jobs").text.split("urn:veeam:Job:")[1][:36]
task = http.delete(api + "/jobs/" + job).text
href = task.split('Href="')[1].split('"')[0]
while "<State>Finished</State>" not in task:
    time.sleep(1)
    task = http.get(href).text
http.delete(me)
print("done")
"""


def failed(run: ClientRun) -> set[str]:
    return {verdict.rule.id for verdict in run.result.verdicts if verdict.outcome is Outcome.FAILED}


@pytest.mark.parametrize("command", [PYTHON, CURL], ids=["python", "curl"])
def test_the_readme_clients_conform_against_the_emulator(command: list[str]) -> None:
    run = validate_client(command, timeout=60)
    assert run.returncode == 0, run.output
    assert not failed(run) and run.behaviour is Behaviour.HANDLED


def test_the_crashing_client_under_camelcase_is_judged_crashed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        ["validate-client", "--fault", "camelcase-json", "--timeout", "60", "--", *CRASHING]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "FAILED  EM-CLIENT-011 [SHOULD]" in out and "Traceback" in out
    assert "under faults the client crashed (EM-CLIENT-011)" in out


def test_a_hand_built_task_url_fails_006_under_the_alias_profile_only() -> None:
    aliased = validate_client(HANDBUILT, faults=["href-alias-prefix"], timeout=60)
    assert failed(aliased) == {"EM-CLIENT-006"}
    assert "em-proxy/api/tasks/task-1" in next(
        v.received for v in aliased.result.verdicts if v.rule.id == "EM-CLIENT-006"
    )
    plain = validate_client(HANDBUILT, timeout=60)
    assert plain.returncode == 0 and not failed(plain)


def test_success_reported_for_a_failed_task_is_a_wrong_result(tmp_path: Path) -> None:
    (tmp_path / "liar.py").write_text(LIAR)
    run = validate_client(
        [sys.executable, str(tmp_path / "liar.py")], faults=["delete-task-fails"], timeout=60
    )
    assert run.returncode == 0, run.output
    assert run.behaviour is Behaviour.WRONG_RESULT and failed(run) == {"EM-CLIENT-013"}
    assert run.exit_code == 1


def test_a_client_that_hangs_is_judged_hung() -> None:
    run = validate_client([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert run.behaviour is Behaviour.HUNG and "EM-CLIENT-012" in failed(run)


def test_the_matrix_runs_each_case_on_its_own_emulator_in_order() -> None:
    cases = select_cases(["busy-503", "delete-task-fails", "href-alias-prefix"])  # matrix order
    result = run_matrix(PYTHON, cases=cases, workers=2, timeout=60)
    assert [row.case.name for row in result.rows] == [case.name for case in cases]
    assert [row.run.result.faults for row in result.rows] == [case.faults for case in cases]
    behaviours = [row.behaviour for row in result.rows]
    assert behaviours == [Behaviour.NOTICED, Behaviour.HANDLED, Behaviour.HANDLED]
    assert result.exit_code == 0 and result.workers == 2


def test_the_matrix_command_writes_table_junit_markdown_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_files = {name: tmp_path / name for name in ("m.xml", "m.md", "m.json")}
    code = main([
        "validate-client", "--matrix", "--case", "camelcase-json", "--case", "json-bom",
        "--jobs", "2", "--timeout", "60", "--junitxml", str(out_files["m.xml"]),
        "--markdown", str(out_files["m.md"]), "--report", str(out_files["m.json"]), "--", *CRASHING,
    ])  # fmt: skip
    table = capsys.readouterr().out
    assert code == 1
    assert "camelcase-json  crashed" in table and "FAIL" in table
    suite = ET.parse(out_files["m.xml"]).getroot()
    assert suite.get("tests") == "2" and int(suite.get("failures") or 0) >= 1
    assert suite.find("testcase[@name='camelcase-json']/failure") is not None
    assert "| camelcase-json | crashed |" in out_files["m.md"].read_text()
    rows = json.loads(out_files["m.json"].read_text())["rows"]
    failed = {failure["rule"] for failure in rows[0]["failures"]}
    assert rows[0]["outcome"] == "crashed" and "EM-CLIENT-011" in failed


def test_the_matrix_covers_every_client_relevant_fault() -> None:
    assert [case.name for case in MATRIX_CASES] == [
        "slow-tasks", "delete-task-fails", "busy-503", "session-expires-mid-poll", "camelcase-json",
        "json-bom", "json-ignored", "href-alias-prefix", "task-in-other-session",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "argv",
    [
        ["--matrix", "--case", "no-such-case", "--", "true"],
        ["--matrix", "--fault", "json-bom", "--", "true"],
        ["--matrix", "--jobs", "0", "--", "true"],
        ["--junitxml", "m.xml", "--", "true"],
    ],
    ids=["unknown-case", "fault-and-matrix", "no-workers", "matrix-output-without-matrix"],
)
def test_matrix_misuse_is_a_usage_error(argv: list[str]) -> None:
    assert main(["validate-client", *argv]) == 2


def test_the_password_and_tokens_a_client_prints_never_reach_the_output() -> None:
    script = (
        "import os, requests; api = os.environ['EM_URL']; password = os.environ['EM_PASSWORD'];"
        " logon = requests.post(api + '/sessionMngr/?v=latest', auth=(os.environ['EM_USERNAME'], password));"
        " print(password, logon.headers['X-RestSvcSessionId'])"
    )
    run = validate_client([sys.executable, "-c", script], timeout=60)
    # The output and the kept exchanges name the token by one placeholder, never its value.
    token = run.result.exchanges[0].response.header("X-RestSvcSessionId")
    assert run.output.split() == ["<redacted:password-1>", token]
    assert token is not None and token.startswith("<redacted:token-")
